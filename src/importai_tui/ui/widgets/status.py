"""A line above the footer that shows a background update while it runs."""

from __future__ import annotations

from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text
from textual.widgets import Static


class UpdateStatus(Static):
    """Hidden until an update starts; then what it is doing and how far it got."""

    def begin(self, url: str) -> None:
        """Show that an update of ``url`` started."""
        self.add_class("-running")
        self.update(Text(f"⟳ updating from {url} …", style="bold"))

    def step(self, done: int, total: int | None, what: str) -> None:
        """Show progress: ``done`` of ``total`` (unknown total: no bar)."""
        grid = Table.grid(padding=(0, 1))
        label = Text(f"⟳ {what}", style="bold", no_wrap=True, overflow="ellipsis")
        count = Text(f"{done}/{total}" if total else str(done), style="dim")
        if total:
            grid.add_row(label, ProgressBar(total=total, completed=done, width=30), count)
        else:
            grid.add_row(label, count)
        self.update(grid)

    def end(self) -> None:
        """Hide the line."""
        self.remove_class("-running")

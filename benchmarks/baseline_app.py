"""The benchmarks' baseline: a minimal Textual app (header, an OptionList of 50 rows, footer).

Started in a terminal exactly as the reader is, so that the reader's start-up time and
memory can be read against what Textual itself costs.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, OptionList


class BaselineApp(App[None]):
    """Header, 50 rows, footer; q quits."""

    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        """The three widgets."""
        yield Header()
        yield OptionList(*(f"Row {i}: a line of text like a headline" for i in range(50)))
        yield Footer(compact=True)


if __name__ == "__main__":
    BaselineApp().run()

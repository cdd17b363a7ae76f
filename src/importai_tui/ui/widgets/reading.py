"""The reading pane: one section at a time, scrollable, with clickable links and matches."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from importai_tui.ui.page import CURRENT_MATCH_STYLE, Page, Target


class PageView(Static):
    """The text of the page; a click on a link asks the pane to follow it."""

    def action_follow(self, index: int) -> None:
        """Follow the link with this index in the page's targets."""
        pane = self.parent
        if isinstance(pane, ReadingPane):
            pane.follow(index)


class ReadingPane(VerticalScroll):
    """Shows one :class:`Page`; knows which search match is current."""

    BINDINGS = [
        Binding(
            "j",
            "scroll_down",
            "Down",
            show=False,
            id="reading.down",
            tooltip="Scroll down a line (also the arrows, PgDn, PgUp)",
        ),
        Binding("k", "scroll_up", "Up", show=False, id="reading.up", tooltip="Scroll up a line"),
        Binding(
            "space",
            "page_down",
            "Page down",
            show=False,
            id="reading.page_down",
            tooltip="Scroll down a page",
        ),
    ]

    class Follow(Message):
        """The reader chose a link of the page."""

        def __init__(self, target: Target) -> None:
            super().__init__()
            self.target = target

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, can_focus=True)
        self.page: Page | None = None
        self.current_match: int | None = None

    def compose(self) -> ComposeResult:
        """The page text."""
        yield PageView(Text(""), id="page")

    def show(self, page: Page, *, first_match: bool = False, keep_place: bool = False) -> None:
        """Display ``page`` from the top, at its first match, or (``keep_place``, the same
        section redrawn) where the reader was."""
        self.page = page
        if keep_place:
            self._draw()
            return
        self.current_match = 0 if first_match and page.matches else None
        self._draw()
        self.scroll_home(animate=False)
        if self.current_match is not None:
            self.call_after_refresh(self._scroll_to_match)

    def step_match(self, delta: int) -> bool:
        """Move to the next (``delta`` 1) or previous (-1) match; False if there are none."""
        if self.page is None or not self.page.matches:
            return False
        count = len(self.page.matches)
        if self.current_match is None:
            self.current_match = 0 if delta > 0 else count - 1
        else:
            self.current_match = (self.current_match + delta) % count
        self._draw()
        self._scroll_to_match()
        return True

    def follow(self, index: int) -> None:
        """Post a message for the link at ``index``."""
        if self.page is not None and 0 <= index < len(self.page.targets):
            self.post_message(self.Follow(self.page.targets[index]))

    def _draw(self) -> None:
        if self.page is None:
            return
        text = self.page.text
        if self.current_match is not None:
            text = text.copy()
            start, end = self.page.matches[self.current_match]
            text.stylize(CURRENT_MATCH_STYLE, start, end)
        self.query_one(PageView).update(text)

    def _scroll_to_match(self) -> None:
        if self.page is None or self.current_match is None:
            return
        start, _ = self.page.matches[self.current_match]
        line = match_line(self.page.text, start, self.query_one(PageView).content_size.width)
        self.scroll_to(y=max(0, line - 3), animate=False)


def match_line(text: Text, offset: int, width: int) -> int:
    """The wrapped line (0-based) on which character ``offset`` of ``text`` lands."""
    if width <= 0:
        return 0
    console = Console(width=width, legacy_windows=False)
    return max(0, len(text[:offset].wrap(console, width)) - 1)

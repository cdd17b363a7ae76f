"""A list of rows of a fixed height that draws only what is on screen.

Textual's ``OptionList`` measures every option (wrapping its prompt) whenever it is filled
or resized, which costs seconds for the 10,000 issues of a whole archive and a few
milliseconds for every refill of a results list. Every row here is the same number of
lines, so its position follows from its index: filling the list costs no drawing, and a
frame renders the visible rows only (the line API, ``render_line``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from importai_tui.ui.widgets.framed import Frame
from importai_tui.ui.widgets.row import Row, draw_row, fit
from importai_tui.ui.widgets.scrollbar import quick_vertical_scrollbar

__all__ = ["Row", "RowList", "fit"]


class RowList(ScrollView, can_focus=True):
    """A focusable, scrollable list of rows with a highlight, like ``OptionList``.

    Every row is ``row_height`` lines: a prompt's lines (split at newlines) are cut to the
    width with an ellipsis, and missing lines are blank. Posts ``RowList.Highlighted`` when
    the highlight moves to a row and ``RowList.Selected`` on Enter or a click.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES = {
        "row-list--row",
        "row-list--row-highlighted",
        "row-list--row-disabled",
        "row-list--row-hover",
    }

    DEFAULT_CSS = """
    RowList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        padding: 0 1;
        background: $surface;
        & > .row-list--row-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .row-list--row-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .row-list--row-disabled {
            color: $text-disabled;
        }
        & > .row-list--row-hover {
            background: $block-hover-background;
        }
    }
    """

    # their watchers redraw the two rows concerned: no repaint of the whole list
    highlighted: reactive[int | None] = reactive(None, repaint=False)
    _hover: reactive[int | None] = reactive(None, repaint=False)

    class RowMessage(Message):
        """Something happened to one row of a list."""

        def __init__(self, row_list: RowList, row: Row, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.row = row
            self.index = index

        @property
        def control(self) -> RowList:
            """The list that sent the message."""
            return self.row_list

    class Highlighted(RowMessage):
        """The highlight moved to a row."""

    class Selected(RowMessage):
        """A row was chosen (Enter or a click)."""

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, row_height: int = 1
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.row_height = max(row_height, 1)
        self._rows: list[Row] = []
        self._index_of: dict[str, int] = {}
        self._strips: LRUCache[tuple[int, int, str], list[Strip]] = LRUCache(1024)
        self._sized: tuple[Size, ...] = ()
        self._frame: tuple[int, int, Strip] | None = None  # top line, width, a blank line
        self._framed = Frame()  # lines set in the list's border (see _line_key)

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scroll bar: drawn only when it changes (see ``QuickScrollBar``)."""
        return quick_vertical_scrollbar(self)

    # -- the rows -----------------------------------------------------------------------
    @property
    def rows(self) -> Sequence[Row]:
        """Every row, top to bottom."""
        return self._rows

    @property
    def row_count(self) -> int:
        """How many rows there are."""
        return len(self._rows)

    @property
    def highlighted_row(self) -> Row | None:
        """The highlighted row, if any."""
        return self._rows[self.highlighted] if self.highlighted is not None else None

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Replace every row; nothing is highlighted until asked."""
        old = len(self._rows)
        self._rows = list(rows)
        self._index_of = {r.id: i for i, r in enumerate(self._rows) if r.id is not None}
        self._strips.clear()
        self._hover = None
        self.set_reactive(RowList.highlighted, None)
        self._size_to_rows()
        scrolled = self.scroll_offset.y != 0
        self.scroll_to(0, 0, animate=False, immediate=True)
        if scrolled:
            self.refresh()
        else:  # the blank lines below both the old rows and the new stay as drawn
            self.refresh_lines(0, max(old, len(self._rows)) * self.row_height)

    def index_of(self, row_id: str) -> int | None:
        """The index of the row with this id, or None."""
        return self._index_of.get(row_id)

    def get_row(self, row_id: str) -> Row:
        """The row with this id (KeyError if there is none)."""
        return self._rows[self._index_of[row_id]]

    def replace_prompt(self, row_id: str, prompt: Text) -> None:
        """Show a new prompt in the row with this id, if there is one."""
        index = self._index_of.get(row_id)
        if index is None:
            return
        old = self._rows[index]
        self._rows[index] = Row(prompt, old.id, old.disabled)
        self._strips.clear()
        self._refresh_row(index)

    def highlight_id(self, row_id: str) -> None:
        """Move the highlight to the row with this id, if there is one, and show it."""
        index = self._index_of.get(row_id)
        if index is not None:
            self.highlighted = index
            self.scroll_to_highlight()

    # -- the highlight ------------------------------------------------------------------
    def validate_highlighted(self, highlighted: int | None) -> int | None:
        """Keep the highlight on a row (or nothing, for an empty list)."""
        if highlighted is None or not self._rows:
            return None
        return min(max(highlighted, 0), len(self._rows) - 1)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        """Redraw both rows (drawn lines are kept by state), show the new one and say so."""
        for index in (old, new):
            if index is not None:
                self._refresh_row(index)
        if new is None:
            return
        self.scroll_to_highlight()
        row = self._rows[new]
        if not row.disabled:
            self.post_message(self.Highlighted(self, row, new))

    def watch__hover(self, old: int | None, new: int | None) -> None:
        """Redraw the rows the mouse left and entered."""
        for index in (old, new):
            if index is not None and index < len(self._rows):
                self._refresh_row(index)

    def scroll_to_highlight(self) -> None:
        """Scroll so that the highlighted row is visible."""
        if self.highlighted is None or not self.is_mounted:
            return
        width = self.scrollable_content_region.width
        height = self.row_height
        self.scroll_to_region(
            Region(0, self.highlighted * height, width, height),
            animate=False,
            force=True,
            immediate=True,
        )

    def _step(self, start: int, direction: int) -> int | None:
        """The first enabled row from ``start`` on in ``direction``, if any."""
        index = start
        while 0 <= index < len(self._rows):
            if not self._rows[index].disabled:
                return index
            index += direction
        return None

    def action_cursor_down(self) -> None:
        """Highlight the next enabled row (the first, when none is highlighted)."""
        start = 0 if self.highlighted is None else self.highlighted + 1
        found = self._step(start, 1)
        if found is not None:
            self.highlighted = found

    def action_cursor_up(self) -> None:
        """Highlight the previous enabled row (the last, when none is highlighted)."""
        start = len(self._rows) - 1 if self.highlighted is None else self.highlighted - 1
        found = self._step(start, -1)
        if found is not None:
            self.highlighted = found

    def action_first(self) -> None:
        """Highlight the first enabled row."""
        found = self._step(0, 1)
        if found is not None:
            self.highlighted = found

    def action_last(self) -> None:
        """Highlight the last enabled row."""
        found = self._step(len(self._rows) - 1, -1)
        if found is not None:
            self.highlighted = found

    def _page(self, direction: int) -> None:
        if not self._rows:
            return
        page = max(self.scrollable_content_region.height // self.row_height, 1)
        start = (self.highlighted or 0) + direction * page
        start = min(max(start, 0), len(self._rows) - 1)
        found = self._step(start, direction)
        if found is None:
            found = self._step(start, -direction)
        if found is not None:
            self.highlighted = found

    def action_page_down(self) -> None:
        """Move the highlight a screenful down."""
        self._page(1)

    def action_page_up(self) -> None:
        """Move the highlight a screenful up."""
        self._page(-1)

    def action_select(self) -> None:
        """Choose the highlighted row."""
        index = self.highlighted
        if index is not None and not self._rows[index].disabled:
            self.post_message(self.Selected(self, self._rows[index], index))

    # -- the mouse ----------------------------------------------------------------------
    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        index = (self.scroll_offset.y + offset.y) // self.row_height
        return index if 0 <= index < len(self._rows) else None

    def on_click(self, event: events.Click) -> None:
        """A click on an enabled row highlights and chooses it."""
        index = self._row_at(event)
        if index is not None and not self._rows[index].disabled:
            self.highlighted = index
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Show which row is under the mouse."""
        self._hover = self._row_at(event)

    def on_leave(self, event: events.Leave) -> None:
        """The mouse left: no row is under it."""
        self._hover = None

    # -- drawing ------------------------------------------------------------------------
    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Take a new size only when it is new. ``ScrollView`` compares sizes that never
        match, so every layout of the screen would redraw this list's scroll bar (2.5 ms for
        40 lines) and, after a scroll, send it a resize that throws its drawn rows away."""
        sized = (size, virtual_size, container_size, self.virtual_size)
        if sized == self._sized:
            return False
        self._sized = sized
        return super()._size_updated(size, virtual_size, container_size, layout)

    def on_resize(self, event: events.Resize) -> None:
        """Rows are cut to the width, so a new width means new lines."""
        self._strips.clear()
        self._size_to_rows()

    def on_show(self) -> None:
        """A list shown again (the narrow layout hides one) shows its highlight."""
        self.scroll_to_highlight()

    def notify_style_update(self) -> None:
        """Focus and theme change the highlight's colours: draw again."""
        self._strips.clear()
        self._framed.clear()
        super().notify_style_update()

    def _size_to_rows(self) -> None:
        size = Size(self.scrollable_content_region.width, len(self._rows) * self.row_height)
        if size != self.virtual_size:  # a layout, but no repaint: lines say what to draw
            self.set_reactive(RowList.virtual_size, size)
            self.refresh(layout=True, repaint=False)

    def _refresh_row(self, index: int) -> None:
        for line in range(index * self.row_height, (index + 1) * self.row_height):
            self.refresh_line(line)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The rows' lines (for ``height: auto``)."""
        return len(self._rows) * self.row_height

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop``: what every line needs is looked up once, not per line."""
        width = self.scrollable_content_region.width
        blank = Strip.blank(width, self.get_visual_style("row-list--row").rich_style)
        self._frame = (self.scroll_offset.y, width, blank)
        try:
            framed = self._framed.lines(self, crop, self.render_line, self._line_key)
            return super().render_lines(crop) if framed is None else framed
        finally:
            self._frame = None

    def _line_key(self, y: int) -> object:
        """What line ``y`` shows: a line of a row (the object) in a state, or a blank line
        (by its place: one that showed a row is drawn again, as Textual would)."""
        index, line = divmod((self._frame[0] if self._frame else 0) + y, self.row_height)
        if 0 <= index < len(self._rows):
            return (self._rows[index], line, self._state(index))
        return y

    def render_line(self, y: int) -> Strip:
        """One line of the row at this line of the view, cut or padded to the width."""
        if self._frame is None:  # called on its own, not from render_lines
            width = self.scrollable_content_region.width
            blank = Strip.blank(width, self.get_visual_style("row-list--row").rich_style)
            frame = (self.scroll_offset.y, width, blank)
        else:
            frame = self._frame
        top, width, blank = frame
        index, line = divmod(top + y, self.row_height)
        if not 0 <= index < len(self._rows):
            return blank
        state = self._state(index)
        key = (index, width, state)
        strips = self._strips.get(key)
        if strips is None:
            style = self.get_visual_style("row-list--row", *([state] if state else []))
            strips = draw_row(self._rows[index].prompt, width, style.rich_style, self.row_height)
            self._strips[key] = strips
        return strips[line]

    def _state(self, index: int) -> str:
        row = self._rows[index]
        if row.disabled:
            return "row-list--row-disabled"
        if index == self.highlighted:
            return "row-list--row-highlighted"
        if index == self._hover:
            return "row-list--row-hover"
        return ""

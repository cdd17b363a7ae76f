"""The reading pane: one section at a time, scrollable, with clickable links and matches."""

from __future__ import annotations

from typing import Self, cast

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.message import Message
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

from importai_tui.ui.page import CURRENT_MATCH_STYLE, Page, Target
from importai_tui.ui.widgets.scrollbar import quick_vertical_scrollbar
from importai_tui.ui.wrap import WrappedText


class PageView(Static):
    """The text of the page; a click on a link asks the pane to follow it.

    A ``Static`` wraps its whole text twice (once to measure, once to draw) and styles every
    line each time it is drawn, though a screenful shows; this one wraps once per width
    and selection, for both, and styles only the screenful drawn, as ``Visual.to_strips``
    would style it.
    """

    def __init__(self, content: Text, *, id: str) -> None:
        super().__init__(content, id=id)
        self._wrapped: WrappedText | None = None
        self._wrapped_content: Content | None = None
        self._wrap_key: tuple[object, ...] = ()
        self._drawn: dict[int, Strip] = {}  # lines styled since the last refresh
        self._drawn_content: Content | None = None
        self._drawn_key: tuple[object, ...] = ()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The number of lines of the wrapped text (kept for drawing them)."""
        visual = self.visual
        if not isinstance(visual, Content) or not width:
            return super().get_content_height(container, viewport, width)
        return self.wrapped(visual, width, self.render_options()).height

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the page (Textual's line API): styled with the screenful it starts."""
        visual = self.visual
        if not isinstance(visual, Content):
            return super().render_line(y)
        key = (self.size, self.visual_style, self.text_selection)
        if visual is not self._drawn_content or key != self._drawn_key:
            self._drawn.clear()
            self._drawn_content, self._drawn_key = visual, key
        strip = self._drawn.get(y)
        if strip is None:
            width, screenful = self.size.width, self.container_viewport.height or 1
            lines = _PageLines(self, visual, y)
            strips = Visual.to_strips(self, lines, width, screenful, self.visual_style)
            self._drawn.update(enumerate(strips, y))
            strip = self._drawn.get(y) or Strip.blank(width, self.visual_style.rich_style)
        return strip

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Refresh, styling the lines again when they are drawn next."""
        self._drawn.clear()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def wrapped(self, content: Content, width: int, options: RenderOptions) -> WrappedText:
        """``content`` wrapped to ``width`` as ``Content.render_strips`` wraps it (cached;
        lines are formatted as they are drawn)."""
        key = (width, options.selection, options.selection_style, options.post_style)
        if content is not self._wrapped_content or key != self._wrap_key or self._wrapped is None:
            self._wrapped = WrappedText(
                content,
                width,
                options.get_style,
                options.selection,
                options.selection_style,
                options.post_style,
            )
            self._wrapped_content, self._wrap_key = content, key
        return self._wrapped

    def render_options(self) -> RenderOptions:
        """The options ``Visual.to_strips`` renders with (so measuring shares its wrap)."""
        selection = self.text_selection
        selection_style = None
        if selection is not None:
            styles = self.screen.get_component_styles("screen--selection")
            selection_style = Style.from_styles(styles)
        rules = cast(RulesMap, self.styles)  # as Visual.to_strips passes them
        return RenderOptions(self._get_style, rules, selection, selection_style)

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

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scroll bar: drawn only when it changes (see ``QuickScrollBar``)."""
        return quick_vertical_scrollbar(self)

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


class _PageLines(Visual):
    """Wrapped lines of a page's text from line ``y`` on, for ``Visual.to_strips`` to
    finish (link style, selection, alignment) as it does for a whole ``Static``."""

    def __init__(self, view: PageView, content: Content, y: int) -> None:
        self.view = view
        self.content = content
        self.y = y

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """``height`` lines from ``y`` (fewer at the end of the text)."""
        if not width:
            return []
        lines = self.view.wrapped(self.content, width, options)
        end = lines.height if height is None else self.y + height
        return [Strip(*line.to_strip(style)) for line in lines.lines(self.y, end)]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """As wide as the whole text would be."""
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        """The lines from ``y`` to the end."""
        return max(
            self.view.wrapped(self.content, width, self.view.render_options()).height - self.y, 0
        )

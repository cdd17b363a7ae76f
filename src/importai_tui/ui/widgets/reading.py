"""The reading pane: one section at a time, scrollable, with clickable links and matches."""

from __future__ import annotations

from typing import Self, cast

from rich.console import Console
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events, messages
from textual.app import App
from textual.binding import Binding
from textual.content import Content, Span
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from importai_tui.ui.page import CURRENT_MATCH_STYLE, Page, Target
from importai_tui.ui.widgets.framed import ContentLine, Frame
from importai_tui.ui.widgets.scrollbar import quick_vertical_scrollbar
from importai_tui.ui.wrap import WrappedText

TEXT_WIDTH = 96  # the longest line of text, however wide the pane


class ReadingPane(ScrollView, can_focus=True):
    """Shows one :class:`Page`; knows which search match is current.

    The pane draws the page's lines itself (Textual's line API): an open wraps the text
    once (:class:`WrappedText`, lines formatted only when drawn), sets the pane's virtual
    height, and styles the screenful shown, as ``Visual.to_strips`` styles a ``Static``'s
    text (links, selection, offsets for selecting). A click on a link follows it.
    """

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

    DEFAULT_CSS = """
    ReadingPane {
        overflow-x: hidden;
    }
    """

    class Follow(Message):
        """The reader chose a link of the page."""

        def __init__(self, target: Target) -> None:
            super().__init__()
            self.target = target

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.page: Page | None = None
        self.current_match: int | None = None
        self.content = Content("")
        self._wrapped: WrappedText | None = None
        self._wrapped_content: Content | None = None
        self._wrap_key: tuple[object, ...] = ()
        # lines styled since the last refresh (segments, cells), by line of the page
        self._drawn: dict[int, ContentLine] = {}
        self._framed = Frame()  # the same lines with the pane's border, by line
        self._drawn_content: Content | None = None
        self._drawn_key: tuple[object, ...] = ()
        self._frame: tuple[int, int, int] | None = None  # top line, width, height

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scroll bar: drawn only when it changes (see ``QuickScrollBar``)."""
        return quick_vertical_scrollbar(self)

    # -- what is shown ------------------------------------------------------------------
    def show(self, page: Page, *, first_match: bool = False, keep_place: bool = False) -> None:
        """Display ``page`` from the top, at its first match, or (``keep_place``, the same
        section redrawn) where the reader was."""
        self.page = page
        if keep_place:
            self._draw()
            return
        self.current_match = 0 if first_match and page.matches else None
        self._draw()
        self.scroll_home(animate=False, immediate=True)
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

    def action_follow(self, index: int) -> None:
        """Follow the link with this index in the page's targets (a click on a link)."""
        self.follow(index)

    def _draw(self) -> None:
        if self.page is None:
            return
        text = self.page.text
        if self.current_match is not None:
            text = text.copy()
            start, end = self.page.matches[self.current_match]
            text.stylize(CURRENT_MATCH_STYLE, start, end)
        self.content = page_content(text, self.app)
        self._measure()
        self.refresh()

    def _scroll_to_match(self) -> None:
        if self.page is None or self.current_match is None:
            return
        start, _ = self.page.matches[self.current_match]
        line = match_line(self.page.text, start, self.text_width)
        self.scroll_to(y=max(0, line - 3), animate=False)

    # -- measuring ----------------------------------------------------------------------
    @property
    def text_width(self) -> int:
        """The width the text is wrapped to."""
        return min(self.scrollable_content_region.width, TEXT_WIDTH)

    def _measure(self) -> None:
        """Make the scrollable height the wrapped text's."""
        width = self.scrollable_content_region.width
        if width:
            height = self.wrapped(self.content, self.text_width, self.render_options()).height
            self.virtual_size = Size(width, height)
            # Ask the screen for the layout now. Textual would post this when the pane next
            # goes idle, and the lists' repaints, posted first, could then have a frame of
            # their own draw the new text at the old height, and the layout redraw it.
            self.screen.post_message(messages.Layout(self))

    def on_resize(self, event: events.Resize) -> None:
        """A new width wraps the text anew."""
        self._measure()

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

    # -- drawing ------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop``: the screenful they start is styled in one go, and set in
        the pane's border without going through the styles cache (see ``Frame``)."""
        self._frame = self._view()
        top = self._frame[0]
        try:
            framed = self._framed.lines(self, crop, self._content_line, top.__add__)
            return super().render_lines(crop) if framed is None else framed
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the view (Textual's line API): styled with the screenful it starts."""
        return Strip(*self._content_line(y))

    def _content_line(self, y: int) -> ContentLine:
        """The segments and cells of line ``y`` of the view, padded to the view's width."""
        top, width, height = self._frame or self._view()  # render_line called on its own
        line = top + y
        drawn = self._drawn.get(line)
        if drawn is None:
            self._style_lines(line, width, height or 1)
            blank = Style(background=self.visual_style.background).rich_style
            drawn = self._drawn.get(line) or ([Segment(" " * width, blank)], width)
        return drawn

    def _style_lines(self, line: int, width: int, height: int) -> None:
        """Style ``height`` lines from ``line`` as ``Visual.to_strips`` styles a ``Static``'s
        text (selection, link style), padded to ``width`` as Textual pads content."""
        base = self.visual_style
        blank = Style(background=base.background).rich_style
        text_width = min(width, TEXT_WIDTH)
        if self.styles.content_align != ("left", "top"):  # not the reader's: as Textual does
            lines = _PageLines(self, self.content, line)
            strips = Visual.to_strips(self, lines, text_width, height, base)
            styled = [(list(strip), strip.cell_length) for strip in strips]
        else:
            wrapped = self.wrapped(self.content, text_width, self.render_options())
            link = self.auto_links and not self.is_container and not self.screen._selecting
            link_style = self.link_style if link else None
            styled = []
            for formatted in wrapped.lines(line, line + height) if text_width else []:
                segments, cells = formatted.to_strip(base)
                if link_style is not None:
                    segments = _with_link_style(segments, link_style)
                styled.append((segments, cells))
        for index, (segments, cells) in enumerate(styled, line):
            if cells < width:
                segments, cells = [*segments, Segment(" " * (width - cells), blank)], width
            self._drawn[index] = (segments, cells)

    def _view(self) -> tuple[int, int, int]:
        """The top line, width and height of the view; lines styled for another view of
        the page (another width, style or selection) are dropped."""
        region = self.scrollable_content_region
        key = (region.size, self.visual_style, self.text_selection)
        if self.content is not self._drawn_content or key != self._drawn_key:
            self._drawn.clear()
            self._framed.clear()
            self._drawn_content, self._drawn_key = self.content, key
        return self.scroll_offset.y, region.width, region.height

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Refresh, styling the lines again when they are drawn next."""
        self._drawn.clear()
        self._framed.clear()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text (offsets in the selection count in the page's lines)."""
        return selection.extract(self.content.plain), "\n"


def page_content(text: Text, app: App[object]) -> Content:
    """``Content.from_rich_text(text)``, without stripping control codes from the whole
    text again (about 1 ms for a long section): rich's ``Text`` took the same ones out as
    its parts were appended."""
    if text.style:
        return Content.from_rich_text(text, console=app.console)
    get_style, theme = app.console.get_style, app.ansi_theme
    spans = [
        Span(start, end, Style.from_rich_style(get_style(style), theme))
        if isinstance(style, str)
        else Span(start, end, Style.from_rich_style(style, theme))
        for start, end, style in text.spans
    ]
    return Content(text.plain, spans, strip_control_codes=False)


def match_line(text: Text, offset: int, width: int) -> int:
    """The wrapped line (0-based) on which character ``offset`` of ``text`` lands."""
    if width <= 0:
        return 0
    console = Console(width=width, legacy_windows=False)
    return max(0, len(text[:offset].wrap(console, width)) - 1)


def _with_link_style(segments: list[Segment], link_style: RichStyle) -> list[Segment]:
    """``Strip._apply_link_style``'s segments: links (``@click``) get ``link_style``."""
    return [
        (
            Segment(
                text,
                style
                if style._meta is None
                else (style + link_style if "@click" in style.meta else style),
                control,
            )
            if style
            else Segment(text)
        )
        for text, style, control in segments
    ]


class _PageLines(Visual):
    """Wrapped lines of a page's text from line ``y`` on, for ``Visual.to_strips`` to
    finish (link style, selection, alignment) as it does for a whole ``Static``."""

    def __init__(self, pane: ReadingPane, content: Content, y: int) -> None:
        self.pane = pane
        self.content = content
        self.y = y

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """``height`` lines from ``y`` (fewer at the end of the text)."""
        if not width:
            return []
        lines = self.pane.wrapped(self.content, width, options)
        end = lines.height if height is None else self.y + height
        return [Strip(*line.to_strip(style)) for line in lines.lines(self.y, end)]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """As wide as the whole text would be."""
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        """The lines from ``y`` to the end."""
        wrapped = self.pane.wrapped(self.content, width, self.pane.render_options())
        return max(wrapped.height - self.y, 0)

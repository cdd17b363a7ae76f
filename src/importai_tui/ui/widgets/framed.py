"""A bordered widget's lines drawn around its content without Textual's styles cache.

``Widget.render_lines`` passes every line through the widget's styles cache: the content
line is padded to the content width, padded again, given its border, post-processed and
filtered, each step a new ``Strip`` (with seven caches of its own). For the reading pane
that was 6 ms of every open of a long section. Here the border and padding of a content
row are drawn once by the styles cache itself (around a blank line) and each content line
is set between them and filtered in one go: the same segments, one ``Strip`` a line. The
top and bottom border rows still come from the styles cache, as do widgets with styles
this does not cover (tint, opacity, hatch, outline, vertical padding): ``framed_lines``
then returns None.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

ContentLine = tuple[list[Segment], int]  # a content line's segments and its cells
MAX_LINES = 2048  # framed lines kept (a long list scrolled through)


class Frame:
    """One widget's frame (border and padding of a content row) and the lines it has
    framed, by a key its owner chooses (say, the content line shown)."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] = ()
        self._lines: dict[object, Strip] = {}

    def clear(self) -> None:
        """Forget the lines framed (their content changed)."""
        self._lines.clear()

    def lines(
        self,
        widget: Widget,
        crop: Region,
        content_line: Callable[[int], ContentLine | Strip],
        line_key: Callable[[int], object],
    ) -> list[Strip] | None:
        """The widget's lines in ``crop`` as its styles cache draws them: content line
        ``y`` (0 at the top of the content area) is ``content_line(y)`` (a strip, or its
        segments and cells), kept by ``line_key(y)`` until :meth:`clear` (or until the
        frame changes); None when the widget's styles need Textual's own drawing."""
        styles = widget.styles
        if (
            widget.BLANK
            or widget.opacity != 1.0
            or styles.tint.a
            or styles.text_opacity != 1.0
            or (styles.has_rule("hatch") and styles.hatch != "none")
            or any(edge for edge, _ in styles.outline)
            or styles.padding.top
            or styles.padding.bottom
        ):
            return None
        size = widget.region.size
        width, height = size
        content_size = widget.content_region.size
        content_width, content_height = content_size
        gutter = styles.gutter
        if not content_width or not content_height:
            return None
        base_background, background = widget.background_colors
        cache = widget._styles_cache
        inner = cache.get_inner_outer(base_background, background)[0].rich_style
        app = widget.app
        template = cache.render_line(
            styles,
            gutter.top,
            size,
            content_size,
            styles.padding,
            base_background,
            background,
            lambda _: Strip.blank(content_width, inner),
            None,
            None,
            widget.opacity,
            app.ansi_theme,
            app.native_ansi_color,
        )
        sides = _split(list(template), gutter.left, content_width)
        if sides is None:
            return None
        left, right = sides
        filters = widget.get_line_filters()
        key = (size, content_size, tuple(left), tuple(right), inner, background, *filters)
        key += (styles.border, base_background)
        if key != self._key or len(self._lines) > MAX_LINES:
            self._lines.clear()
            self._key = key
        border_top = bool(styles.border_top[0])
        border_bottom = bool(styles.border_bottom[0])
        hover = _hover_link(widget)
        strips: list[Strip] = []
        for y in crop.line_range:
            if (border_top and y == 0) or (border_bottom and y == height - 1):
                # kept with the lines while nothing in the key changes; a titled border
                # is drawn afresh (the key does not cover its title)
                titled = widget._border_title is not None or widget._border_subtitle is not None
                strip = None if titled else self._lines.get(("border", y))
                if strip is None:
                    strip = cache.render_widget(widget, Region(0, y, width, 1))[0]
                    if not titled:
                        self._lines[("border", y)] = strip
                strips.append(strip)
                continue
            content_y = y - gutter.top
            lines_key = line_key(content_y)
            strip = self._lines.get(lines_key)
            if strip is None:
                content = content_line(content_y)
                if isinstance(content, Strip):
                    segments, cells = list(content), content.cell_length
                else:
                    segments, cells = content
                if cells < content_width:
                    segments = [*segments, Segment(" " * (content_width - cells), inner)]
                elif cells > content_width:
                    segments = list(Strip(segments, cells).adjust_cell_length(content_width))
                line = [*left, *segments, *right]
                for line_filter in filters:
                    line = line_filter.apply(line, background)
                strip = self._lines[lines_key] = Strip(line, width)
            if hover is not None:
                strip = strip.style_links(*hover)
            strips.append(strip)
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips


def _split(
    template: list[Segment], left_cells: int, content_width: int
) -> tuple[list[Segment], list[Segment]] | None:
    """The segments before and after the blank content of a template row."""
    cells = 0
    for index, segment in enumerate(template):
        if cells == left_cells:
            if segment.cell_length != content_width or segment.text.strip(" "):
                return None
            return template[:index], template[index + 1 :]
        cells += segment.cell_length
        if cells > left_cells:
            return None
    return None


def _hover_link(widget: Widget) -> tuple[str, Style] | None:
    """The link under the mouse and its hover style, as ``StylesCache.render_widget``
    highlights it."""
    if not widget.auto_links:
        return None
    hover_style = widget.hover_style
    if hover_style._link_id and hover_style._meta and "@click" in hover_style.meta:
        link_style_hover = widget.link_style_hover
        if link_style_hover:
            return hover_style.link_id, link_style_hover
    return None

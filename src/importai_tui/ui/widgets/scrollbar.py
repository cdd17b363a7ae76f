"""Vertical scroll bars drawn straight from their bar, not line by line through Textual's
styles cache: opening a long section redrew the reading pane's bar (41 lines) for 2-3 ms,
now for about 0.1 ms; a bar that has not changed is not drawn again. A bar is a few
distinct cells repeated (track, thumb), so each is styled and filtered once, not per line."""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

DEFAULT_BACK = Color.parse("#555555")  # as ScrollBarRender draws without colours
DEFAULT_BAR = Color.parse("bright_magenta")


class QuickScrollBar(ScrollBar):
    """A vertical ``ScrollBar`` whose lines are made once per position, size and colour."""

    def __init__(self, *, thickness: int = 1) -> None:
        super().__init__(vertical=True, name="vertical", thickness=thickness)
        self._drawn: list[Strip] = []
        self._drawn_key: tuple[object, ...] = ()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of the bar in ``crop`` (as ``ScrollBarRender`` draws them)."""
        bar = self.render()
        if not isinstance(bar, ScrollBarRender) or not bar.vertical:
            return super().render_lines(crop)
        width, height = self.size
        style = bar.style if isinstance(bar.style, Style) else Style.parse(str(bar.style))
        base = self.visual_style.rich_style  # what Textual lays under a widget's render
        background = self.background_colors[1]
        filters = self.get_line_filters()  # NO_COLOR, a light ANSI theme: as Textual
        key: tuple[object, ...] = (width, height, bar.virtual_size, bar.window_size)
        key += (bar.position, style, base, background, *filters)
        if key != self._drawn_key:
            segments = bar.render_bar(
                size=height,
                virtual_size=bar.virtual_size,
                window_size=bar.window_size,
                position=bar.position,
                thickness=width,
                vertical=True,
                back_color=style.bgcolor or DEFAULT_BACK,
                bar_color=style.color or DEFAULT_BAR,
            ).segments
            # a bar is a few distinct cells (track, thumb, its ends): one strip for each
            made: dict[Segment, Strip] = {}
            self._drawn = []
            for segment in segments:
                strip = made.get(segment)
                if strip is None:
                    strip = Strip([segment], width).apply_style(base)
                    for line_filter in filters:
                        strip = strip.apply_filter(line_filter, background)
                    made[segment] = strip
                self._drawn.append(strip)
            self._drawn_key = key
        return [strip.crop(crop.x, crop.right) for strip in self._drawn[crop.y : crop.bottom]]


def quick_vertical_scrollbar(widget: Widget) -> ScrollBar:
    """``widget``'s vertical scroll bar, made a :class:`QuickScrollBar` (as Textual's
    ``Widget.vertical_scrollbar`` makes its own)."""
    if widget._vertical_scrollbar is not None:
        return widget._vertical_scrollbar
    widget._vertical_scrollbar = bar = QuickScrollBar(thickness=widget.scrollbar_size_vertical)
    bar.display = False
    widget.app._start_widget(widget, bar)
    return bar

"""The quick scroll bars draw exactly what Textual's own scroll bars draw."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.scrollbar import ScrollBar

from importai_tui.ui.widgets.rowlist import Row, RowList
from importai_tui.ui.widgets.scrollbar import QuickScrollBar


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RowList(id="list")

    def on_mount(self) -> None:
        self.query_one(RowList).set_rows(Row(Text(f"row {i}")) for i in range(500))


def textual_s(bar: ScrollBar, crop: Region | None = None) -> list[object]:
    """The bar as Textual draws it: rendered afresh, through its styles cache."""
    bar._render_content()
    bar._styles_cache.clear()
    return [list(strip) for strip in ScrollBar.render_lines(bar, crop or bar.size.region)]


async def test_the_bar_is_textual_s_at_every_position_and_state() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 17)) as pilot:
        rows = app.query_one(RowList)
        bar = rows.vertical_scrollbar
        assert isinstance(bar, QuickScrollBar) and bar.display
        seen = set()
        for position in (0, 120, 250, 499):
            rows.highlighted = position
            await pilot.pause()
            for mouse_over in (False, True):
                bar.mouse_over = mouse_over
                await pilot.pause()
                drawn = [list(strip) for strip in bar.render_lines(bar.size.region)]
                assert drawn == textual_s(bar), (position, mouse_over)
                seen.add(str(drawn))
        assert len(seen) >= 4  # the thumb moved: these were different bars
        # a part of the bar, as the compositor asks for one
        part = bar.size.region.crop_size((1, 5)).translate((0, 3))
        assert [list(s) for s in bar.render_lines(part)] == textual_s(bar, part)
        assert len(textual_s(bar, part)) == 5

"""The row list behind the issue, section and result lists: only visible rows are drawn."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from tests.ui_support import main, make_app, wait_until
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from importai_tui.ui.widgets.lists import IssueList, SectionList
from importai_tui.ui.widgets.rowlist import Row, RowList, fit


class ListApp(App[None]):
    def __init__(self, rows: list[Row], row_height: int = 1) -> None:
        super().__init__()
        self.rows = rows
        self.row_height = row_height
        self.events: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield RowList(id="list", row_height=self.row_height)

    def on_mount(self) -> None:
        rows = self.query_one(RowList)
        rows.set_rows(self.rows)
        rows.styles.height = 10
        rows.focus()

    def on_row_list_highlighted(self, event: RowList.Highlighted) -> None:
        self.events.append(("highlighted", event.index))

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        self.events.append(("selected", event.index))


async def test_a_long_list_builds_only_the_prompts_it_shows() -> None:
    built: list[int] = []

    def prompt(i: int) -> Text:
        built.append(i)
        return Text(f"row {i}")

    rows = [Row(lambda i=i: prompt(i), f"r{i}") for i in range(20_000)]  # type: ignore[misc]
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(RowList)
        await pilot.press("end")
        await pilot.pause()
        assert lst.highlighted == 19_999
        assert lst.scroll_offset.y == 19_990  # the last row is at the bottom of 10 lines
        assert len(built) < 40, "only rows that were on screen are made"
        assert "row 19999" in lst.render_line(9).text
        await pilot.press("home", "down", "down")
        assert lst.highlighted == 2
        assert ("highlighted", 2) in app.events


async def test_keys_skip_disabled_rows_and_enter_selects() -> None:
    rows = [Row(Text("a"), "a"), Row(Text("header"), disabled=True), Row(Text("b"), "b")]
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(RowList)
        await pilot.press("down")
        assert lst.highlighted == 0
        await pilot.press("down")
        assert lst.highlighted == 2, "the disabled row is stepped over"
        await pilot.press("up")
        assert lst.highlighted == 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.events[-1] == ("selected", 0)
        lst.highlight_id("b")
        assert lst.highlighted_row is not None and lst.highlighted_row.id == "b"
        assert lst.index_of("nope") is None


async def test_page_keys_move_a_screenful() -> None:
    app = ListApp([Row(Text(f"row {i}")) for i in range(100)])
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(RowList)
        await pilot.press("down", "pagedown")
        assert lst.highlighted == 10
        await pilot.press("pageup")
        assert lst.highlighted == 0


async def test_two_line_rows_and_clicks() -> None:
    rows = [Row(Text(f"title {i}\nsnippet {i}"), f"r{i}") for i in range(30)]
    app = ListApp(rows, row_height=2)
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(RowList)
        assert "title 0" in lst.render_line(0).text
        assert "snippet 0" in lst.render_line(1).text
        assert "title 1" in lst.render_line(2).text
        await pilot.click(RowList, offset=(3, 5))  # line 5: the second line of row 2
        await pilot.pause()
        assert lst.highlighted == 2
        assert app.events[-1] == ("selected", 2)
        await pilot.press("end")
        assert lst.scroll_offset.y == 60 - 10


async def test_long_prompts_end_in_an_ellipsis_and_prompts_can_change() -> None:
    app = ListApp([Row(Text("x" * 100), "long"), Row(Text("short"), "s")])
    async with app.run_test(size=(20, 12)) as pilot:
        lst = app.query_one(RowList)
        line = lst.render_line(0).text
        assert line.rstrip().endswith("…") and len(line) == lst.scrollable_content_region.width
        lst.replace_prompt("s", Text("changed"))
        await pilot.pause()
        assert lst.get_row("s").prompt.plain == "changed"
        assert "changed" in lst.render_line(1).text


def test_fit_pads_or_cuts_to_exactly_the_width() -> None:
    bold = Style(bold=True)
    short = fit(Strip([Segment("ab", bold)]), 5)
    assert (short.text, short.cell_length) == ("ab   ", 5)
    cut = fit(Strip([Segment("abc", None), Segment("defgh", bold)]), 5)
    assert (cut.text, cut.cell_length) == ("abcd…", 5)
    assert list(cut)[-1].style == bold  # the ellipsis keeps the style of the text it ends
    # a wide character that would straddle the edge goes whole: still exactly the width
    wide = fit(Strip([Segment("漢字漢字")]), 4)
    assert wide.cell_length == 4 and wide.text.rstrip().endswith("…")
    assert fit(Strip([Segment("abc")]), 1).text == "…"
    assert fit(Strip([Segment("abc")]), 0).cell_length == 0


async def test_a_layout_elsewhere_leaves_the_list_and_its_scroll_bar_alone() -> None:
    """Textual's ScrollView updates its scroll bars after every layout of the screen; the
    list takes a size only when it changes, so another widget's layout costs it nothing."""
    app = ListApp([Row(Text(f"row {i}"), str(i)) for i in range(100)])
    async with app.run_test(size=(30, 14)) as pilot:
        lst = app.query_one(RowList)
        await pilot.pause()
        updates: list[object] = []
        update = lst._scroll_update
        lst._scroll_update = lambda size: (updates.append(size), update(size))  # type: ignore[method-assign]
        lst.screen.refresh(layout=True)
        await pilot.pause()
        assert updates == []
        lst.styles.height = 8  # a real change of size is still taken
        await pilot.pause()
        assert updates and lst.scrollable_content_region.height == 8


async def test_new_rows_redraw_only_the_rows_old_and_new() -> None:
    app = ListApp([Row(Text(f"old {i}"), str(i)) for i in range(5)])
    async with app.run_test(size=(30, 14)) as pilot:
        lst = app.query_one(RowList)
        await pilot.pause()
        drawn: list[int] = []
        render_line = lst.render_line
        lst.render_line = lambda y: (drawn.append(y), render_line(y))[1]  # type: ignore[method-assign]
        lst.set_rows([Row(Text(f"new {i}"), str(i)) for i in range(3)])
        lst.highlighted = 1
        await pilot.pause()
        assert sorted(set(drawn)) == [0, 1, 2, 3, 4]  # not the blank lines below
        screen = [strip.text for strip in app.screen._compositor.render_strips()]
        assert [line.strip() for line in screen[:5]] == ["new 0", "new 1", "new 2", "", ""]


def textual_s(widget: Widget, crop: Region) -> list[list[Segment]]:
    """A widget's lines as Textual draws them: through its styles cache, afresh."""
    widget._styles_cache.clear()
    return [list(strip) for strip in Widget.render_lines(widget, crop)]


async def test_framed_rows_are_what_the_styles_cache_draws() -> None:
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = main(app)
        await wait_until(pilot, lambda: screen.issue is not None)
        seen = set()
        for row_list in (screen.query_one(IssueList), screen.query_one(SectionList)):
            whole = row_list.region.size.region  # the border included
            for step in ("blurred", "focused", "moved and hovered"):
                if step == "focused":
                    row_list.focus()
                elif step == "moved and hovered":
                    row_list.action_cursor_down()
                    row_list._hover = 0
                await pilot.pause()
                drawn = [list(strip) for strip in row_list.render_lines(whole)]
                assert drawn == textual_s(row_list, whole), (row_list.id, step)
                seen.add(str(drawn))
            part = Region(1, 2, 12, 4)
            assert [list(s) for s in row_list.render_lines(part)] == textual_s(row_list, part)
        assert len(seen) == 6  # every step changed what was drawn
    rows = [Row(Text(f"row {i}"), f"r{i}") for i in range(30)]
    app2 = ListApp(rows)
    async with app2.run_test(size=(40, 20)) as pilot:
        row_list = app2.query_one(RowList)  # no border
        await pilot.pause()
        whole = row_list.region.size.region
        assert [list(s) for s in row_list.render_lines(whole)] == textual_s(row_list, whole)

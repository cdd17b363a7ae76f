"""Pilot tests of the reader's main screen: layout, moving, opening, resuming."""

from __future__ import annotations

import gc

from tests.test_ui_hostile import screen_text
from tests.ui_support import current_headline, issue_text, main, make_app, wait_until

from importai_tui.ui.screens.help import HelpScreen
from importai_tui.ui.widgets.lists import UNREAD_MARK, IssueList, SectionList
from importai_tui.ui.widgets.reading import ReadingPane
from importai_tui.ui.widgets.rowlist import RowList

SIZE = (160, 45)


async def test_opens_newest_issue_with_index_only() -> None:
    app = make_app()
    rows = app.collection.library.rows()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        issues = screen.query_one(IssueList)
        assert issues.row_count == len(rows)
        assert screen.issue is not None and screen.issue.id == rows[0].id
        assert screen.section == 1
        assert screen.title == rows[0].title
        assert screen.sub_title == f"section 1 of {len(screen.issue.sections)}"
        assert screen.query_one(SectionList).row_count >= len(screen.issue.sections)
        # only the opened issue has lost its unread mark
        prompts = [str(issues.rows[i].prompt) for i in range(len(rows))]
        assert not prompts[0].startswith(UNREAD_MARK)
        assert all(p.startswith(UNREAD_MARK) for p in prompts[1:])
        assert app.focused is screen.query_one(SectionList)
        await pilot.pause()


async def test_j_k_in_section_list_open_sections_and_enter_focuses_the_text() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        assert screen.issue is not None
        await pilot.press("j")
        assert screen.section == 2
        assert current_headline(app) == screen.issue.sections[1].headline
        await pilot.press("down", "k")
        assert screen.section == 2
        await pilot.press("enter")
        assert app.focused is screen.query_one(ReadingPane)


async def test_reading_pane_scrolls_with_j_and_k() -> None:
    app = make_app()
    async with app.run_test(size=(100, 20)) as pilot:
        screen = main(app)
        pane = screen.query_one(ReadingPane)
        pane.focus()
        await pilot.pause()
        assert pane.max_scroll_y > 0, "a section of the bundled issues should overflow 20 rows"
        await pilot.press("j", "j", "j")
        assert pane.scroll_y == 3
        await pilot.press("k")
        assert pane.scroll_y == 2


async def test_tab_and_shift_tab_cycle_the_panes() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        order = [screen.query_one(ReadingPane), screen.query_one(IssueList)]
        for widget in order:
            await pilot.press("tab")
            assert app.focused is widget
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one(ReadingPane)


async def test_issue_list_previews_sections_and_enter_opens_the_issue() -> None:
    app = make_app()
    rows = app.collection.library.rows()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one(IssueList)
        await pilot.press("j")
        assert screen.listed == rows[1].id
        assert screen.issue is not None and screen.issue.id == rows[0].id  # only a preview
        await pilot.press("enter")
        assert screen.issue.id == rows[1].id and screen.section == 1
        assert app.focused is screen.query_one(SectionList)


async def test_brackets_move_through_sections_and_across_issues() -> None:
    app = make_app()
    rows = app.collection.library.rows()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        assert screen.issue is not None
        count = len(screen.issue.sections)
        await pilot.press("right_square_bracket")
        assert (screen.issue.id, screen.section) == (rows[0].id, 2)
        await pilot.press(*["right_square_bracket"] * (count - 1))
        assert screen.issue.id == rows[1].id and screen.section == 1
        assert screen.query_one(IssueList).highlighted == 1
        await pilot.press("left_square_bracket")
        assert (screen.issue.id, screen.section) == (rows[0].id, count)
        assert screen.query_one(SectionList).highlighted == count - 1


async def test_bracket_at_the_first_section_of_the_newest_issue_says_so() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        before = (screen.issue, screen.section)
        await pilot.press("left_square_bracket")
        assert (screen.issue, screen.section) == before
        assert any("no more issues" in n.message for n in app._notifications)


async def test_g_opens_an_issue_by_number_and_refuses_unknown_ones() -> None:
    app = make_app()
    target = app.collection.library.rows()[-1]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", *"99999", "enter")
        assert app.screen.query_one("#goto-error").render().plain.startswith("no issue")
        await pilot.press("escape")
        screen = main(app)
        assert app.screen is screen
        await pilot.press("g", *target.id, "enter")
        assert app.screen is screen
        assert screen.issue is not None and screen.issue.id == target.id


async def test_resume_reopens_the_last_section_read() -> None:
    app = make_app()
    rows = app.collection.library.rows()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", *rows[2].id, "enter", "right_square_bracket")
        assert (main(app).issue.id, main(app).section) == (rows[2].id, 2)  # type: ignore[union-attr]
    app.store.close()
    app.collection.close()
    again = make_app()
    async with again.run_test(size=SIZE):
        screen = main(again)
        assert screen.issue is not None
        assert (screen.issue.id, screen.section) == (rows[2].id, 2)
        marked = str(screen.query_one(IssueList).get_row(rows[2].id).prompt)
        assert not marked.startswith(UNREAD_MARK)


async def test_start_issue_given_on_the_command_line_wins_over_resume() -> None:
    rows_app = make_app()
    last = rows_app.collection.library.rows()[-1]
    rows_app.store.set_position(rows_app.collection.library.rows()[0].id, 2)
    rows_app.store.close()
    rows_app.collection.close()
    app = make_app(start=last.id)
    async with app.run_test(size=SIZE):
        screen = main(app)
        assert screen.issue is not None and (screen.issue.id, screen.section) == (last.id, 1)


async def test_mentioned_in_lists_later_issues_and_opens_them() -> None:
    extra = {
        "a.txt": issue_text(9001, ["Robots fold towels", "Models count sheep"]),
        "b.txt": issue_text(
            9002, ["Towels revisited", "Other news"], body="Following up on Import AI 9001 here."
        ),
        "c.txt": issue_text(8999, ["Before towels", "More"], body="Import AI 9001 is to come."),
    }
    app = make_app(start="9001", extra=extra)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        sections = screen.query_one(SectionList)
        labels = [str(sections.rows[i].prompt) for i in range(sections.row_count)]
        assert any("Mentioned in" in label for label in labels)
        assert not any("Import AI 8999" in label for label in labels)  # only later issues
        mention = next(i for i, label in enumerate(labels) if "Import AI 9002" in label)
        sections.highlighted = mention
        await pilot.press("enter")
        assert screen.issue is not None and screen.issue.id == "9002"


async def test_help_opens_on_question_mark_and_f1_and_lists_every_key() -> None:
    from importai_tui.ui.screens.main import MainScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            assert isinstance(app.screen, HelpScreen)
            await pilot.pause()
            shown = screen_text(app)
            for binding in MainScreen.BINDINGS:
                assert binding.tooltip in shown  # type: ignore[union-attr]
            assert "? / f1" in shown and "] " in shown
            await pilot.press("escape")
            assert app.screen is main(app)


async def test_q_quits() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 0


async def test_narrow_terminal_hides_the_issue_list_until_focused() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main(app)
        issues, sections = screen.query_one(IssueList), screen.query_one(SectionList)
        await pilot.pause()
        assert screen.has_class("-narrow")
        assert issues.region.width == 0
        assert sections.region.width > 0
        reading = screen.query_one(ReadingPane)
        assert reading.region.width >= 40
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is issues and issues.region.width > 0
        assert sections.region.width == 0
        await pilot.press("tab")
        await pilot.pause()
        assert issues.region.width == 0 and sections.region.width > 0


async def test_clicking_a_section_opens_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        sections = screen.query_one(SectionList)
        await pilot.click(SectionList, offset=(5, 3))  # border row, then rows 1, 2, 3
        await pilot.pause()
        assert screen.section == 3
        assert isinstance(sections, RowList)


async def test_the_collector_is_back_on_once_the_index_is_built() -> None:
    gc.disable()  # as the command line starts the reader
    try:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.ready_index() is not None)
            await wait_until(pilot, gc.isenabled)
            assert gc.get_freeze_count() > 0  # the start-up objects are set aside
    finally:
        gc.enable()


async def test_opening_a_section_holds_the_collector_off_for_its_frames_only() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.ready_index() is not None)
        await wait_until(pilot, gc.isenabled)
        screen = main(app)
        assert screen.issue is not None
        screen.open_section(screen.issue.id, 2)
        assert not gc.isenabled()  # its frame is drawn without the collector's passes
        await wait_until(pilot, gc.isenabled)  # which run a tenth of a second later
        screen.open_section(screen.issue.id, 1)
        assert not gc.isenabled()
    assert gc.isenabled()  # quitting inside the hold ends it

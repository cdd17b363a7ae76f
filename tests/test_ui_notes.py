"""Pilot tests of bookmarks, notes and read state in the reader."""

from __future__ import annotations

from tests.test_ui_hostile import screen_text
from tests.ui_support import current_headline, main, make_app, wait_until
from textual.widgets import TextArea

from importai_tui.core.sqlite import sqlite3
from importai_tui.core.userstore import Anchor
from importai_tui.ui.screens.entries import EntriesScreen
from importai_tui.ui.screens.note import ConfirmScreen, NoteScreen
from importai_tui.ui.screens.search import SearchScreen
from importai_tui.ui.widgets.lists import BOOKMARK_MARK, NOTE_MARK, UNREAD_MARK, SectionList
from importai_tui.ui.widgets.reading import ReadingPane
from importai_tui.ui.widgets.rowlist import RowList

SIZE = (160, 45)


def section_row(app: object, index: int) -> str:
    sections = main(app).query_one(SectionList)  # type: ignore[arg-type]
    return str(sections.get_row(f"s:{index}").prompt)


async def test_b_toggles_a_bookmark_and_marks_the_section() -> None:
    app = make_app(start="395")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        [entry] = app.store.entries()
        assert (
            entry.bookmarked and entry.issue_id == "395" and entry.headline == current_headline(app)
        )
        assert BOOKMARK_MARK in section_row(app, 1)
        await pilot.press("b")
        assert app.store.entries() == []
        assert BOOKMARK_MARK not in section_row(app, 1)


async def test_a_writes_a_note_saved_with_ctrl_s_and_shown_under_the_headline() -> None:
    app = make_app(start="395")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "a")
        assert isinstance(app.screen, NoteScreen)
        assert current_headline(app) in screen_text(app)
        await pilot.press(*"first line", "enter", *"second line", "ctrl+s")
        assert app.screen is main(app)
        [entry] = app.store.entries()
        assert entry.note == "first line\nsecond line" and entry.section == 2
        assert NOTE_MARK in section_row(app, 2)
        page = main(app).query_one(ReadingPane).page
        assert page is not None and "first line\nsecond line" in page.text.plain
        # editing shows the saved text; clearing it removes the note
        await pilot.press("a")
        assert app.screen.query_one(TextArea).text == "first line\nsecond line"
        app.screen.query_one(TextArea).text = ""
        await pilot.press("ctrl+s")
        assert app.store.entries() == []


async def test_escape_with_unsaved_text_asks_before_discarding() -> None:
    app = make_app(start="395")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"draft", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.query_one(TextArea).text == "draft"
        await pilot.press("escape", "y")
        assert app.screen is main(app)
        assert app.store.entries() == []
        await pilot.press("a", "escape")  # nothing typed: leaves at once
        assert app.screen is main(app)


async def test_B_lists_entries_filters_opens_and_deletes_after_confirming() -> None:
    app = make_app(start="395")
    store = app.store
    store.set_note(Anchor("393", 5, "China’s best AI team says it", "Import AI 393"), "chips!")
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        issue = screen.issue
        assert issue is not None
        store.set_note(Anchor("395", 2, issue.sections[1].headline, issue.title), "phi models")
        store.toggle_bookmark(Anchor("395", 3, issue.sections[2].headline, issue.title))
        await pilot.press("B")
        assert isinstance(app.screen, EntriesScreen)
        assert [e.issue_id for e in app.screen.shown] == ["395", "395", "393"]  # newest first
        await pilot.press(*"phi modls")
        await pilot.pause()
        assert [e.note for e in app.screen.shown][:1] == ["phi models"]
        await pilot.press("enter")
        assert app.screen is screen and (screen.issue.id, screen.section) == ("395", 2)  # type: ignore[union-attr]
        await pilot.press("B", "down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert isinstance(app.screen, EntriesScreen)
        assert len(app.store.entries()) == 2
        assert len(app.screen.shown) == 2


async def test_an_entry_whose_section_is_gone_is_listed_and_opens_its_issue() -> None:
    app = make_app(start="395")
    app.store.set_note(
        Anchor("394", 9, "A story the parser no longer finds", "Import AI 394"), "kept"
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        assert "(section not found)" in screen_text(app)
        assert "kept" in screen_text(app)
        await pilot.press("enter")
        screen = main(app)
        assert screen.issue is not None and screen.issue.id == "394" and screen.section == 1
        assert any("can no longer be found" in n.message for n in app._notifications)


async def test_sections_become_read_r_toggles_and_the_issue_list_counts() -> None:
    app = make_app(start="395")
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        assert screen.issue is not None
        total = len(screen.issue.sections)
        issues = screen.query_one("#issues", RowList)

        def row() -> str:
            return str(issues.get_row("395").prompt)

        assert row().split()[0] == str(total - 1)  # one read, no longer "●"
        assert UNREAD_MARK not in section_row(app, 1) and UNREAD_MARK in section_row(app, 2)
        await pilot.press("right_square_bracket")
        assert row().split()[0] == str(total - 2)
        await pilot.press("r")
        assert row().split()[0] == str(total - 1)
        assert UNREAD_MARK in section_row(app, 2)
        await pilot.press("r")
        assert UNREAD_MARK not in section_row(app, 2)
    app.store.close()
    app.collection.close()
    again = make_app()
    async with again.run_test(size=SIZE):
        prompt = str(main(again).query_one("#issues", RowList).get_row("395").prompt)
        assert prompt.split()[0] == str(total - 2)


async def test_full_text_search_finds_notes_marked_as_notes() -> None:
    app = make_app(start="395")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket", "a")
        await pilot.press(*"zebrafish idea", "ctrl+s")
        noted = current_headline(app)
        await pilot.press("g", *"390", "enter")
        await pilot.press("s", *"zebrafish")
        await wait_until(pilot, lambda: app.screen.shown_query == "zebrafish")  # type: ignore[attr-defined]
        assert isinstance(app.screen, SearchScreen)
        assert "note" in screen_text(app) and NOTE_MARK in screen_text(app)
        await pilot.press("enter")
        assert current_headline(app) == noted


async def test_quitting_with_an_unsaved_note_asks_first() -> None:
    app = make_app(start="395")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"precious", "ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen) and app.is_running
        assert app.screen.query_one(TextArea).text == "precious"
        await pilot.press("ctrl+s", "ctrl+q")
        await wait_until(pilot, lambda: not app.is_running)
    assert app.store.entries()[0].note == "precious"


async def test_a_note_that_cannot_be_saved_comes_back_in_the_editor() -> None:
    app = make_app(start="395")
    async with app.run_test(size=SIZE) as pilot:
        app.store.conn.execute("PRAGMA busy_timeout=50")
        holder = sqlite3.connect(app.store.path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # another program holds the store
        try:
            await pilot.press("a", *"keep me", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, NoteScreen)
            assert app.screen.query_one(TextArea).text == "keep me"
            assert any(n.severity == "error" for n in app._notifications)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await pilot.press("ctrl+s")
        assert app.store.entries()[0].note == "keep me"


async def test_bookmarking_keeps_the_place_in_the_text() -> None:
    app = make_app(start="395")
    async with app.run_test(size=(100, 20)) as pilot:
        pane = main(app).query_one(ReadingPane)
        pane.focus()
        await pilot.press("j", "j", "j", "j")
        assert pane.scroll_y == 4
        await pilot.press("b")
        await pilot.pause()
        assert pane.scroll_y == 4

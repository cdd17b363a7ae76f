"""Pilot tests of the reader's ways to get somewhere: fuzzy jump, full-text search, links,
the command palette."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from rich.text import Text
from tests.ui_support import current_headline, issue_text, main, make_app, wait_until
from textual import events
from textual.command import CommandPalette
from textual.widgets import Input

from importai_tui.core import fulltext
from importai_tui.core.library import TextHit
from importai_tui.ui.screens.dialogs import GoToScreen, LinksScreen
from importai_tui.ui.screens.entries import EntriesScreen
from importai_tui.ui.screens.jump import JumpScreen
from importai_tui.ui.screens.note import NoteScreen
from importai_tui.ui.screens.query import QueryScreen, never
from importai_tui.ui.screens.search import SearchScreen
from importai_tui.ui.widgets.clean_input import CleanTextArea
from importai_tui.ui.widgets.reading import ReadingPane, match_line
from importai_tui.ui.widgets.rowlist import RowList

SIZE = (160, 45)


def results(app: object, selector: str) -> RowList:
    return app.screen.query_one(selector, RowList)  # type: ignore[attr-defined]


async def test_fuzzy_jump_opens_the_chosen_section_and_moves_both_lists() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        start = (screen.issue, screen.section)
        await pilot.press("slash")
        assert isinstance(app.screen, JumpScreen)
        await pilot.press(*"genie")
        await wait_until(pilot, lambda: app.screen.shown_query == "genie")  # type: ignore[attr-defined]
        first = app.screen.items[0].entry  # type: ignore[attr-defined]
        assert "genie" in first.headline.lower()
        prompt = results(app, "#results").rows[0].prompt
        highlighted = [
            prompt.plain[s.start : s.end] for s in prompt.spans if "yellow" in str(s.style)
        ]
        assert "".join(highlighted).lower() == "genie"
        await pilot.press("enter")
        assert app.screen is screen
        assert (screen.issue.id, screen.section) == (first.issue_id, first.section)  # type: ignore[union-attr]
        assert (screen.issue, screen.section) != start
        assert screen.query_one("#issues", RowList).highlighted_row.id == first.issue_id  # type: ignore[union-attr]
        assert screen.query_one("#sections", RowList).highlighted == first.section - 1
        assert app.focused is screen.query_one(ReadingPane)


async def test_fuzzy_jump_tolerates_typos_and_escape_returns() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        before = (screen.issue, screen.section)
        await pilot.press("slash", *"distrib trainng")
        await wait_until(pilot, lambda: app.screen.shown_query == "distrib trainng")  # type: ignore[attr-defined]
        top = app.screen.items[0].entry.headline.lower()  # type: ignore[attr-defined]
        assert "distributed training" in top
        await pilot.press("down")
        assert results(app, "#results").highlighted == 1
        await pilot.press("escape")
        assert app.screen is screen and (screen.issue, screen.section) == before


async def test_fuzzy_jump_enter_right_after_typing_uses_the_latest_query() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"genie", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, JumpScreen))
        assert "genie" in current_headline(app).lower()


async def test_fuzzy_jump_answers_within_the_change_of_the_box() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.ready_index() is not None)
        await pilot.press("slash")
        jump = app.screen
        assert isinstance(jump, JumpScreen)
        # answered inside the change itself, not a message (and often a frame) later
        jump.query_one("#query", Input).value = "genie"
        assert jump.shown_query == "genie" and "genie" in jump.items[0].entry.headline.lower()
        jump.query_one("#query", Input).value = "genie lamp"
        assert jump.shown_query == "genie lamp"


async def test_keys_in_one_burst_with_the_dialog_key_go_into_its_box() -> None:
    # A paste, a macro or a quick typist sends "/robot" in one read: the letters reach the
    # screen beneath before the dialog is there. They must end in the box, and bind nothing
    # ('o' opens the links and 'b' bookmarks, on the screen beneath).
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        for opener, char, typed in [("slash", "/", "robot"), ("s", "s", "chip embargo")]:
            burst = [(opener, char)] + [("space" if c == " " else c, c) for c in typed]
            for key, c in burst:
                app.post_message(events.Key(key, c))
            await wait_until(pilot, lambda t=typed: getattr(app.screen, "shown_query", "") == t)  # type: ignore[misc]
            dialog = app.screen
            assert isinstance(dialog, JumpScreen if char == "/" else SearchScreen)
            assert dialog.query_one("#query", Input).value == typed
            assert dialog.items, typed
            await pilot.press("escape")
            assert app.screen is screen
        assert not app.store.entries()


async def test_keys_in_one_burst_reach_the_go_to_note_and_filter_boxes() -> None:
    # The same for every dialog one types into: a burst's letters end in its box and bind
    # nothing beneath ('b' would bookmark the section, 'o' open its links).
    app = make_app(start="395")
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)

        async def burst(keys: str, dialog: type) -> None:
            for c in keys:
                name = {" ": "space", "B": "B"}.get(c, c)
                app.post_message(events.Key(name, c))
            await wait_until(pilot, lambda: isinstance(app.screen, dialog))
            await pilot.pause()

        await burst("g393", GoToScreen)
        assert app.screen.query_one("#goto-input", Input).value == "393"
        await pilot.press("enter")
        assert app.screen is screen and screen.issue is not None and screen.issue.id == "393"
        await burst("abob n", NoteScreen)
        assert app.screen.query_one(CleanTextArea).text == "bob n"
        await pilot.press("ctrl+s")
        [entry] = app.store.entries()
        assert entry.note == "bob n" and not entry.bookmarked and entry.issue_id == "393"
        await burst("Bbob", EntriesScreen)
        assert app.screen.query_one("#query", Input).value == "bob"
        assert [e.note for e in app.screen.shown] == ["bob n"]  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert app.screen is screen and len(app.store.entries()) == 1


async def test_letters_typed_ahead_of_the_dialog_being_built_start_its_query() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.ready_index() is not None)
        jump = JumpScreen()
        jump.type_ahead("gen")  # before its box exists
        jump.type_ahead("ie")
        await app.push_screen(jump)
        await wait_until(pilot, lambda: jump.shown_query == "genie")
        assert jump.query_one("#query", Input).value == "genie"
        assert "genie" in jump.items[0].entry.headline.lower()


async def test_full_text_search_highlights_and_n_cycles_matches() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("s", *"chip embargo")
        assert isinstance(app.screen, SearchScreen)
        await wait_until(pilot, lambda: app.screen.shown_query == "chip embargo")  # type: ignore[attr-defined]
        hit = app.screen.items[0]  # type: ignore[attr-defined]
        prompt = results(app, "#results").rows[0].prompt
        marked = {
            prompt.plain[s.start : s.end].lower() for s in prompt.spans if "yellow" in str(s.style)
        }
        assert marked & {"chip", "embargo"}
        await pilot.press("enter")
        assert app.screen is screen
        assert (screen.issue.id, screen.section) == (hit.issue_id, hit.section)  # type: ignore[union-attr]
        pane = screen.query_one(ReadingPane)
        assert pane.page is not None and len(pane.page.matches) >= 2
        words = {pane.page.text.plain[s:e].lower() for s, e in pane.page.matches}
        assert words <= {"chip", "embargo"} | {w for w in words if w.startswith("embargo")}
        assert pane.current_match == 0
        await pilot.press("n")
        assert pane.current_match == 1
        await pilot.press("N", "N")
        assert pane.current_match == len(pane.page.matches) - 1
        # the query is remembered for the next search
        await pilot.press("s")
        assert app.screen.query_one("#query").value == "chip embargo"  # type: ignore[attr-defined]


async def test_a_common_last_word_is_searched_highlighted_and_told_as_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fulltext, "COMMON", 1)  # every word of the library is common
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("s", *"robot")
        await wait_until(pilot, lambda: app.screen.shown_query == "robot")  # type: ignore[attr-defined]
        assert "whole word robot, robot* for more" in str(app.screen.query_one("#status").render())
        await pilot.press("enter")
        pane = screen.query_one(ReadingPane)
        assert pane.page is not None and pane.page.matches
        assert "robots" in pane.page.text.plain.lower()  # in the headline, and not marked
        assert {pane.page.text.plain[s:e].lower() for s, e in pane.page.matches} == {"robot"}


async def test_search_scrolls_the_reading_pane_to_a_match_far_down() -> None:
    body = " ".join(["filler words to push the match down the page."] * 80) + " zanzibarite."
    app = make_app(extra={"far.txt": issue_text(9050, ["A very long story", "Short"], body=body)})
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main(app)
        await pilot.press("s", *"zanzibarite")
        await wait_until(pilot, lambda: app.screen.shown_query == "zanzibarite")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        pane = screen.query_one(ReadingPane)
        assert pane.page is not None and len(pane.page.matches) == 1
        line = match_line(pane.page.text, pane.page.matches[0][0], pane.text_width)
        assert line > 30
        assert pane.scroll_y <= line < pane.scroll_y + pane.scrollable_content_region.height


async def test_n_without_a_search_says_so() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert any("no search yet" in n.message for n in app._notifications)


async def test_search_with_no_hits_says_so_and_enter_does_nothing() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", *"qqqxxyzzy")
        await wait_until(pilot, lambda: app.screen.shown_query == "qqqxxyzzy")  # type: ignore[attr-defined]
        status = app.screen.query_one("#status").render()
        assert "no section" in str(status)
        await pilot.press("enter")
        assert isinstance(app.screen, SearchScreen)


REFERRING = {
    "a.txt": issue_text(9001, ["Robots fold towels", "Models count sheep"]),
    "b.txt": issue_text(
        9002,
        ["Towels revisited", "Other news"],
        body="Import AI 9001 told the first half (#9001) and Import AI 7777 is not here.",
    ),
}


async def test_o_lists_links_and_an_issue_reference_opens_that_issue() -> None:
    app = make_app(start="9002", extra=REFERRING)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("o")
        assert isinstance(app.screen, LinksScreen)
        labels = [t.label for t in app.screen.targets]
        assert labels[:3] == ["Import AI 9001", "#9001", "Import AI 7777"]
        await pilot.press("enter")
        assert app.screen is screen and screen.issue is not None and screen.issue.id == "9001"


async def test_a_reference_to_an_issue_not_in_the_library_says_so() -> None:
    app = make_app(start="9002", extra=REFERRING)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o", "down", "down", "enter")
        assert main(app).issue.id == "9002"  # type: ignore[union-attr]
        assert any("not in the library" in n.message for n in app._notifications)


async def test_clicking_a_reference_in_the_text_opens_the_issue() -> None:
    app = make_app(start="9002", extra=REFERRING)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        pane = screen.query_one(ReadingPane)
        assert pane.page is not None
        plain = pane.page.text.plain
        offset = plain.index("Import AI 9001")
        line = match_line(pane.page.text, offset, pane.text_width)
        inside = pane.content_region.offset - pane.region.offset  # past the border and padding
        await pilot.click(ReadingPane, offset=(inside.x + 2, inside.y + line))
        await pilot.pause()
        assert screen.issue is not None and screen.issue.id == "9001"


async def test_o_with_a_web_link_refuses_unsafe_schemes() -> None:
    page_html = (
        "<h1>Import AI 9003: links</h1><p>Welcome to Import AI.</p>"
        "<p><strong>A story with links:</strong></p><p>…a subtitle…</p>"
        '<p>See <a href="javascript:alert(1)">this</a> and '
        '<a href="https://example.org/x">that</a>.</p><p>Thanks for reading!</p>'
    )
    app = make_app(start="9003", extra={"links.html": page_html})
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("o", "enter")
        assert any("not opening" in n.message for n in app._notifications)
        assert screen.issue is not None and screen.issue.id == "9003"


async def test_palette_goes_to_an_issue_and_jumps_to_a_section() -> None:
    app = make_app()
    last = app.collection.library.rows()[-1]
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*f"go to issue: {last.title[:20]}")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.issue is not None and screen.issue.id == last.id
        await wait_until(pilot, lambda: app._index is not None)
        await pilot.press("ctrl+p", *"jump to section: genie")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        assert "genie" in current_headline(app).lower()


class _SlowFirst(QueryScreen[str, str]):
    """Its search for "a" runs until a newer query cancels it, then fails."""

    def __init__(self) -> None:
        super().__init__()
        self.given_up: list[str] = []

    def find(self, query: str, cancelled: Callable[[], bool] = never) -> list[str]:
        if query == "a":
            deadline = time.monotonic() + 10
            while not cancelled() and time.monotonic() < deadline:
                time.sleep(0.005)
            self.given_up.append("cancelled" if cancelled() else "ran out")
            raise RuntimeError("interrupted")  # as a cancelled SQL statement fails
        return [query.upper()]

    def prompt(self, item: str) -> Text:
        return Text(item)

    def status(self, query: str, items: list[str]) -> str:
        return f"{len(items)} found"

    def answer(self, item: str, query: str) -> str:
        return item


async def test_typing_on_cancels_the_running_search_and_drops_its_failure() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = _SlowFirst()
        await app.push_screen(dialog)
        await pilot.press("a")
        await pilot.pause(0.1)
        await pilot.press("b")
        await wait_until(pilot, lambda: dialog.shown_query == "ab")
        await wait_until(pilot, lambda: bool(dialog.given_up), timeout=15)
        assert dialog.given_up == ["cancelled"]  # told to stop by the newer query
        await pilot.pause(0.2)
        assert dialog.items == ["AB"]
        notes = [n.message for n in app._notifications]
        assert not any("interrupted" in note for note in notes), notes  # nobody wants it


async def test_a_short_last_word_says_why_it_finds_nothing_yet() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "r", "o")
        dialog = app.screen
        await wait_until(pilot, lambda: dialog.shown_query == "ro")  # type: ignore[attr-defined]
        status = str(dialog.query_one("#status").render())
        assert "from 3 letters" in status
        await pilot.press("b")
        await wait_until(pilot, lambda: dialog.shown_query == "rob")  # type: ignore[attr-defined]
        assert dialog.items  # type: ignore[attr-defined]
        assert "from 3 letters" not in str(dialog.query_one("#status").render())


def test_the_status_line_counts_one_hit_or_match_in_the_singular() -> None:
    hit = TextHit("395", 395, 1, "story", "A headline", "a \x02snippet\x03", -1.0)
    search = SearchScreen()
    assert search.status("snippet", [hit]) == "1 hit"
    assert search.status("snippet", [hit, hit]) == "2 hits"
    jump = JumpScreen()
    assert jump.status("head", [object()]) == "1 best match"  # type: ignore[list-item]
    assert jump.status("head", [object(), object()]) == "2 best matches"  # type: ignore[list-item]

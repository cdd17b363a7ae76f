"""The reader over hostile text that got past the cleaning on the way in, and hostile pastes.

An issue in the library and a note in the user store hold raw escape sequences, as written
by an older version; the reading pane, the entries list, the note search, the note editor,
the delete question and the links dialog must still draw none of them. Pasting escapes into
any text box must not put them on the screen either. Links: only http, https and mailto
open, with the sanitized address; the others are listed, marked, and refused with a message.
"""

from __future__ import annotations

from pathlib import Path

from tests.hostile_terminal import (
    ESC,
    HREFS,
    LITERAL,
    NUMBER,
    OSC52,
    SAFE_TARGET,
    TRAP,
    plant_issue,
    plant_old_note,
    store_path,
)
from tests.ui_support import main, wait_until
from textual import events
from textual.app import App
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, TextArea

from importai_tui.core import paths
from importai_tui.core.collection import Collection
from importai_tui.core.userstore import FILENAME, UserStore
from importai_tui.ui import app as app_module
from importai_tui.ui.app import ReaderApp
from importai_tui.ui.page import Target
from importai_tui.ui.screens.dialogs import GoToScreen, LinksScreen
from importai_tui.ui.screens.entries import EntriesScreen
from importai_tui.ui.screens.note import ConfirmScreen, NoteScreen
from importai_tui.ui.screens.search import SearchScreen
from importai_tui.ui.widgets.reading import ReadingPane

SIZE = (200, 50)
OLD_NOTE = f"old note {TRAP}\nsecond line {OSC52}end"
PASTE = f"trap{ESC}[31m{OSC52}\u202eword{ESC}]8;;http://evil.example{ESC}\\"


class RecordingApp(ReaderApp):
    """The reader, with the browser replaced by a list of the addresses it was asked to open
    (no browser runs here)."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # not beside this file
    opened: list[str]

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Remember ``url`` instead of starting a browser."""
        self.opened.append(url)


def make_recording_app(start: str | None = None) -> RecordingApp:
    """The reader over the test's library and user store, opening at ``start``."""
    app = RecordingApp(Collection.open(), UserStore.open(paths.data_dir() / FILENAME), start)
    app.opened = []
    return app


def screen_text(app: App[None]) -> str:
    """Every character on the screen, as the terminal would receive it (minus styles)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_clean(app: App[None], *expected: str) -> str:
    """The screen holds no control, C1 or bidi character, and every ``expected`` text."""
    text = screen_text(app)
    bad = {
        f"U+{ord(c):04X}"
        for c in text
        if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F or c in "\u202a\u202b\u202d\u202e"
    }
    assert not bad, f"control characters on the screen: {sorted(bad)}"
    for literal in expected:
        assert literal in text, f"{literal!r} not shown"
    return text


async def test_an_old_raw_note_shows_clean_everywhere() -> None:
    issue = plant_issue()
    plant_old_note(issue, 1, OLD_NOTE)
    app = make_recording_app(start=str(NUMBER))
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        assert screen.issue is not None and screen.issue.id == str(NUMBER)
        assert_clean(app, "old note T", "second line end", LITERAL, "[0] [b")

        await pilot.press("B")  # every bookmark and note
        assert isinstance(app.screen, EntriesScreen)
        assert_clean(app, "old note T", "Old T")
        await pilot.press("down", "d")  # the delete question names the headline
        assert isinstance(app.screen, ConfirmScreen)
        assert_clean(app, "Old T")
        await pilot.press("n", "escape")

        await pilot.press("s", *"second")  # the full-text search lists matching notes
        await wait_until(pilot, lambda: app.screen.shown_query == "second")  # type: ignore[attr-defined]
        assert isinstance(app.screen, SearchScreen)
        assert_clean(app, "note Old T", "old note T")
        await pilot.press("escape")

        await pilot.press("a")  # the editor opens with the note cleaned
        assert isinstance(app.screen, NoteScreen)
        expected = "old note Trap [bold red]x[/] evil c1 [0] [b\nsecond line end"
        assert app.screen.query_one(TextArea).text == expected
        assert_clean(app, "old note T", LITERAL)
        await pilot.press("escape")  # nothing was changed: it leaves without asking
        assert not isinstance(app.screen, (NoteScreen, ConfirmScreen))
    store = UserStore.open(store_path())
    try:
        assert [e.note for e in store.entries()] == [OLD_NOTE]  # looking changed nothing
    finally:
        store.close()


async def test_links_dialog_lists_every_link_and_opens_only_web_ones() -> None:
    plant_issue()
    app = make_recording_app(start=str(NUMBER))
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        assert screen.issue is not None and screen.issue.id == str(NUMBER)
        await pilot.press("o")
        assert isinstance(app.screen, LinksScreen)
        text = assert_clean(app, "hostile https link", "javascript link", "file link")
        assert text.count("will not open") == 3
        assert "will not open (javascript: link)" in text and "(data: link)" in text
        labels = [t.label for t in app.screen.targets]
        refused = [
            i
            for i, label in enumerate(labels)
            if label.split()[0] in ("javascript", "file", "data")
        ]
        assert len(refused) == 3
        for index in range(len(labels)):
            if not isinstance(app.screen, LinksScreen):
                await pilot.press("o")
            app.screen.query_one(OptionList).highlighted = index
            await pilot.press("enter")
            await pilot.pause()
        assert app.opened == [SAFE_TARGET, "https://ok.example/x%20y"]
        messages = [n.message for n in app._notifications]
        assert sum("refused" in m for m in messages) == 3, messages
        for scheme in ("javascript:", "file:", "data:"):
            assert any(scheme in m and "refused" in m for m in messages), scheme
        assert all(ESC not in m and OSC52 not in m for m in messages)
        assert_clean(app)  # the notifications on the screen too

        # the dialog cleans what it is given itself, whoever built the targets
        raw = [Target(f"raw {TRAP}", HREFS["hostile https"]), Target(TRAP, HREFS["data"])]
        app.push_screen(LinksScreen(raw, set()))
        await pilot.pause()
        assert_clean(app, "raw Trap", "https://ok.example/ab", "will not open (data: link)")


async def test_pasted_escapes_never_reach_a_text_box() -> None:
    plant_issue()
    app = make_recording_app(start=str(NUMBER))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        box = app.screen.query_one(Input)
        app.post_message(events.Paste(PASTE))  # as the terminal sends it: to the focused box
        await wait_until(pilot, lambda: app.screen.shown_query == "trapword")  # type: ignore[attr-defined]
        assert box.value == "trapword"
        assert_clean(app, "trapword")
        await pilot.press("escape")

        await pilot.press("slash")  # the fuzzy jump
        box = app.screen.query_one(Input)
        app.post_message(events.Paste(f"head {OSC52}[b"))
        await wait_until(pilot, lambda: box.value == "head [b")
        assert_clean(app, "head [b")
        await pilot.press("escape")

        await pilot.press("g")
        assert isinstance(app.screen, GoToScreen)
        box = app.screen.query_one(Input)
        app.post_message(events.Paste(f"{ESC}[2J9{ESC}]0;title{chr(7)}555\u202e"))
        await wait_until(pilot, lambda: box.value == "9555")
        await pilot.press("enter")
        assert main(app).issue is not None and main(app).issue.id == str(NUMBER)  # type: ignore[union-attr]

        await pilot.press("B")
        box = app.screen.query_one(Input)
        app.post_message(events.Paste(PASTE))
        await wait_until(pilot, lambda: box.value == "trapword")
        assert_clean(app)
        await pilot.press("escape")

        await pilot.press("a")
        area = app.screen.query_one(TextArea)
        app.post_message(events.Paste(f"pasted {PASTE}\nline two\t{ESC}[31mred"))
        await wait_until(pilot, lambda: "line two" in area.text)
        assert area.text == "pasted trapword\nline two\tred"
        assert_clean(app, "pasted trapword")
        await pilot.press("ctrl+s")
        pane = main(app).query_one(ReadingPane)
        assert pane.page is not None and "pasted trapword" in pane.page.text.plain

        await pilot.press("ctrl+p")  # the command palette's box is Textual's own
        assert isinstance(app.screen, CommandPalette)
        app.post_message(events.Paste(PASTE))
        await wait_until(pilot, lambda: app.screen.query_one(Input).value == "trapword")
        assert_clean(app, "trapword")
        await pilot.press("escape")
    store = UserStore.open(store_path())
    try:
        assert [e.note for e in store.entries()] == ["pasted trapword\nline two\tred"]
    finally:
        store.close()


async def test_text_boxes_take_no_escapes_from_code_either() -> None:
    """The boxes clean what they are given too, not only what the app passes on."""
    plant_issue()
    app = make_recording_app(start=str(NUMBER))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        box = app.screen.query_one(Input)
        box.value, box.cursor_position = "<>", 1
        box.insert_text_at_cursor(PASTE)
        box.insert_text_at_cursor("s")  # the cursor stands right after the cleaned text
        assert box.value == "<trapwords>"
        box.value = f"{ESC}[2J{PASTE}"
        assert box.value == "trapword"
        await wait_until(pilot, lambda: app.screen.shown_query == "trapword")  # type: ignore[attr-defined]
        assert_clean(app, "trapword")
        await pilot.press("escape", "a")
        area = app.screen.query_one(TextArea)
        area.replace(f"code {PASTE}\n", area.document.start, area.document.end)
        assert area.text == "code trapword\n"
        assert_clean(app, "code trapword")

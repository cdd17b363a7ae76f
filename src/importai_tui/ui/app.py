"""The reader application: owns the collection, the user store and the headline index."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.worker import Worker

from importai_tui.core.collection import Collection
from importai_tui.core.userstore import UserStore
from importai_tui.ui.collector import TICK, IdleCollector
from importai_tui.ui.commands import IssueProvider, SectionProvider
from importai_tui.ui.errors import report_worker_error
from importai_tui.ui.paste import CleanPasteApp
from importai_tui.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from importai_tui.core.fuzzy import HeadlineIndex

# Start-up time counts (issue 7): modules only some actions need (the fuzzy index, fetching,
# dialogs) are imported where they are first needed.


class ReaderApp(CleanPasteApp):  # pastes arrive cleaned
    """Read Import AI: issue list, section list, reading pane."""

    CSS_PATH = "app.tcss"
    TITLE = "Import AI"
    COMMANDS = App.COMMANDS | {IssueProvider, SectionProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit (you reopen where you left)"),
        Binding(
            "question_mark,f1", "help", "Help", key_display="?", id="app.help", tooltip="This help"
        ),
    ]

    def __init__(self, collection: Collection, store: UserStore, start: str | None = None) -> None:
        super().__init__()
        self.collection = collection
        self.store = store
        self.start = start
        self.last_query = ""
        self.stopping = threading.Event()  # tells background fetches to give up on quit
        self._index: HeadlineIndex | None = None
        self._index_ready = threading.Event()
        self._collector = IdleCollector()

    @property
    def feed_url(self) -> str:
        """Where u fetches from; IMPORTAI_FEED_URL lets a test (or a mirror) stand in for
        Substack."""
        from importai_tui.core.fetch import DEFAULT_FEED  # the fetch code loads on first use

        return os.environ.get("IMPORTAI_FEED_URL") or DEFAULT_FEED

    def on_key(self, event: events.Key) -> None:
        """A letter no binding wanted goes into the box of the query dialog on top. Keys
        that came in one burst with the key opening it (a quick typist, a paste, a macro)
        were sent to the screen beneath before the dialog was there, and would be lost."""
        # (asked of the screen, not checked against QueryScreen: importing that here would
        # load the dialogs' code on the first key of all, 13 ms)
        type_ahead = getattr(self.screen, "type_ahead", None)
        if type_ahead is None or not event.is_printable or not event.character:
            return
        # this handler runs before the bindings are looked at: a key bound on the dialog
        # ('d' deletes in the bookmarks' list) is its binding's, not a letter typed ahead
        if event.key not in self.screen.active_bindings:
            type_ahead(event.character)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed background task becomes a notification."""
        report_worker_error(self, event)

    def on_mount(self) -> None:
        """Show the main screen, then index the headlines in the background."""
        self.push_screen(MainScreen(self.start))
        for notice in self.collection.notices:
            self.notify(notice, timeout=8, markup=False)
        self.call_after_refresh(self.build_index)
        self.set_interval(TICK, self._collector.tick)

    async def on_event(self, event: events.Event) -> None:
        """Note when the reader last had input (see ui.collector), then as the app does."""
        if isinstance(event, events.InputEvent):
            self._collector.saw_input()
        await super().on_event(event)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, name="indexing")
    def build_index(self) -> None:
        """Index every headline for the fuzzy jump (off the UI thread)."""
        from importai_tui.core.fuzzy import HeadlineIndex

        gc.unfreeze()  # a rebuild (after an update) lets the old index be collected
        try:
            self._index = HeadlineIndex.from_library(self.collection.library)
        finally:
            self._index_ready.set()
            # The index and the start-up objects live as long as the app: leave them out of
            # the collector's full passes, which otherwise take 50-190 ms every few opens or
            # keystrokes with 10,000 issues. (The command line starts the reader with the
            # collector off, for the same objects: it is on from here.)
            gc.freeze()
            self._collector.started()  # full passes wait for a pause
            gc.enable()

    def hold_collector(self) -> None:
        """Keep the cyclic collector out of the frames drawn next, for a tenth of a second.

        Drawing a section makes some 15,000 short-lived containers (Textual's strips and
        their caches), and the collector's passes over them cost 10-15 ms an open when they
        fall inside its frame. Held off, the same passes run in the pause after it; a key
        held down still lets them run every tenth of a second.
        """
        if self._collector.held or not gc.isenabled():
            return  # already held, or still off from start-up (build_index turns it on)
        gc.disable()
        self._collector.held = True
        self.set_timer(0.1, self._release_collector)

    def _release_collector(self) -> None:
        if self._collector.held:
            self._collector.held = False
            gc.enable()

    def on_unmount(self) -> None:
        """Leave the collector on when quitting inside a hold (its timer no longer runs),
        with Python's own thresholds."""
        self._release_collector()
        self._collector.stop()

    def headline_index(self, timeout: float | None = None) -> HeadlineIndex | None:
        """The headline index, waiting up to ``timeout`` seconds for it (call from a thread)."""
        self._index_ready.wait(timeout)
        return self._index

    def format_title(self, title: str, sub_title: str) -> Content:
        """Where you are first (section n of m), then the issue: narrow headers cut the end."""
        if not sub_title:
            return Content(title)
        return Content.assemble((sub_title, "bold"), (" · ", "dim"), Content(title))

    def ready_index(self) -> HeadlineIndex | None:
        """The headline index if it is built already (never waits)."""
        return self._index

    async def action_quit(self) -> None:
        """Quit, but never drop an unsaved note without asking."""
        from importai_tui.ui.screens.note import ConfirmScreen, NoteScreen

        editing = [s for s in self.screen_stack if isinstance(s, NoteScreen) and s.unsaved]
        if not editing:
            self.stopping.set()
            self.exit()
            return
        if isinstance(self.screen, ConfirmScreen):
            return  # already asking

        def answered(yes: bool | None) -> None:
            if yes:
                self.stopping.set()
                self.exit()

        self.push_screen(ConfirmScreen("Quit and drop the note you have not saved?"), answered)

    def action_help(self) -> None:
        """Show the keys."""
        from importai_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers the reader's actions next to Textual's own."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            yield from screen.palette_commands()

"""The main screen: browsing, plus the reader's own marks: bookmarks, notes, read state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from importai_tui.core.collection import Collection
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.userstore import Entry, anchor_of, locate
from importai_tui.ui.context import reader
from importai_tui.ui.screens.browse import BrowseScreen
from importai_tui.ui.widgets.status import UpdateStatus

if TYPE_CHECKING:
    from importai_tui.core.fetch import FetchSummary


class MainScreen(BrowseScreen):
    """b bookmarks, a writes a note, B lists them all, r toggles read, u updates."""

    updating = False

    BINDINGS = [
        Binding("b", "bookmark", "Bookmark", id="main.bookmark",
                tooltip="Bookmark this section, or remove its bookmark"),
        Binding("a", "note", "Note", id="main.note",
                tooltip="Write or edit your note on this section (ctrl+s saves)"),
        Binding("B", "entries", "Bookmarks", id="main.entries",
                tooltip="All bookmarks and notes: filter, Enter opens, d deletes"),
        Binding("r", "toggle_read", "Read/unread", show=False, id="main.read",
                tooltip="Mark this section read or unread"),
        Binding("u", "update", "Update", id="main.update",
                tooltip="Fetch new issues from the feed, in the background"),
    ]  # fmt: skip

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Browsing's commands, then the marks'."""
        yield from super().palette_commands()
        yield SystemCommand(
            "Bookmark", "Bookmark this section (or remove it)", self.action_bookmark
        )
        yield SystemCommand("Note…", "Write a note on this section", self.action_note)
        yield SystemCommand("Bookmarks and notes…", "All of them", self.action_entries)
        yield SystemCommand(
            "Read / unread", "Toggle this section's read mark", self.action_toggle_read
        )

    # -- updating from the feed ---------------------------------------------------------
    def action_update(self) -> None:
        """Fetch new issues in the background; the list grows when they arrive."""
        if self.updating:
            self.notify("already updating", timeout=2)
            return
        self.updating = True
        self.query_one(UpdateStatus).begin(reader(self).feed_url)
        self.run_update()

    @work(thread=True, exclusive=True, group="update", exit_on_error=False, name="update")
    def run_update(self) -> None:
        """Fetch the feed in a thread, reporting progress to the status line."""
        from importai_tui.core.fetch import fetch_feed

        app = reader(self)
        status = self.query_one(UpdateStatus)

        def progress(done: int, total: int | None, what: str) -> None:
            app.call_from_thread(status.step, done, total, what)

        # a connection of its own: the UI's reads never see an issue half-replaced
        coll = Collection.open(app.collection.data_dir, app.collection.cache_dir, seed=False)
        try:
            summary = fetch_feed(coll, app.feed_url, progress=progress, stop=app.stopping)
        finally:
            coll.close()
        app.call_from_thread(self._updated, summary)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Failures become notifications; a finished update hides its status line."""
        # (Textual also calls BrowseScreen's handler, which reports a failure)
        if event.worker.name == "update" and event.state in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
            WorkerState.SUCCESS,
        ):
            self.updating = False
            self.query_one(UpdateStatus).end()

    def _updated(self, summary: FetchSummary) -> None:
        if summary.not_modified or not (summary.new or summary.updated):
            self.notify("no new issues", timeout=3)
            return
        self.reload()
        reader(self).build_index()
        self.notify(
            f"{summary.new} new, {summary.updated} updated, {summary.unchanged} unchanged",
            title="Updated",
            timeout=6,
        )

    def _refresh_marks(self, *, page: bool = True) -> None:
        if self.issue is not None:
            self._list_sections(self.issue, refresh=True)
            if page:
                self.show_page(keep_place=True)

    def action_bookmark(self) -> None:
        """Toggle the bookmark on the current section."""
        if self.issue is None:
            return
        try:
            marked = reader(self).store.toggle_bookmark(anchor_of(self.issue, self.section))
        except sqlite3.Error as exc:
            self.notify(f"bookmark not saved: {exc}", severity="error", markup=False)
            return
        self._refresh_marks(page=False)
        self.notify("bookmarked" if marked else "bookmark removed", timeout=2)

    def action_note(self) -> None:
        """Open the note editor on the current section."""
        from importai_tui.ui.screens.note import NoteScreen  # imported when first used

        if self.issue is None:
            return
        anchor = anchor_of(self.issue, self.section)
        entry = reader(self).store.entry(anchor)
        issue_id, section = self.issue.id, self.section

        def saved(text: str | None) -> None:
            if text is None or self.issue is None:
                return
            try:
                entry = reader(self).store.set_note(anchor, text)
            except sqlite3.Error as exc:
                # nothing typed is lost: the editor comes back with the text in it
                self.notify(f"note not saved: {exc}", severity="error", markup=False)
                self.app.push_screen(NoteScreen(anchor.headline, note, text), saved)
                return
            if (self.issue.id, self.section) == (issue_id, section):
                self._refresh_marks()
            self.notify("note saved" if entry and entry.note else "note removed", timeout=2)

        note = entry.note if entry and entry.note else ""
        self.app.push_screen(NoteScreen(anchor.headline, note), saved)

    def action_entries(self) -> None:
        """Every bookmark and note; open the chosen one."""
        assert self.cache is not None
        found = {
            e.id: locate(e, self.cache.get(e.issue_id)) is not None
            for e in reader(self).store.entries()
            if e.id is not None
        }
        from importai_tui.ui.screens.entries import EntriesScreen  # imported when first used

        self.app.push_screen(EntriesScreen(found), self._open_entry)

    def _open_entry(self, entry: Entry | None) -> None:
        if self.issue is not None:
            self._refresh_marks()  # entries may have been deleted meanwhile
        if entry is None or self.cache is None:
            return
        issue = self.cache.get(entry.issue_id)
        section = locate(entry, issue)
        if issue is None:
            self.notify(f"issue {entry.issue_id} is no longer in the library", markup=False)
            return
        if section is None:
            self.notify("that section can no longer be found; showing its issue", markup=False)
        self.open_section(issue.id, section or 1)
        self._refresh_marks()

    def action_toggle_read(self) -> None:
        """Mark the current section unread (or read again)."""
        if self.issue is None:
            return
        store = reader(self).store
        headline = self.issue.sections[self.section - 1].headline
        try:
            if store.mark_unread(self.issue.id, headline):
                self.count_read(self.issue.id, -1)
                self.notify("marked unread", timeout=2)
            else:
                store.mark_read(self.issue.id, self.section, headline)
                self.count_read(self.issue.id, 1)
                self.notify("marked read", timeout=2)
        except sqlite3.Error as exc:
            self.notify(f"read mark not saved: {exc}", severity="error", markup=False)
        self._list_sections(self.issue, refresh=True)

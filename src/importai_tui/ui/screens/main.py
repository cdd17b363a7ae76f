"""The main screen: browsing, plus the reader's own marks: bookmarks, notes, read state."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import SystemCommand
from textual.binding import Binding

from importai_tui.core.userstore import Entry, anchor_of, locate
from importai_tui.ui.context import reader
from importai_tui.ui.screens.browse import BrowseScreen
from importai_tui.ui.screens.entries import EntriesScreen
from importai_tui.ui.screens.note import NoteScreen


class MainScreen(BrowseScreen):
    """b bookmarks, a writes a note, B lists them all, r toggles read."""

    BINDINGS = [
        Binding("b", "bookmark", "Bookmark", id="main.bookmark",
                tooltip="Bookmark this section, or remove its bookmark"),
        Binding("a", "note", "Note", id="main.note",
                tooltip="Write or edit your note on this section (ctrl+s saves)"),
        Binding("B", "entries", "Bookmarks", id="main.entries",
                tooltip="All bookmarks and notes: filter, Enter opens, d deletes"),
        Binding("r", "toggle_read", "Read/unread", show=False, id="main.read",
                tooltip="Mark this section read or unread"),
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

    def _refresh_marks(self) -> None:
        if self.issue is not None:
            self._list_sections(self.issue, refresh=True)
            self.show_page()

    def action_bookmark(self) -> None:
        """Toggle the bookmark on the current section."""
        if self.issue is None:
            return
        marked = reader(self).store.toggle_bookmark(anchor_of(self.issue, self.section))
        self._refresh_marks()
        self.notify("bookmarked" if marked else "bookmark removed", timeout=2)

    def action_note(self) -> None:
        """Open the note editor on the current section."""
        if self.issue is None:
            return
        anchor = anchor_of(self.issue, self.section)
        entry = reader(self).store.entry(anchor)
        issue_id, section = self.issue.id, self.section

        def saved(text: str | None) -> None:
            if text is None or self.issue is None:
                return
            entry = reader(self).store.set_note(anchor, text)
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
        self.app.push_screen(EntriesScreen(found), self._open_entry)

    def _open_entry(self, entry: Entry | None) -> None:
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
        if store.mark_unread(self.issue.id, headline):
            self.count_read(self.issue.id, -1)
            self.notify("marked unread", timeout=2)
        else:
            store.mark_read(self.issue.id, self.section, headline)
            self.count_read(self.issue.id, 1)
            self.notify("marked read", timeout=2)
        self._list_sections(self.issue, refresh=True)

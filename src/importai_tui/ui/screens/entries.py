"""Bookmarks and notes: every entry, newest first, filtered as you type."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from importai_tui.core.fuzzy import Entry as FuzzyEntry
from importai_tui.core.fuzzy import HeadlineIndex
from importai_tui.core.sanitize import clean, clean_line
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.userstore import Entry
from importai_tui.ui.context import reader
from importai_tui.ui.screens.note import ConfirmScreen
from importai_tui.ui.widgets.clean_input import CleanInput, type_into
from importai_tui.ui.widgets.lists import BOOKMARK_MARK, NOTE_MARK

MIN_SCORE = 60.0  # below this a filter match is noise
MAX_SHOWN = 200  # filtered entries shown at most


def entry_prompt(entry: Entry, found: bool) -> Text:
    """Marks, date, issue, headline; the note's first lines under it. The fixed-width parts
    come first so a long headline is what wraps, not the date."""
    text = Text()
    text.append(BOOKMARK_MARK if entry.bookmarked else " ", style="bold yellow")
    text.append(NOTE_MARK if entry.note else " ", style="bold green")
    # cleaned here too: a store written by an older version may hold escapes
    title = clean_line(entry.issue_title)[:30]
    issue = f"Import AI {entry.issue_id}" if entry.issue_id.isdigit() else title
    text.append(f" {clean_line(entry.updated[:10])}  {issue}  ", style="dim")
    text.append(clean_line(entry.headline), style="bold")
    if not found:
        text.append("  (section not found)", style="red")
    if entry.note:
        lines = clean(entry.note).strip().splitlines()
        more = " …" if len(lines) > 2 else ""
        text.append("\n    " + "\n    ".join(lines[:2]) + more, style="green")
    return text


class EntriesScreen(ModalScreen[Entry | None]):
    """Enter jumps to an entry's section; d deletes it (after asking)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="entries.cancel"),
        # typing goes to the filter; down (or Tab) goes to the list, where d deletes
        Binding("down", "to_list", "To the list", show=False, id="entries.to_list"),
        Binding("d,delete", "delete", "Delete", id="entries.delete"),
    ]

    def __init__(self, found: dict[int, bool]) -> None:
        super().__init__(classes="dialog")
        self.found = found  # entry id -> whether its section is still there
        self.all: list[Entry] = []
        self.shown: list[Entry] = []
        self.index: HeadlineIndex | None = None  # built on the first filter, reset on delete
        self.typed = ""  # keys typed ahead of the filter box (see type_ahead)

    def compose(self) -> ComposeResult:
        """A filter box, a status line and the entries."""
        with Vertical(classes="box wide tall"):
            yield CleanInput(self.typed, placeholder="Filter bookmarks and notes", id="query")
            yield Label("", id="status", markup=False)
            yield OptionList(id="results", markup=False)

    def on_mount(self) -> None:
        """Show every entry (or those matching what was typed ahead)."""
        self.all = reader(self).store.entries()
        self.show(self.query_one("#query", Input).value)

    def type_ahead(self, text: str) -> None:
        """Type ``text`` into the filter (see :func:`type_into`)."""
        if not type_into(self, "#query", text):
            self.typed += text

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter on every keystroke."""
        self.show(event.value)

    def show(self, query: str) -> None:
        """Entries matching ``query`` (fuzzy over headline and note), or all, newest first."""
        if query.strip():
            if self.index is None:
                # the jump's per-word matcher, with the note standing in for the subtitle;
                # the position in self.all rides in the section field
                self.index = HeadlineIndex(
                    [
                        FuzzyEntry(e.issue_id, None, i, "story", e.headline, e.note or "")
                        for i, e in enumerate(self.all)
                    ]
                )
            found = self.index.match(query, limit=MAX_SHOWN)
            self.shown = [self.all[m.entry.section] for m in found if m.score >= MIN_SCORE]
        else:
            self.shown = list(self.all)
        results = self.query_one("#results", OptionList)
        results.set_options(
            Option(entry_prompt(e, self.found.get(e.id or 0, True))) for e in self.shown
        )
        if self.shown:
            results.highlighted = 0
        total = len(self.all)
        noun = "entry" if total == 1 else "entries"
        status = f"{len(self.shown)} of {total}" if query.strip() else f"{total} {noun}"
        if not total:
            status = "no bookmarks or notes yet: b bookmarks a section, a writes a note"
        self.query_one("#status", Label).update(status + "  ·  Enter opens · ↓ then d deletes")

    def action_to_list(self) -> None:
        """Leave the filter for the list."""
        self.query_one("#results", OptionList).focus()

    def _highlighted(self) -> Entry | None:
        index = self.query_one("#results", OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    def on_input_submitted(self) -> None:
        """Enter opens the highlighted entry."""
        entry = self._highlighted()
        if entry is not None:
            self.dismiss(entry)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click or Enter on an entry opens it."""
        self.dismiss(self.shown[event.option_index])

    def action_delete(self) -> None:
        """Delete the highlighted entry once the reader says yes."""
        entry = self._highlighted()
        if entry is None or entry.id is None:
            return
        entry_id = entry.id

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    reader(self).store.delete(entry_id)
                except sqlite3.Error as exc:
                    self.notify(f"not deleted: {exc}", severity="error", markup=False)
                    return
                self.all = [e for e in self.all if e.id != entry_id]
                self.index = None
                self.show(self.query_one("#query", Input).value)
                self.notify("deleted", timeout=2)

        what = (
            "bookmark and note"
            if entry.bookmarked and entry.note
            else ("note" if entry.note else "bookmark")
        )
        self.app.push_screen(ConfirmScreen(f"Delete the {what} on “{entry.headline}”?"), answered)

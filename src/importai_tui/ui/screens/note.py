"""The note editor, and a yes/no question asked before anything is thrown away.

A note saved by an older version may hold escape sequences; the editor opens it cleaned,
and typing or pasting adds none (:class:`CleanTextArea`).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from importai_tui.core.sanitize import clean, clean_line
from importai_tui.ui.widgets.clean_input import CleanTextArea, type_into


class ConfirmScreen(ModalScreen[bool]):
    """A question answered with y (or Enter on Yes) or n / Esc."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog")
        self.question = question

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(classes="box"):
            yield Label(Text(clean(self.question)), id="question")
            with Horizontal(id="answers"):
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        """No is the safe default."""
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A click or Enter on a button answers."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Answer from the keyboard."""
        self.dismiss(yes)


class NoteScreen(ModalScreen[str | None]):
    """Edit the note on one section: ctrl+s saves, Esc leaves (asking if text would be lost)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True),
        # the text area would otherwise take Esc to move focus away
        Binding("escape", "leave", "Cancel", id="note.cancel", priority=True),
    ]

    def __init__(self, headline: str, note: str, draft: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.headline = clean_line(headline)
        self.original = clean(note)  # as saved (cleaned alike, or it would always differ)
        self.draft = self.original if draft is None else clean(draft)  # what the editor shows

    def compose(self) -> ComposeResult:
        """The headline, the text area, the keys."""
        with Vertical(classes="box wide", id="note-box"):
            yield Label(Text(f"Note on: {self.headline}", style="bold"), id="note-headline")
            yield CleanTextArea(self.draft, id="note-text", soft_wrap=True, tab_behavior="indent")
            yield Label(Text("ctrl+s save · Esc cancel · an empty note removes it", style="dim"))

    def on_mount(self) -> None:
        """Start typing at the end of the note."""
        area = self.query_one(CleanTextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def type_ahead(self, text: str) -> None:
        """Type ``text`` at the cursor (see :func:`type_into`); before the editor is there,
        after the draft, where the cursor starts."""
        if not type_into(self, "#note-text", text):
            self.draft += clean(text)

    @property
    def text(self) -> str:
        """The text as it stands in the editor."""
        return self.query_one(CleanTextArea).text

    @property
    def unsaved(self) -> bool:
        """Whether the editor holds text that was not saved."""
        return self.text != self.original

    def action_save(self) -> None:
        """Answer the text to be saved."""
        self.dismiss(self.text)

    def action_leave(self) -> None:
        """Leave; if the text changed, ask first."""
        if not self.unsaved:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the changes to this note?"), answered)

"""Text boxes that keep out what a paste can carry: escape sequences, controls, bidi overrides.

A key press inserts only printable characters, but a paste inserts anything: without this
an escape sequence pasted into a search box or a note would be drawn raw by the terminal.
"""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.widgets import Input, TextArea
from textual.widgets.text_area import EditResult, Location

from importai_tui.core.sanitize import clean


class CleanInput(Input):
    """An ``Input`` whose value never holds a control character or an escape sequence."""

    def replace(self, text: str, start: int, end: int) -> None:
        """Replace as ``Input`` does, with the new text cleaned (typing and pasting come here)."""
        super().replace(clean(text).replace("\t", " "), start, end)

    def validate_value(self, value: str) -> str:
        """A value set from code is cleaned as well."""
        return clean(value).replace("\n", " ").replace("\t", " ")


class CleanTextArea(TextArea):
    """A ``TextArea`` into which typing or pasting puts no control character or escape."""

    def replace(
        self,
        insert: str,
        start: Location,
        end: Location,
        *,
        maintain_selection_offset: bool = True,
    ) -> EditResult:
        """Replace as ``TextArea`` does, with the inserted text cleaned (tabs and newlines
        stay)."""
        return super().replace(
            clean(insert), start, end, maintain_selection_offset=maintain_selection_offset
        )


def type_into(dialog: DOMNode, selector: str, text: str) -> bool:
    """Type ``text`` into the dialog's box at its cursor; False if the box is not there yet
    (the dialog then starts its box with it). Keys that come in one burst with the key
    opening a dialog (a quick typist, a paste, a macro) reach the screen beneath before
    the dialog is there: the reader hands them on (``ReaderApp.on_key``)."""
    try:
        box = dialog.query_one(selector)
    except NoMatches:
        return False
    if isinstance(box, TextArea):
        box.insert(text)
    elif isinstance(box, Input):
        box.insert_text_at_cursor(text)
    return True

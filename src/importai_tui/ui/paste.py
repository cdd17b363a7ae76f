"""Pastes arrive cleaned: no escape sequence, control character or bidi override in them.

The terminal hands a paste to the app, which passes it to the focused widget: any text box,
the command palette's own among them. Cleaning it here, once, covers every one of them.
"""

from __future__ import annotations

from textual import events
from textual.app import App

from importai_tui.core.sanitize import clean


class CleanPasteApp(App[None]):
    """An ``App`` whose widgets only ever receive cleaned pastes (tabs and newlines stay)."""

    async def on_event(self, event: events.Event) -> None:
        """Clean a paste before it is passed on; everything else as ``App`` does."""
        if isinstance(event, events.Paste):
            event.text = clean(event.text)
        await super().on_event(event)

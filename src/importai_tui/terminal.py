"""Command-line output that no text from a newsletter, a note or a file name can take over.

Text is sanitized where it enters (``core.sanitize``), and again here where it leaves:
a library or user store written by an older version, a file name, or a link target may
still hold escape sequences, control characters or bidi overrides. :class:`SafeConsole`
strips them from every segment it prints, whether to a terminal or a pipe, and keeps a
hyperlink (OSC 8) only for an http, https or mailto address, sanitized. The styling
sequences rich adds itself are not text, so they are kept.

JSON keeps the data exactly: every control, C1 and bidi character in it is written as a
``\\uXXXX`` escape, which JSON readers decode to the same text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from importai_tui.core.links import openable
from importai_tui.core.sanitize import clean

# json.dumps escapes C0 itself; these it writes raw when ensure_ascii is off
_RAW_IN_JSON = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


class SafeConsole(Console):
    """A rich console that prints text, never controls, whatever the text holds."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        """Render as rich does, then strip escapes and controls from every text segment."""
        for segment in super().render(renderable, options):
            text, style, control = segment
            if control:  # made by rich (cursor moves and the like), not from the text
                yield segment
                continue
            if style is not None and style.link:
                target = openable(style.link)
                if target != style.link:
                    style = style.update_link(target)
            yield Segment(clean(text), style)


def json_text(data: Any) -> str:
    """``data`` as indented JSON in which no character can act on a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return escape_json(text)


def escape_json(text: str) -> str:
    """JSON text with the control, C1 and bidi characters json.dumps left raw escaped."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

"""Which links may leave the program: the one scheme check for the reader and the command line.

Only http, https and mailto links open in a browser or become terminal hyperlinks (OSC 8);
every other scheme (``javascript:``, ``file:``, ``data:``, ...) is shown but refused. The
address handed on is the one checked: escapes, controls and bidi overrides removed, and
anything outside printable ASCII percent-encoded, so it can close no escape sequence.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from importai_tui.core.sanitize import clean_line

OPEN_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def scheme(url: str) -> str | None:
    """The scheme of ``url`` as a browser would see it (lower case), or None if it has none."""
    m = _SCHEME.match(clean_line(url))
    return m.group(1).lower() if m else None


def openable(url: str | None) -> str | None:
    """``url`` made safe to open or to hand to a terminal, or None when it must not open."""
    if not url:
        return None
    shown = clean_line(url)
    if scheme(shown) not in OPEN_SCHEMES:
        return None
    # a terminal hyperlink's target must be printable ASCII, or it can end the sequence early
    return "".join(c if "!" <= c <= "~" else quote(c, safe="") for c in shown)


def shown_url(url: str) -> str:
    """``url`` as text for the screen: one line, no escapes or controls."""
    return clean_line(url)


def refusal(url: str) -> str:
    """The message telling why ``url`` is not opened."""
    shown = shown_url(url)
    if len(shown) > 80:
        shown = shown[:79] + "…"
    what = f"{scheme(url)}: links" if scheme(url) else "links without a scheme"
    return f"not opening {shown!r}: {what} are refused; only http, https and mailto links open"

"""Make untrusted newsletter text safe to store and show: no control characters or escapes."""

from __future__ import annotations

import re

# ESC-introduced sequences (CSI, OSC, DCS, ...) and their 8-bit C1 forms, then lone controls.
_ESCAPES = re.compile(
    r"(?:\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL/ST (hyperlinks, clipboard)
    r"|\x1b[P^_][^\x1b]*(?:\x1b\\)?"  # DCS / PM / APC ... ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*(?:\x07|\x9c)?)"  # 8-bit OSC
)
# C0 and C1 controls except tab and newline; bidi overrides and isolates; BOM; zero-width no-break.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(text: str) -> str:
    """Strip terminal escape sequences, control characters and bidi overrides from ``text``."""
    # Every escape starts with a character _CONTROLS matches, so text it finds nothing in
    # is clean as it is (most text: newlines alone make isprintable() false).
    if not text.isprintable() and _CONTROLS.search(text):
        text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    return text


def clean_url(url: str | None) -> str | None:
    """A link target fit to show and open: no escapes, controls, bidi marks or whitespace.

    None when nothing is left. Whitespace goes too (not folded), as browsers drop it from
    URLs; an escape sequence goes whole, so an OSC 52 payload cannot survive as text.
    """
    if url is None:
        return None
    url = "".join(clean(url).split())
    return url or None


def clean_line(text: str) -> str:
    """Like :func:`clean`, and also fold every whitespace run (newlines included) to one space."""
    return " ".join(clean(text).split())

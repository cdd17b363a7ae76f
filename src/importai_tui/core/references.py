"""The issue numbers a section of an issue mentions: 'Import AI 123', '(#123)', links."""

from __future__ import annotations

import re

from importai_tui.core import patterns as P
from importai_tui.core.model import Section

_MPORT = re.compile(b"mport")
_I_FOLDS = (b"i", "\u0130".encode(), "\u0131".encode())  # what an I is, lowered, in UTF-8


def section_refs(section: Section, body: str) -> set[int]:
    """Issue numbers a section mentions, in its headline, subtitle, link targets or
    ``body`` (its text, ``section.text``)."""
    # One string, its parts parted by a NUL, which no pattern's match can hold (nor take
    # for a word character): the matches in it are those in each part, found in one call.
    haystack = "\0".join([section.headline, section.subtitle or "", *_urls(section), body])
    # Most sections mention no issue, and the expressions (three of them case-insensitive)
    # are slow to scan a body with: run each only where its quick gate lets it through.
    blob = haystack.encode("utf-8", "surrogatepass").lower()  # (str.lower: 5x slower)
    found: set[int] = set()
    for pattern, gate in P.REFERENCE_GATES:
        if gate.search(blob):
            found.update(int(m) for m in _find_all(pattern, haystack, blob))
    return found


def _urls(section: Section) -> list[str]:
    return [link.url for link in section.links]


def _find_all(pattern: re.Pattern[str], text: str, blob: bytes | None = None) -> list[str]:
    """``pattern.findall(text)``, for the 'Import AI' pattern tried only where it can start
    (its matches cannot overlap one another's starts, so this finds the same ones); ``blob``
    is ``text`` in UTF-8 (surrogatepass), lowered, if the caller has it."""
    if pattern is not P.REFERENCE_PATTERNS[0]:
        return pattern.findall(text)
    if blob is None:
        blob = text.encode("utf-8", "surrogatepass").lower()
    # Where a match can start, an I (any of its case folds) then "mport" in any case, is
    # found in the lowered bytes, whose literal scan is ~9x quicker than the expression's
    # over the text; a byte offset becomes a character's by decoding the bytes before it.
    found = []
    chars = done = 0  # blob[:done] holds text[:chars]
    for hit in _MPORT.finditer(blob):
        at = hit.start()
        if blob[at - 1 : at] != b"i" and blob[max(at - 2, 0) : at] not in _I_FOLDS:
            continue
        chars += len(blob[done:at].decode("utf-8", "surrogatepass"))
        done = at
        match = pattern.match(text, chars - 1)
        if match:
            found.append(match.group(1))
    return found

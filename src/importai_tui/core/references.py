"""The issue numbers a section of an issue mentions: 'Import AI 123', '(#123)', links."""

from __future__ import annotations

import re

from importai_tui.core import patterns as P
from importai_tui.core.model import Section


def section_refs(section: Section, body: str) -> set[int]:
    """Issue numbers a section mentions, in its headline, subtitle, link targets or
    ``body`` (its text, ``section.text``)."""
    haystack = [section.headline, section.subtitle or ""]
    haystack += [link.url for link in section.links]
    haystack.append(body)
    # Most sections mention no issue, and the expressions (three of them case-insensitive)
    # are slow to scan a body with: run each only where its quick gate lets it through.
    blob = "\n".join(haystack).encode("utf-8", "surrogatepass").lower()  # (str.lower: 5x)
    found: set[int] = set()
    for pattern, gate in P.REFERENCE_GATES:
        if gate.search(blob):
            for text in haystack:
                found.update(int(m) for m in _find_all(pattern, text))
    return found


def _find_all(pattern: re.Pattern[str], text: str) -> list[str]:
    """``pattern.findall(text)``, for the 'Import AI' pattern tried only where it can start
    (its matches cannot overlap one another's starts, so this finds the same ones)."""
    if pattern is not P.REFERENCE_PATTERNS[0]:
        return pattern.findall(text)
    tries = (pattern.match(text, at.start()) for at in P.IMPORT_AT.finditer(text))
    return [m.group(1) for m in tries if m]

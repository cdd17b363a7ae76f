"""Search: fuzzy matching of headlines (rapidfuzz) and full-text matching of bodies (FTS5)."""

from __future__ import annotations

from dataclasses import dataclass

from importai_tui.core.fuzzy import HeadlineIndex
from importai_tui.core.library import Library

HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"


@dataclass(frozen=True)
class Hit:
    """One search result: a section and how well it matched."""

    issue_id: str
    number: int | None
    section: int
    kind: str
    headline: str
    snippet: str  # matched terms wrapped in HIGHLIGHT_START / HIGHLIGHT_END
    score: float


def fuzzy_sections(library: Library, query: str, limit: int = 20, cutoff: float = 65) -> list[Hit]:
    """Sections whose headline (or, scoring a little lower, subtitle) fuzzily match ``query``."""
    hits = []
    for match in HeadlineIndex.from_library(library).match(query, limit=limit):
        if match.score >= cutoff:
            e = match.entry
            hit = Hit(e.issue_id, e.number, e.section, e.kind, e.headline, e.subtitle, match.score)
            hits.append(hit)
    return hits


def search(library: Library, query: str, limit: int = 20) -> list[Hit]:
    """Fuzzy headline matches and full-text body matches, merged and ranked."""
    merged: dict[tuple[str, int], Hit] = {}
    for hit in fuzzy_sections(library, query, limit=limit):
        merged[(hit.issue_id, hit.section)] = hit
    text_hits = library.search_text(query, limit=limit)
    best = min((h.rank for h in text_hits), default=-1.0) or -1.0
    for th in text_hits:
        score = round(90.0 * (th.rank / best), 1) if best < 0 else 50.0
        key = (th.issue_id, th.section)
        prior = merged.get(key)
        if prior is not None:
            score = min(100.0, max(score, prior.score) + 10.0)
        merged[key] = Hit(
            th.issue_id, th.number, th.section, th.kind, th.headline, th.snippet, score
        )
    ranked = sorted(merged.values(), key=lambda h: (-h.score, h.issue_id, h.section))
    return ranked[:limit]


def plain_snippet(snippet: str) -> str:
    """A snippet without its highlight markers."""
    return snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")

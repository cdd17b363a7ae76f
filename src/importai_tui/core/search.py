"""Search: fuzzy matching of headlines (rapidfuzz) and full-text matching of bodies (FTS5)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

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
    rows = library.headlines()
    best: dict[int, float] = {}
    for column, weight in ((4, 1.0), (5, 0.9)):
        found = process.extract(
            query,
            [r[column] or "" for r in rows],
            scorer=fuzz.partial_ratio,
            processor=utils.default_process,  # type: ignore[arg-type]
            limit=limit,
            score_cutoff=cutoff / weight,
        )
        for _choice, score, i in found:
            best[i] = max(best.get(i, 0.0), round(score * weight, 1))
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [
        Hit(rows[i][0], rows[i][1], rows[i][2], rows[i][3], rows[i][4], rows[i][5] or "", score)
        for i, score in ranked
    ]


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

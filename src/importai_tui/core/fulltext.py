"""Full-text search of the library's sections (SQLite FTS5), ranked by bm25."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

_BM25 = "bm25(sections_fts, 5.0, 3.0, 1.0)"  # a headline match counts 5 times a body match
_SNIPPET = "snippet(sections_fts, {}, '\x02', '\x03', '…', 12)"


@dataclass(frozen=True)
class TextHit:
    """A full-text match in one section."""

    issue_id: str
    number: int | None
    section: int
    kind: str
    headline: str
    snippet: str
    rank: float


def search_text(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[TextHit]:
    """Full-text search over headlines, subtitles and bodies, best first."""
    match = fts_query(query)
    if not match:
        return []
    # Ranking needs every match's score, but snippets and the joins only the rows shown:
    # in one query SQLite computes all result columns of every match before sorting
    # (at 10,000 issues a common word matches 16,000 sections). So rank first; equal
    # scores keep the scan's (rowid) order, as they did in the single query.
    ranked = conn.execute(
        f"SELECT rowid, {_BM25} AS score FROM sections_fts WHERE sections_fts MATCH ? "
        "ORDER BY score LIMIT ?",
        (match, limit),
    ).fetchall()
    if not ranked:
        return []
    rowids = json.dumps([rowid for rowid, _ in ranked])
    # '+rowid' keeps the list out of FTS5's hands: given rowid = ?, it would set the
    # query up again for each row, and a prefix term costs a full merge every time.
    snippets = {
        rowid: (body, best)
        for rowid, body, best in conn.execute(
            f"SELECT rowid, {_SNIPPET.format(2)}, {_SNIPPET.format(-1)} FROM sections_fts "
            "WHERE sections_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))",
            (match, rowids),
        )
    }
    rows = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT s.rowid, s.issue_id, i.number, s.idx, s.kind, s.headline FROM sections s "
            "JOIN issues i ON i.id = s.issue_id "
            "WHERE s.rowid IN (SELECT value FROM json_each(?))",
            (rowids,),
        )
    }
    hits = []
    for rowid, rank in ranked:
        if rowid not in rows or rowid not in snippets:
            continue  # replaced by another process's import between the queries
        issue_id, number, idx, kind, headline = rows[rowid]
        body, best = snippets[rowid]
        # the body's words say more than the headline the hit already shows; fall back
        # to whichever column matched when the body holds none of the terms
        snippet = body if "\x02" in body else best
        hits.append(TextHit(issue_id, number, idx, kind, headline, snippet, rank))
    return hits


def fts_query(query: str) -> str:
    """A safe FTS5 query: every word must occur (as a prefix for the last one)."""
    words = re.findall(r"\w+", query)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)

"""Full-text search of the library's sections (SQLite FTS5), ranked by bm25."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

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


class Ranker:
    """Ranks the matches of a query, the index split by rowid between this connection and
    others in threads.

    Scoring is most of a query's time: bm25 costs about a microsecond a match, and at
    10,000 issues a common word matches 16,000 sections. Each part is scored by a query of
    its own, with the whole index's statistics (bm25 reads them from the index, whatever
    the rowid range), so the scores are the single query's, and so is the merged order.
    """

    MIN_SPAN = 20_000  # sections: below this one query ranks all in a few milliseconds
    HELPERS: int | None = None  # other connections: by default one less than the CPUs, up to 3

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._helpers: list[sqlite3.Connection] | None = None
        self._pool: ThreadPoolExecutor | None = None

    def rank(self, match: str, limit: int) -> list[tuple[int, float]]:
        """The best ``limit`` (rowid, score) pairs of ``match``, best (lowest) first."""
        lo, hi = self.conn.execute("SELECT min(rowid), max(rowid) FROM sections").fetchone()
        helpers = self._helper_conns() if lo is not None and hi - lo >= self.MIN_SPAN else []
        if not helpers:
            return _rank(self.conn, match, limit, None)
        parts = len(helpers) + 1
        edges = [lo + (hi + 1 - lo) * i // parts for i in range(parts + 1)]
        assert self._pool is not None
        futures = [
            self._pool.submit(_rank, conn, match, limit, (edges[i + 1], edges[i + 2]))
            for i, conn in enumerate(helpers)
        ]
        ranked = _rank(self.conn, match, limit, (edges[0], edges[1]))
        for future in futures:
            ranked += future.result()
        ranked.sort(key=lambda r: (r[1], r[0]))  # equal scores in rowid order, as one scan
        return ranked[:limit]

    def _helper_conns(self) -> list[sqlite3.Connection]:
        if self._helpers is None:
            cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
            count = min(cpus, 4) - 1 if self.HELPERS is None else self.HELPERS
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            self._helpers = [
                sqlite3.connect(uri, uri=True, check_same_thread=False) for _ in range(count)
            ]
            if count:
                self._pool = ThreadPoolExecutor(count, thread_name_prefix="fts-rank")
        return self._helpers

    def close(self) -> None:
        """Close the helpers' connections (the main one is the caller's)."""
        if self._pool is not None:
            self._pool.shutdown()
        for conn in self._helpers or []:
            conn.close()
        self._helpers, self._pool = None, None


def _rank(
    conn: sqlite3.Connection, match: str, limit: int, rowids: tuple[int, int] | None
) -> list[tuple[int, float]]:
    within = " AND rowid >= ? AND rowid < ?" if rowids else ""
    return conn.execute(
        f"SELECT rowid, {_BM25} AS score FROM sections_fts WHERE sections_fts MATCH ?{within} "
        "ORDER BY score LIMIT ?",
        (match, *(rowids or ()), limit),
    ).fetchall()


def search_text(ranker: Ranker, query: str, limit: int = 20) -> list[TextHit]:
    """Full-text search over headlines, subtitles and bodies, best first."""
    match = fts_query(query)
    if not match:
        return []
    conn = ranker.conn
    # Ranking needs every match's score, but snippets and the joins only the rows shown:
    # in one query SQLite computes all result columns of every match before sorting
    # (at 10,000 issues a common word matches 16,000 sections). So rank first; equal
    # scores keep the scan's (rowid) order, as they did in the single query.
    ranked = ranker.rank(match, limit)
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

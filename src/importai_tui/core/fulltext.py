"""Full-text search of the library's sections (SQLite FTS5), ranked by bm25."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from importai_tui.core.snippets import FTS_COLUMNS as FTS_COLUMNS
from importai_tui.core.snippets import Row, Snippets, index_snippets
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.terms import Query, Term, expression, parse

_BM25 = "bm25(sections_fts, 5.0, 3.0, 1.0)"  # a headline match counts 5 times a body match

# The sections' first and last rowids. Apart, min() and max() each read one end of the
# table; together in one SELECT they scan it all (10 ms at 10,000 issues, every search).
SPAN = "SELECT (SELECT min(rowid) FROM sections), (SELECT max(rowid) FROM sections)"


# A last word typed without '*' that alone is in this many sections is searched as itself,
# not also as the start of others. Its prefix would add few hits that matter (the list is
# long since full) and cost most of the search: FTS5 merges the lists of every word it
# starts, twice in each thread (once for the matches, once for bm25's idf), before
# anything else. At 10,000 issues a merge of "training"* took 1.8 ms, of "data"* 6.8 ms, and
# a search for synthetic data 34 ms with data* against 17 ms with data alone. No word is
# in this many sections of an archive of fewer than some 1,500 issues.
COMMON = 5_000

_T = TypeVar("_T")
Cancelled = Callable[[], bool]  # asked while a search runs: True once nobody wants it
CHECK_STEPS = 10_000  # SQLite steps between two looks at it (a few microseconds apart)
_searching = threading.local()  # the cancelled() of the search this thread runs, if any


class SearchCancelled(Exception):
    """A search was given up: its ``cancelled()`` said nobody wants the answer any more."""


def _check_cancelled() -> int:
    """SQLite's progress handler: non-zero interrupts the statement this thread runs."""
    cancelled: Cancelled | None = getattr(_searching, "cancelled", None)
    return 1 if cancelled is not None and cancelled() else 0


@contextmanager
def _searching_for(cancelled: Cancelled | None) -> Iterator[None]:
    """While inside, statements this thread runs stop soon after ``cancelled()`` says so
    (raising SearchCancelled); other threads' statements on the same connections run on."""
    _searching.cancelled = cancelled
    try:
        yield
    except sqlite3.OperationalError:
        if cancelled is not None and cancelled():
            raise SearchCancelled from None
        raise
    finally:
        _searching.cancelled = None


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
    terms: tuple[Term, ...] = ()  # as the search took the query's words


class Ranker:
    """Ranks the matches of a query, the index split by rowid between connections in
    threads, and makes the snippets of the best.

    Scoring is most of a query's time: bm25 costs about a microsecond a match (most of it
    the statement FTS5 runs to read each match's length), and at 10,000 issues a common
    word matches 16,000 sections. Each part is scored by a query of its own, with the
    whole index's statistics (bm25 reads them from the index, whatever the rowid range),
    so the scores are the single query's, and so is the merged order. What a part cannot
    split is its setup: a prefix term's lists merged twice (for the matches, then for
    its idf) and every term's list read once for its idf, some 40 % of a part at 10,000
    issues.

    Every search runs on a set of connections of its own, which SQLite asks every
    CHECK_STEPS steps whether to go on; nobody else uses them meanwhile (a thread reading
    from a connection while another's statement calls back into Python on it would wait
    for each other for good), so each can hold one read transaction for the search.
    """

    MIN_SPAN = 20_000  # sections: below this one query ranks all in a few milliseconds
    HELPERS: int | None = None  # other connections: by default one less than the CPUs, up to 3

    def __init__(self, path: Path) -> None:
        self.path = path
        self._count: int | None = None  # helper connections in a set
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._idle: list[list[sqlite3.Connection]] = []  # sets no search is using
        self._opened: list[sqlite3.Connection] = []
        self.snippets = Snippets()  # the searching thread's
        self._helper_snippets = Snippets()  # a helper thread's share of the rows shown

    def rank(
        self,
        match: str,
        limit: int,
        conns: list[sqlite3.Connection],
        span: tuple[int, int],
        cancelled: Cancelled | None = None,
    ) -> list[tuple[int, float]]:
        """The best ``limit`` (rowid, score) pairs of ``match``, best (lowest) first,
        ranked on ``conns`` (the first here, the others in threads) over ``span``."""
        conn, *helpers = conns
        lo, hi = span
        if hi - lo < self.MIN_SPAN or not helpers:
            return _rank(conn, match, limit, None)
        parts = len(helpers) + 1
        edges = [lo + (hi + 1 - lo) * i // parts for i in range(parts + 1)]
        futures = [
            self._submit(_helping, cancelled, other, match, limit, edges[i + 1 : i + 3])
            for i, other in enumerate(helpers)
        ]
        try:
            ranked = _rank(conn, match, limit, (edges[0], edges[1]))
        except BaseException:
            wait(futures)  # the set goes back to other searches once its helpers are done
            raise
        for future in futures:
            ranked += future.result()
        ranked.sort(key=lambda r: (r[1], r[0]))  # equal scores in rowid order, as one scan
        return ranked[:limit]

    def snippets_of(self, match: str, rows: list[Row]) -> dict[int, str]:
        """rowid -> snippet of each of ``rows`` that matches, from an in-memory index of
        them, the rows shared with a helper thread: indexing their text is most of the
        work, and it is a few ms."""
        if self._pool is None or len(rows) < 2:
            return self.snippets.of(match, rows)
        mine, theirs = _halves(rows)
        future = self._submit(self._helper_snippets.of, match, theirs)
        found = self.snippets.of(match, mine)
        found.update(future.result())
        return found

    def snippets_in(
        self,
        match: str,
        rows: list[Row],
        conns: list[sqlite3.Connection],
        cancelled: Cancelled | None = None,
    ) -> dict[int, str]:
        """rowid -> snippet of each of ``rows`` that matches, from the index itself, the
        rows shared with a helper connection. For a query without a prefix this is the
        quicker way: running it again costs far less than indexing the rows' text."""
        rowids = [row[0] for row in rows]
        conn, *helpers = conns
        if not helpers or self._pool is None or len(rows) < 2:
            return index_snippets(conn, match, rowids)
        mine, theirs = _halves(rows)
        future = self._submit(
            _snippets_helping, cancelled, helpers[0], match, [row[0] for row in theirs]
        )
        try:
            found = index_snippets(conn, match, [row[0] for row in mine])
        except BaseException:
            wait([future])  # the helper's connection is ours until it is done
            raise
        found.update(future.result())
        return found

    def _submit(self, fn: Callable[..., _T], *args: object) -> Future[_T]:
        assert self._pool is not None
        return self._pool.submit(fn, *args)

    def _helpers(self) -> int:
        with self._lock:
            if self._count is None:
                cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
                self._count = min(cpus, 4) - 1 if self.HELPERS is None else self.HELPERS
                if self._count:
                    self._pool = ThreadPoolExecutor(self._count, thread_name_prefix="fts-rank")
            return self._count

    def _connect(self) -> sqlite3.Connection:
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        # transactions as written: one read for the whole search (see _reading)
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        conn.set_progress_handler(_check_cancelled, CHECK_STEPS)
        with self._lock:
            self._opened.append(conn)
        return conn

    @contextmanager
    def own(self) -> Iterator[list[sqlite3.Connection]]:
        """Connections for one search, as many as it ranks on: nobody else's while it
        runs."""
        with self._lock:
            conns = self._idle.pop() if self._idle else None
        if conns is None:
            conns = [self._connect() for _ in range(1 + self._helpers())]
        try:
            yield conns
        finally:
            with self._lock:
                self._idle.append(conns)

    def close(self) -> None:
        """Close the connections opened here."""
        if self._pool is not None:
            self._pool.shutdown()
        for conn in self._opened:
            conn.close()
        self._count, self._pool, self._idle, self._opened = None, None, [], []
        self.snippets.close()
        self._helper_snippets.close()


def _length(row: Row) -> int:
    return len(row[1]) + len(row[2] or "") + len(row[3])


def _halves(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """``rows`` in two parts of about equal text, the first with the lower rowids (a query
    for the snippets of either part then reads the index between its rows only)."""
    rows = sorted(rows)
    half, size, cut = sum(map(_length, rows)) / 2, 0, len(rows)
    for i, row in enumerate(rows):
        size += _length(row)
        if size >= half:
            cut = i + 1 if size - half < _length(row) / 2 else i
            break
    cut = max(1, min(cut, len(rows) - 1))  # a part each, however long one row is
    return rows[:cut], rows[cut:]


def _span(conn: sqlite3.Connection) -> tuple[int, int]:
    lo, hi = conn.execute(SPAN).fetchone()
    return (lo, hi) if lo is not None else (0, 0)


@contextmanager
def _reading(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around a search's statements on ``conn``. Outside one, every
    statement is its own transaction, and so is each row's lookup of its length that bm25
    makes (a statement of its own, inside FTS5), whose end costs a tenth of ranking."""
    if not conn.in_transaction:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")  # nothing was written: this only ends the read


def _helping(
    cancelled: Cancelled | None,
    conn: sqlite3.Connection,
    match: str,
    limit: int,
    rowids: list[int],
) -> list[tuple[int, float]]:
    """``_rank`` in a helper thread, for a search that may be cancelled."""
    with _searching_for(cancelled):
        return _rank(conn, match, limit, (rowids[0], rowids[1]))


def _snippets_helping(
    cancelled: Cancelled | None, conn: sqlite3.Connection, match: str, rowids: list[int]
) -> dict[int, str]:
    """``index_snippets`` in a helper thread, for a search that may be cancelled."""
    with _searching_for(cancelled):
        return index_snippets(conn, match, rowids)


def _rank(
    conn: sqlite3.Connection, match: str, limit: int, rowids: tuple[int, int] | None
) -> list[tuple[int, float]]:
    within = " AND rowid >= ? AND rowid < ?" if rowids else ""
    return conn.execute(
        f"SELECT rowid, {_BM25} AS score FROM sections_fts WHERE sections_fts MATCH ?{within} "
        "ORDER BY score LIMIT ?",
        (match, *(rowids or ()), limit),
    ).fetchall()


def search_text(
    ranker: Ranker, query: str, limit: int = 20, cancelled: Cancelled | None = None
) -> list[TextHit]:
    """Full-text search over headlines, subtitles and bodies, best first. A search whose
    ``cancelled()`` turns true while it runs (a reader typed on) stops within
    milliseconds, raising SearchCancelled."""
    parsed = parse(query)
    if not parsed.terms:
        return []
    with ranker.own() as conns, ExitStack() as reads, _searching_for(cancelled):
        for conn in conns:  # each connection sees the library as of its first read
            reads.enter_context(_reading(conn))
        return _search(ranker, parsed, limit, conns, cancelled)


def _common(conn: sqlite3.Connection, word: str) -> bool:
    """Whether ``word`` (itself, not as a prefix) is in at least COMMON sections."""
    sql = "SELECT count(*) FROM (SELECT 1 FROM sections_fts WHERE sections_fts MATCH ? LIMIT ?)"
    found: int = conn.execute(sql, (expression([Term(word, False)]), COMMON)).fetchone()[0]
    return found >= COMMON


def _search(
    ranker: Ranker,
    query: Query,
    limit: int,
    conns: list[sqlite3.Connection],
    cancelled: Cancelled | None,
) -> list[TextHit]:
    # Ranking needs every match's score, but snippets and the joins only the rows shown:
    # in one query SQLite computes all result columns of every match before sorting
    # (at 10,000 issues a common word matches 16,000 sections). So rank first; equal
    # scores keep the scan's (rowid) order, as they did in the single query.
    conn = conns[0]
    lo, hi = _span(conn)
    if query.typed_prefix and hi - lo >= COMMON and _common(conn, query.terms[-1].word):
        query = query.narrowed()
    match = expression(query.terms)
    ranked = ranker.rank(match, limit, conns, (lo, hi), cancelled)
    if not ranked:
        return []
    rows = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT s.rowid, s.issue_id, i.number, s.idx, s.kind, s.headline, s.subtitle, "
            "s.body FROM sections s JOIN issues i ON i.id = s.issue_id "
            "WHERE s.rowid IN (SELECT value FROM json_each(?))",
            (json.dumps([rowid for rowid, _ in ranked]),),
        )
    }
    if cancelled is not None and cancelled():
        raise SearchCancelled
    shown = [(rowid, *row[4:]) for rowid, row in rows.items()]
    if hi - lo < ranker.MIN_SPAN:  # runs the query again faster than the rows index apart
        snippets = index_snippets(conn, match, list(rows))
    elif any(term.prefix for term in query.terms):  # merging its lists again costs more
        snippets = ranker.snippets_of(match, shown)
    else:
        snippets = ranker.snippets_in(match, shown, conns, cancelled)
    hits = []
    for rowid, rank in ranked:
        if rowid not in snippets:
            continue  # replaced by another process's import between the queries
        issue_id, number, idx, kind, headline, _, _ = rows[rowid]
        hit = TextHit(issue_id, number, idx, kind, headline, snippets[rowid], rank, query.terms)
        hits.append(hit)
    return hits


def fts_query(query: str) -> str:
    """A safe FTS5 query: every word must occur (the last one as a prefix, once it has
    MIN_PREFIX letters; any other with a '*' after it)."""
    return expression(parse(query).terms)

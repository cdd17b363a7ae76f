"""Snippets of full-text hits: FTS5's snippet(), from the library's index or from a tiny
in-memory index of just the rows shown."""

from __future__ import annotations

import json
import threading

from importai_tui.core.sqlite import sqlite3

# the index's columns and tokenizer: the library's and the snippets' in-memory one
FTS_COLUMNS = "headline, subtitle, body, tokenize='unicode61 remove_diacritics 2'"
_SNIPPET = "snippet(sections_fts, {}, '\x02', '\x03', '…', 12)"

Row = tuple[int, str, str | None, str]  # rowid, headline, subtitle, body


class Snippets:
    """Snippets of the shown rows of a large index, from an in-memory index of just them.

    snippet() needs only a row's text and the query's matches in it, none of the rest of
    the index's statistics, so a tiny index gives the big one's snippets. Asking the big
    one would run the query again over every section: a prefix term ('data*') merges the
    lists of every word it starts (34 at 10,000 issues) first, about 10 ms. Indexing the
    20 rows costs about 1 ms, which a small library's query again does not.
    """

    def __init__(self) -> None:
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # searches may overlap in the reader's threads

    def of(self, match: str, rows: list[Row]) -> dict[int, str]:
        """rowid -> snippet of each (rowid, headline, subtitle, body) that matches."""
        with self._lock:
            conn = self._connect()
            with conn:  # one transaction (an in-memory one: nothing to lock or sync)
                conn.execute("BEGIN")
                # 'delete-all' empties the index without reading the old rows again
                conn.execute("INSERT INTO sections_fts(sections_fts) VALUES ('delete-all')")
                conn.execute("DELETE FROM sections")
                conn.executemany("INSERT INTO sections VALUES (?,?,?,?)", rows)
                conn.execute(
                    "INSERT INTO sections_fts(rowid, headline, subtitle, body) "
                    "SELECT rowid, headline, subtitle, body FROM sections"
                )
                return index_snippets(conn, match, None)

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = sqlite3.connect(":memory:", check_same_thread=False)
            self._conn.isolation_level = None  # transactions as written, none left open
            self._conn.execute(
                "CREATE TABLE sections(rowid INTEGER PRIMARY KEY, headline, subtitle, body)"
            )
            self._conn.execute(
                f"CREATE VIRTUAL TABLE sections_fts USING fts5({FTS_COLUMNS}, "
                "content='sections', content_rowid='rowid')"
            )
        return self._conn

    def close(self) -> None:
        """Close the in-memory index."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def index_snippets(
    conn: sqlite3.Connection, match: str, rowids: list[int] | None
) -> dict[int, str]:
    """rowid -> snippet of each match of ``conn``'s index (of those in ``rowids``)."""
    # '+rowid IN' keeps the list out of FTS5's hands: given rowid = ?, it would set the
    # query up again for each row, and a prefix term costs a full merge every time. The
    # range it does take: FTS5 reads the matches between the first and last row only.
    sql = f"SELECT rowid, {_SNIPPET} FROM sections_fts WHERE sections_fts MATCH ?"
    within = " AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))"
    if rowids is None:
        found = dict(conn.execute(sql.format(2), (match,)).fetchall())
    else:
        found = dict(conn.execute(sql.format(2) + within, _among(match, rowids)).fetchall())
    # the body's words say more than the headline the hit already shows; fall back to
    # whichever column matched best when the body holds none of the terms (rare: so
    # only then pay for the other columns' snippets)
    others = [rowid for rowid, body in found.items() if "\x02" not in body]
    if others:
        found.update(conn.execute(sql.format(-1) + within, _among(match, others)))
    return found


def _among(match: str, rowids: list[int]) -> tuple[str, int, int, str]:
    return (match, min(rowids, default=0), max(rowids, default=-1), json.dumps(rowids))

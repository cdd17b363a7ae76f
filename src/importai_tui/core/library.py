"""The library: parsed issues and a full-text index in SQLite (derived, rebuildable)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from importai_tui.core.fulltext import FTS_COLUMNS, Cancelled, Ranker, search_text

# re-exported: the reader and the tests import these from here
from importai_tui.core.fulltext import SearchCancelled as SearchCancelled
from importai_tui.core.fulltext import TextHit as TextHit
from importai_tui.core.fulltext import fts_query as fts_query
from importai_tui.core.model import Issue
from importai_tui.core.readers import FORMAT_RANK
from importai_tui.core.rows import IssueRows, to_rows
from importai_tui.core.serialize import issue_from_data, issue_to_data
from importai_tui.core.sqlite import sqlite3

SCHEMA_VERSION = "2"  # 2: issues_list, the covering index of rows()
FILENAME = "library.sqlite3"

_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE issues(
    id TEXT PRIMARY KEY, number INTEGER, title TEXT NOT NULL, date TEXT, url TEXT,
    format TEXT NOT NULL, rank INTEGER NOT NULL, source TEXT NOT NULL,
    fingerprint TEXT NOT NULL, nsections INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX issues_number ON issues(number);
CREATE INDEX issues_list
    ON issues(number IS NULL, number DESC, date DESC, id, title, url, nsections);
CREATE INDEX issues_fingerprint ON issues(fingerprint);
CREATE TABLE issue_sources(
    issue_id TEXT NOT NULL, source TEXT NOT NULL, format TEXT NOT NULL,
    PRIMARY KEY(issue_id, source));
CREATE INDEX issue_sources_source ON issue_sources(source);
CREATE TABLE refs(issue_id TEXT NOT NULL, number INTEGER NOT NULL, section INTEGER NOT NULL);
CREATE INDEX refs_number ON refs(number);
CREATE TABLE sections(
    rowid INTEGER PRIMARY KEY, issue_id TEXT NOT NULL, idx INTEGER NOT NULL,
    kind TEXT NOT NULL, headline TEXT NOT NULL, subtitle TEXT, body TEXT NOT NULL,
    UNIQUE(issue_id, idx));
CREATE VIRTUAL TABLE sections_fts USING fts5(
    {FTS_COLUMNS}, content='sections', content_rowid='rowid');
"""


# FTS5 keeps a transaction's new terms in memory up to 'hashsize' (1 MiB by default, about
# 50 issues) and writes a segment each time it fills; it merges segments 'automerge' at a
# time (4). Importing 1,000 issues, 100 a transaction, these settings cost 15 % fewer
# instructions (3.1 vs 3.7 M per issue), and the saving grows with the index (3.1 vs 4.3 M
# at 3,000): fewer, bigger segments to merge. Queries are as fast (fts5 seeks every
# segment; 13 vs 1 segment made no difference at 10,000 issues).
#
# Its leaves ('pgsz') and the file's pages are 16 KiB rather than about 4: importing a file of
# 100 issues then writes a quarter as many pages, each with its own header, cell pointers,
# checksum and write call. Storing and indexing 1,000 issues took 11 % less CPU (1.07 vs
# 1.20 ms an issue, median of 5 alternating runs), of which half in the kernel.
_FTS_WRITES = (("hashsize", 16 * 1024 * 1024), ("automerge", 8), ("pgsz", 16000))
PAGE_SIZE = 16 * 1024  # of a new library's file (set before its first table)
WRITE_CACHE_KIB = 16 * 1024  # the page cache of a connection that writes (see _tune)


class LibraryError(Exception):
    """The library file is missing, unreadable, or from another version."""


class IssueRow(NamedTuple):
    """An issue's index entry, without bodies (a tuple: the reader makes thousands)."""

    id: str
    number: int | None
    title: str
    date: str | None
    url: str | None
    sections: int


class Library:
    """A SQLite file holding issues and their full-text index.

    The connection may be used from the reader's worker threads: SQLite is built
    serialized (THREADSAFE=1) both in pysqlite3 and in the system's library, and only the
    CLI ever writes.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._tuned = False
        self._ranker: Ranker | None = None

    # -- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, parser_version: str) -> Library:
        """Open an existing library; raise LibraryError if it cannot be used as it is."""
        if not path.is_file():
            raise LibraryError("missing")
        try:
            conn = sqlite3.connect(path, check_same_thread=False)
            rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            conn.execute("SELECT count(*) FROM issues").fetchone()
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"unreadable ({exc})") from exc
        if rows.get("schema") != SCHEMA_VERSION or rows.get("parser") != parser_version:
            conn.close()
            raise LibraryError("made by another version")
        return cls(conn, path)

    @classmethod
    def create(cls, path: Path, parser_version: str) -> Library:
        """A new empty library at ``path`` (replacing nothing: the caller renames it in)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False)
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        # One transaction: each statement of a script is otherwise its own, with its own
        # journal and syncs (some 40 fsyncs, 30-240 ms, a tenth of importing 1,000 issues).
        conn.executescript("BEGIN;\n" + _SCHEMA)
        meta = [("schema", SCHEMA_VERSION), ("parser", parser_version)]
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta)
        conn.commit()
        return cls(conn, path)

    def close(self) -> None:
        """Close the connection (and the full-text search's own)."""
        if self._ranker is not None:
            self._ranker.close()
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside commits together or not at all."""
        try:
            yield
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise

    def commit(self) -> None:
        """Commit now, inside a transaction block (its exit then has nothing to commit)."""
        self.conn.commit()

    # -- writing ------------------------------------------------------------------------
    def has_source(self, sha: str) -> bool:
        """Whether a source with this digest was already imported."""
        row = self.conn.execute("SELECT 1 FROM issue_sources WHERE source=? LIMIT 1", (sha,))
        return row.fetchone() is not None

    def upsert(self, issue: Issue | IssueRows, source: str) -> str:
        """Store ``issue`` (or its rows) from ``source``; return 'added', 'updated' or
        'unchanged'.

        The same issue from another source (same id, or same headlines where one copy has
        no number) is merged: the richer format's content wins, a tie goes to the newer
        copy, and metadata known to either copy (number, date, url) is kept.
        """
        rows = issue if isinstance(issue, IssueRows) else to_rows(issue)
        if not self._tuned:
            self._tune()
        rank = FORMAT_RANK.get(rows.format, 0)
        existing = self.conn.execute(
            "SELECT id, rank, source, data FROM issues WHERE id=? "
            "OR (fingerprint=? AND (number IS NULL OR ? IS NULL)) "
            "ORDER BY (id=?) DESC LIMIT 1",
            (rows.id, rows.fingerprint, rows.number, rows.id),
        ).fetchone()
        if existing is None:
            self._insert(rows, source, rank)
            return "added"
        if isinstance(issue, IssueRows):
            issue = issue.issue()
        old_id, old_rank, old_source, old_data = existing
        old = issue_from_data(json.loads(old_data))
        if rank >= old_rank:
            merged, kept_source, kept_rank = _merge(issue, old), source, rank
        else:
            merged, kept_source, kept_rank = _merge(old, issue), old_source, old_rank
        if kept_rank == old_rank and issue_to_data(merged) == issue_to_data(old):
            self._record_source(old_id, source, issue.format)
            return "unchanged"
        self._delete(old_id, keep_sources_for=merged.id)
        self._insert(to_rows(merged), kept_source, kept_rank)
        self._record_source(merged.id, source, issue.format)
        return "updated"

    def _tune(self) -> None:
        """Set the index's write settings (kept in the index: older libraries get them on
        their first write here), and the connection's page cache for writing."""
        # A file's transaction writes some 7 MB of pages (100 issues); past the default
        # 2 MB cache SQLite spills them mid-transaction, syncing the journal and its folder
        # first (3 more fsyncs a file). Only a connection that writes grows its cache so.
        self.conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
        have = dict(self.conn.execute("SELECT k, v FROM sections_fts_config"))
        for key, value in _FTS_WRITES:
            if have.get(key) != value:
                self.conn.execute(
                    "INSERT INTO sections_fts(sections_fts, rank) VALUES (?, ?)", (key, value)
                )
        self._tuned = True

    def _insert(self, rows: IssueRows, source: str, rank: int) -> None:
        self.conn.execute(
            # (the large texts come as UTF-8 bytes, see core.rows; stored as TEXT)
            "INSERT INTO issues VALUES (?,?,?,?,?,?,?,?,?,?,CAST(? AS TEXT))",
            (
                rows.id,
                rows.number,
                rows.title,
                rows.date,
                rows.url,
                rows.format,
                rank,
                source,
                rows.fingerprint,
                len(rows.sections),
                rows.data,
            ),
        )
        self._record_source(rows.id, source, rows.format)
        self.conn.executemany(
            "INSERT INTO refs VALUES (?,?,?)", [(rows.id, n, s) for n, s in rows.references]
        )
        self.conn.executemany(
            "INSERT INTO sections(issue_id, idx, kind, headline, subtitle, body) "
            "VALUES (?,?,?,?,?,CAST(? AS TEXT))",
            [(rows.id, *section) for section in rows.sections],
        )
        ids = self.conn.execute(
            "SELECT rowid FROM sections WHERE issue_id=? ORDER BY idx", (rows.id,)
        ).fetchall()
        # (INSERT INTO sections_fts ... SELECT ... FROM sections is 2.4x slower than this)
        self.conn.executemany(
            "INSERT INTO sections_fts(rowid, headline, subtitle, body) "
            "VALUES (?,?,?,CAST(? AS TEXT))",
            [
                (i, head, sub or "", body)
                for (i,), (_, _, head, sub, body) in zip(ids, rows.sections, strict=True)
            ],
        )

    def _record_source(self, issue_id: str, source: str, fmt: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO issue_sources VALUES (?,?,?)", (issue_id, source, fmt)
        )

    def _delete(self, issue_id: str, keep_sources_for: str) -> None:
        rows = self.conn.execute(
            "SELECT rowid, headline, subtitle, body FROM sections WHERE issue_id=?", (issue_id,)
        ).fetchall()
        self.conn.executemany(
            "INSERT INTO sections_fts(sections_fts, rowid, headline, subtitle, body) "
            "VALUES ('delete', ?, ?, ?, ?)",
            [(r[0], r[1], r[2] or "", r[3]) for r in rows],
        )
        self.conn.execute("DELETE FROM sections WHERE issue_id=?", (issue_id,))
        self.conn.execute("DELETE FROM refs WHERE issue_id=?", (issue_id,))
        self.conn.execute("DELETE FROM issues WHERE id=?", (issue_id,))
        if keep_sources_for != issue_id:
            self.conn.execute(
                "UPDATE OR IGNORE issue_sources SET issue_id=? WHERE issue_id=?",
                (keep_sources_for, issue_id),
            )
            self.conn.execute("DELETE FROM issue_sources WHERE issue_id=?", (issue_id,))

    # -- reading ------------------------------------------------------------------------
    def count(self) -> int:
        """How many issues the library holds."""
        return int(self.conn.execute("SELECT count(*) FROM issues").fetchone()[0])

    def rows(self, limit: int = -1) -> list[IssueRow]:
        """Every issue's index entry (or the first ``limit``), newest first (numbered by
        number, then untitled)."""
        cur = self.conn.execute(
            "SELECT id, number, title, date, url, nsections FROM issues "
            "ORDER BY number IS NULL, number DESC, date DESC, id LIMIT ?",
            (limit,),
        )
        return [IssueRow(*row) for row in cur]

    def get(self, key: str) -> Issue | None:
        """An issue by id or number (``395``, ``#395``, ``Import AI 395`` all work)."""
        row = self.conn.execute("SELECT data FROM issues WHERE id=?", (key,)).fetchone()
        if row is None:
            m = re.fullmatch(r"\s*(?:import\s?ai\s*)?#?\s*(\d{1,5})\s*", key, re.IGNORECASE)
            if m:
                row = self.conn.execute(
                    "SELECT data FROM issues WHERE number=?", (int(m.group(1)),)
                ).fetchone()
        if row is None and len(key) >= 4:
            row = self.conn.execute(
                "SELECT data FROM issues WHERE id LIKE ? || '%' LIMIT 2", (key,)
            ).fetchone()
        return issue_from_data(json.loads(row[0])) if row else None

    def issues_of_source(self, sha: str) -> list[tuple[str, int | None]]:
        """(id, number) of the issues that came from a source."""
        cur = self.conn.execute(
            "SELECT i.id, i.number FROM issue_sources s JOIN issues i ON i.id = s.issue_id "
            "WHERE s.source=? ORDER BY i.number IS NULL, i.number DESC",
            (sha,),
        )
        return [(r[0], r[1]) for r in cur]

    def sources_of(self, issue_id: str) -> list[tuple[str, str]]:
        """The (digest, format) of every source this issue came from."""
        cur = self.conn.execute(
            "SELECT source, format FROM issue_sources WHERE issue_id=? ORDER BY rowid", (issue_id,)
        )
        return [(r[0], r[1]) for r in cur]

    def mentioned_in(self, number: int) -> list[tuple[str, int | None, int, str]]:
        """(issue id, its number, section, headline) of every section mentioning ``number``."""
        cur = self.conn.execute(
            "SELECT DISTINCT r.issue_id, i.number, r.section, s.headline FROM refs r "
            "JOIN issues i ON i.id = r.issue_id "
            "JOIN sections s ON s.issue_id = r.issue_id AND s.idx = r.section "
            "WHERE r.number=? AND (i.number IS NULL OR i.number != ?) "
            "ORDER BY i.number IS NULL, i.number, r.section",
            (number, number),
        )
        return [(r[0], r[1], r[2], r[3]) for r in cur]

    def headlines(self) -> list[tuple[str, int | None, int, str, str, str | None]]:
        """(issue id, number, section, kind, headline, subtitle) of every section."""
        cur = self.conn.execute(
            "SELECT s.issue_id, i.number, s.idx, s.kind, s.headline, s.subtitle "
            "FROM sections s JOIN issues i ON i.id = s.issue_id "
            "ORDER BY i.number IS NULL, i.number DESC, s.issue_id, s.idx"
        )
        return list(cur)

    def search_text(
        self, query: str, limit: int = 20, cancelled: Cancelled | None = None
    ) -> list[TextHit]:
        """Full-text search over headlines, subtitles and bodies, best first (stopped
        with SearchCancelled once ``cancelled()`` is true)."""
        if self._ranker is None:
            self._ranker = Ranker(self.path)
        return search_text(self._ranker, query, limit, cancelled)


def _merge(rich: Issue, other: Issue) -> Issue:
    """Content of the richer copy, with whatever metadata either copy knows."""
    number = rich.number if rich.number is not None else other.number
    titled = rich if rich.number is not None else other
    return replace(
        rich,
        id=str(number) if number is not None else rich.id,
        number=number,
        title=titled.title if titled.number is not None else rich.title,
        date=rich.date or other.date,
        url=rich.url or other.url,
    )

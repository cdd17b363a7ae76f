"""The user store: bookmarks, notes and reading state (irreplaceable, never reset).

SQLite in WAL mode, one transaction per change, the schema version in ``PRAGMA
user_version``. A file that cannot be opened as a store of a version this program knows is
refused with :class:`UserStoreError` and never written to.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from importai_tui.core.entries import Anchor, Entry, anchor_of, locate, section_key
from importai_tui.core.sanitize import clean
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.storage_errors import is_busy, is_environment, os_reason, sqlite_reason
from importai_tui.core.userstore_schema import (
    ENTRY_COLUMNS,
    SCHEMA_VERSION,
    entry_from_row,
    entry_values,
    migrate,
)

BUSY_WAIT = 5.0  # seconds to wait for another program's lock before saying the store is busy
__all__ = [
    "SCHEMA_VERSION",
    "Anchor",
    "Entry",
    "Position",
    "UserStore",
    "UserStoreBusy",
    "UserStoreError",
    "UserStoreUnavailable",
    "UserStoreWriteError",
    "anchor_of",
    "locate",
    "section_key",
]
FILENAME = "user.sqlite3"


class UserStoreError(Exception):
    """The user store cannot be used as it is (corrupt, newer, not a database)."""


class UserStoreUnavailable(UserStoreError):
    """The store is fine but cannot be used now (disk full, read-only, busy): keep it."""


class UserStoreBusy(UserStoreUnavailable):
    """Another program held the store's lock for longer than we wait: not broken, busy."""


class UserStoreWriteError(sqlite3.OperationalError):
    """A change could not be saved (disk full, read-only, locked); none of it was written.
    The message names the file and the reason."""


@dataclass(frozen=True)
class Position:
    """Where the reader was: an issue and a 1-based section index."""

    issue_id: str
    section: int


class UserStore:
    """Bookmarks and notes, the last position, and which sections were read."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._unsaved: Position | None = None  # set_position's, not written yet

    @classmethod
    def open(cls, path: Path) -> UserStore:
        """Open the store at ``path``, creating or migrating it; refuse anything unknown."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserStoreUnavailable(
                f"{path}: cannot create the user store: {os_reason(exc)}"
            ) from exc
        try:
            # the reader searches notes from a worker thread; sqlite3 is serialized here
            conn = sqlite3.connect(
                path, timeout=BUSY_WAIT, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise _open_error(path, exc) from exc
        try:
            # one statement, one snapshot: another opener may be migrating right now
            version, tables = conn.execute(
                "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version"
            ).fetchone()
            if version == 0 and tables:  # somebody else's database, not an empty new file
                raise UserStoreError(f"{path}: not a user store of this program; left untouched")
            if version > SCHEMA_VERSION:
                raise UserStoreError(
                    f"{path}: made by a newer version (schema {version}); left untouched"
                )
            _use_wal(conn)
            conn.execute("PRAGMA synchronous=FULL")
            migrate(conn, version)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _open_error(path, exc) from exc
        except UserStoreError:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        """Write the position if it is not written yet, and close the connection."""
        try:
            self.save_position()
        except sqlite3.Error:
            pass  # only where the reader was is lost; closing must not fail on it
        finally:
            self.conn.close()

    def position(self) -> Position | None:
        """The last position set, if any (written or not yet)."""
        if self._unsaved is not None:
            return self._unsaved
        row = self.conn.execute("SELECT value FROM state WHERE key='position'").fetchone()
        if row is None:
            return None
        issue_id, _, section = str(row[0]).rpartition("#")
        return Position(issue_id, int(section)) if issue_id and section.isdigit() else None

    def set_position(self, issue_id: str, section: int) -> Position:
        """Remember where the reader is, without writing it yet: :meth:`save_position`,
        the next new read mark and :meth:`close` write it. Moving through sections thus
        costs no synced disk write each; what a crash can lose is where the reader was."""
        self._unsaved = Position(issue_id, section)
        return self._unsaved

    def save_position(self, only: Position | None = None) -> bool:
        """Write the position not written yet (if ``only`` is given, only if it is still
        that one: a later one waits for its own turn); return whether one was written."""
        unsaved = self._unsaved
        if unsaved is None or (only is not None and unsaved is not only):
            return False
        with self._write():
            self._write_position(unsaved)
        self._written(unsaved)
        return True

    def _write_position(self, position: Position) -> None:
        self.conn.execute(
            "INSERT INTO state VALUES ('position', ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (f"{position.issue_id}#{position.section}",),
        )

    def _written(self, position: Position) -> None:
        if self._unsaved is position:  # (not set again meanwhile)
            self._unsaved = None

    def mark_read(self, issue_id: str, section: int, headline: str) -> bool:
        """Record that a section was opened; return whether it was unread until now (then
        an unsaved position is written in the same transaction)."""
        unsaved = self._unsaved
        with self._write():
            cur = self.conn.execute(
                "INSERT INTO reads VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(issue_id, section_key) DO NOTHING",
                (issue_id, section_key(headline), section, headline, _now()),
            )
            newly_read = cur.rowcount > 0
            if newly_read and unsaved is not None:
                self._write_position(unsaved)
        if newly_read and unsaved is not None:
            self._written(unsaved)
        return newly_read

    def read_issues(self) -> set[str]:
        """Ids of the issues with at least one section read."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT issue_id FROM reads")}

    def read_keys(self, issue_id: str) -> set[str]:
        """Section keys of the sections of this issue that were read."""
        cur = self.conn.execute("SELECT section_key FROM reads WHERE issue_id=?", (issue_id,))
        return {r[0] for r in cur}

    def read_counts(self) -> dict[str, int]:
        """How many sections of each issue were read."""
        cur = self.conn.execute("SELECT issue_id, count(*) FROM reads GROUP BY issue_id")
        return {r[0]: int(r[1]) for r in cur}

    def mark_unread(self, issue_id: str, headline: str) -> bool:
        """Forget that a section was read; return whether it had been."""
        cur = self.conn.execute(
            "DELETE FROM reads WHERE issue_id=? AND section_key=?",
            (issue_id, section_key(headline)),
        )
        return cur.rowcount > 0

    def search_notes(self, query: str, limit: int = 20) -> list[Entry]:
        """Entries whose note (or headline) holds every word of ``query``, newest first."""
        words = re.findall(r"\w+", query.casefold())
        if not words:
            return []
        found = []
        for entry in self.entries():
            haystack = f"{entry.note} {entry.headline}".casefold()
            if entry.note and all(w in haystack for w in words):
                found.append(entry)
        return found[:limit]

    # -- bookmarks and notes --------------------------------------------------------------
    def entries(self) -> list[Entry]:
        """Every bookmark and note, most recently changed first."""
        cur = self.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries ORDER BY updated DESC, id DESC"
        )
        return [entry_from_row(row) for row in cur]

    def entries_of(self, issue_id: str) -> dict[str, Entry]:
        """This issue's entries by section key."""
        cur = self.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries WHERE issue_id=?", (issue_id,)
        )
        return {e.section_key: e for e in (entry_from_row(row) for row in cur)}

    def entry(self, anchor: Anchor) -> Entry | None:
        """The entry on this section, if any."""
        row = self.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries WHERE issue_id=? AND section_key=?",
            (anchor.issue_id, anchor.key),
        ).fetchone()
        return entry_from_row(row) if row else None

    def toggle_bookmark(self, anchor: Anchor) -> bool:
        """Bookmark the section, or take the bookmark away; return whether it is bookmarked."""
        with self._write():
            current = self.entry(anchor)
            marked = not (current and current.bookmarked)
            self._upsert(anchor, bookmarked=marked, note=current.note if current else None)
        return marked

    def set_note(self, anchor: Anchor, text: str) -> Entry | None:
        """Save the note on a section (blank text removes it); return the entry left."""
        text = clean(text)  # typed or pasted: no escapes or controls reach a terminal later
        with self._write():
            current = self.entry(anchor)
            note = text if text.strip() else None
            self._upsert(anchor, bookmarked=bool(current and current.bookmarked), note=note)
        return self.entry(anchor)

    def add_note(self, anchor: Anchor, text: str) -> Entry | None:
        """Add text to the note on a section (after what is there); return the entry."""
        text = clean(text)
        with self._write():
            current = self.entry(anchor)
            old = current.note if current and current.note else ""
            note = f"{old}\n\n{text}" if old else text
            self._upsert(anchor, bookmarked=bool(current and current.bookmarked), note=note)
        return self.entry(anchor)

    def delete(self, entry_id: int) -> None:
        """Delete a bookmark and note together."""
        with self._write():
            self.conn.execute("DELETE FROM entries WHERE id=?", (entry_id,))

    def restore(self, entry: Entry) -> str:
        """Merge an exported entry: 'added', 'updated' (it was newer) or 'unchanged'."""
        with self._write():
            return self._restore(entry)

    def restore_all(self, entries: list[Entry]) -> list[str]:
        """Merge many entries in one transaction: all of them or, on an error, none."""
        with self._write():
            return [self._restore(entry) for entry in entries]

    def _restore(self, entry: Entry) -> str:
        row = self.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries WHERE issue_id=? AND section_key=?",
            (entry.issue_id, entry.section_key),
        ).fetchone()
        if row is None:
            self.conn.execute(
                f"INSERT INTO entries({ENTRY_COLUMNS}) VALUES (NULL{', ?' * 11})",
                entry_values(entry),
            )
            return "added"
        current = entry_from_row(row)
        merged = replace(
            current,
            bookmarked=current.bookmarked or entry.bookmarked,
            note=entry.note if entry.updated > current.updated and entry.note else current.note,
            created=min(current.created, entry.created),
            updated=max(current.updated, entry.updated),
        )
        if merged == current:
            return "unchanged"
        self.conn.execute(
            "UPDATE entries SET bookmarked=?, note=?, created=?, updated=? WHERE id=?",
            (merged.bookmarked, merged.note, merged.created, merged.updated, current.id),
        )
        return "updated"

    def _upsert(self, anchor: Anchor, *, bookmarked: bool, note: str | None) -> None:
        if not bookmarked and note is None:
            self.conn.execute(
                "DELETE FROM entries WHERE issue_id=? AND section_key=?",
                (anchor.issue_id, anchor.key),
            )
            return
        now = _now()
        self.conn.execute(
            "INSERT INTO entries(issue_id, section_key, section, issue_title, headline, excerpt, "
            "url, bookmarked, note, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(issue_id, section_key) DO UPDATE SET section=excluded.section, "
            "issue_title=excluded.issue_title, headline=excluded.headline, "
            "excerpt=excluded.excerpt, url=excluded.url, bookmarked=excluded.bookmarked, "
            "note=excluded.note, updated=excluded.updated",
            (
                anchor.issue_id,
                anchor.key,
                anchor.section,
                anchor.issue_title,
                anchor.headline,
                anchor.excerpt,
                anchor.url,
                bookmarked,
                note,
                now,
                now,
            ),
        )

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One change, one transaction: all of it is committed (durably) or none."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                # also when COMMIT failed (a full disk): the transaction would stay open
                if self.conn.in_transaction:
                    with suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            if isinstance(exc, UserStoreWriteError) or not is_environment(exc):
                raise
            why = sqlite_reason(exc, self.path, BUSY_WAIT)
            raise UserStoreWriteError(f"{self.path}: {why}; nothing was changed") from exc


def _open_error(path: Path, exc: sqlite3.Error) -> UserStoreError:
    """What to say when the store cannot be opened: busy or unavailable (the store is fine),
    or unreadable."""
    if is_busy(exc):
        return UserStoreBusy(f"{path}: the user store is in use by another importai; try again")
    if is_environment(exc):
        why = sqlite_reason(exc, path, BUSY_WAIT)
        return UserStoreUnavailable(f"{path}: cannot use the user store now: {why}; left untouched")
    return UserStoreError(f"{path}: unreadable user store ({exc}); left untouched")


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL once; the switch does not wait for a busy lock, so retry a while."""
    deadline = time.monotonic() + BUSY_WAIT
    while True:
        try:
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

"""The user store: reading state kept in the user data directory (irreplaceable, never reset).

SQLite in WAL mode, one transaction per change, the schema version in ``PRAGMA
user_version``. A file that cannot be opened as a store of a version this program knows is
refused with :class:`UserStoreError` and never written to.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = 1
FILENAME = "user.sqlite3"

_MIGRATIONS: dict[int, str] = {
    # version reached -> statements that take the previous version there
    1: """
    CREATE TABLE state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE reads(
        issue_id TEXT NOT NULL, section_key TEXT NOT NULL, section INTEGER NOT NULL,
        headline TEXT NOT NULL, read_at TEXT NOT NULL,
        PRIMARY KEY(issue_id, section_key));
    """,
}


class UserStoreError(Exception):
    """The user store cannot be used as it is (corrupt, newer, not a database)."""


@dataclass(frozen=True)
class Position:
    """Where the reader was: an issue and a 1-based section index."""

    issue_id: str
    section: int


def section_key(headline: str) -> str:
    """A section's identity that survives re-parsing: its headline, normalized."""
    return re.sub(r"\W+", " ", headline.casefold()).strip()


class UserStore:
    """Reading state: the last position and which sections were read."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path) -> UserStore:
        """Open the store at ``path``, creating or migrating it; refuse anything unknown."""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise UserStoreError(f"{path}: cannot open the user store ({exc})") from exc
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if version == 0 and tables:  # somebody else's database, not an empty new file
                raise UserStoreError(f"{path}: not a user store of this program; left untouched")
            if version > SCHEMA_VERSION:
                raise UserStoreError(
                    f"{path}: made by a newer version (schema {version}); left untouched"
                )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            _migrate(conn, version)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise UserStoreError(f"{path}: unreadable user store ({exc}); left untouched") from exc
        except UserStoreError:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def position(self) -> Position | None:
        """The last position saved, if any."""
        row = self.conn.execute("SELECT value FROM state WHERE key='position'").fetchone()
        if row is None:
            return None
        issue_id, _, section = str(row[0]).rpartition("#")
        return Position(issue_id, int(section)) if issue_id and section.isdigit() else None

    def set_position(self, issue_id: str, section: int) -> None:
        """Remember where the reader is."""
        self.conn.execute(
            "INSERT INTO state VALUES ('position', ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (f"{issue_id}#{section}",),
        )

    def mark_read(self, issue_id: str, section: int, headline: str) -> None:
        """Record that a section was opened."""
        self.conn.execute(
            "INSERT INTO reads VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(issue_id, section_key) DO UPDATE SET section=excluded.section",
            (issue_id, section_key(headline), section, headline, _now()),
        )

    def read_issues(self) -> set[str]:
        """Ids of the issues with at least one section read."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT issue_id FROM reads")}


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # another process may have migrated while we waited for the lock
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= target:
                conn.execute("COMMIT")
                continue
            for statement in _MIGRATIONS[target].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

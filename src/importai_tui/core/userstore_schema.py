"""The user store's tables: the migrations that make them, and the entries' columns."""

from __future__ import annotations

from typing import Any

from importai_tui.core.entries import Entry
from importai_tui.core.sqlite import sqlite3

SCHEMA_VERSION = 2

MIGRATIONS: dict[int, str] = {
    # version reached -> statements that take the previous version there
    1: """
    CREATE TABLE state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE reads(
        issue_id TEXT NOT NULL, section_key TEXT NOT NULL, section INTEGER NOT NULL,
        headline TEXT NOT NULL, read_at TEXT NOT NULL,
        PRIMARY KEY(issue_id, section_key));
    """,
    2: """
    CREATE TABLE entries(
        id INTEGER PRIMARY KEY,
        issue_id TEXT NOT NULL, section_key TEXT NOT NULL, section INTEGER NOT NULL,
        issue_title TEXT NOT NULL, headline TEXT NOT NULL, excerpt TEXT NOT NULL, url TEXT,
        bookmarked INTEGER NOT NULL DEFAULT 0, note TEXT,
        created TEXT NOT NULL, updated TEXT NOT NULL,
        UNIQUE(issue_id, section_key));
    CREATE INDEX entries_updated ON entries(updated);
    """,
}


ENTRY_COLUMNS = (
    "id, issue_id, section_key, section, issue_title, headline, excerpt, url, bookmarked, "
    "note, created, updated"
)


def entry_from_row(row: Any) -> Entry:
    """An entry from a row of ``ENTRY_COLUMNS``."""
    entry_id, issue_id, key, section, title, headline, excerpt, url, marked, note, made, changed = (
        row
    )
    return Entry(
        entry_id,
        issue_id,
        key,
        section,
        title,
        headline,
        excerpt,
        url,
        bool(marked),
        note,
        made,
        changed,
    )


def entry_values(entry: Entry) -> tuple[object, ...]:
    """The values of ``ENTRY_COLUMNS`` but the id, for an INSERT."""
    return (
        entry.issue_id,
        entry.section_key,
        entry.section,
        entry.issue_title,
        entry.headline,
        entry.excerpt,
        entry.url,
        bool(entry.bookmarked),
        entry.note,
        entry.created,
        entry.updated,
    )


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Take a store at ``version`` to ``SCHEMA_VERSION``, one transaction a step."""
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # another process may have migrated while we waited for the lock
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= target:
                conn.execute("COMMIT")
                continue
            for statement in MIGRATIONS[target].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

"""The user store: reading position and read sections, kept and never overwritten."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from importai_tui.core import userstore
from importai_tui.core.model import Block, Inline, Issue, Section
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.userstore import (
    SCHEMA_VERSION,
    Anchor,
    Position,
    UserStore,
    UserStoreBusy,
    UserStoreError,
    locate,
    section_key,
)
from importai_tui.core.userstore_schema import MIGRATIONS


def test_position_and_reads_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite3"
    store = UserStore.open(path)
    assert store.position() is None and store.read_issues() == set()
    store.set_position("395", 3)
    store.mark_read("395", 3, "Everything becomes a game")
    store.mark_read("u1234", 1, "A story")
    store.close()
    again = UserStore.open(path)
    assert again.position() == Position("395", 3)
    assert again.read_issues() == {"395", "u1234"}
    again.set_position("u1234", 1)
    assert again.position() == Position("u1234", 1)
    assert again.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert again.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    again.close()


def _position_on_disk(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM state WHERE key='position'").fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def test_position_waits_in_memory_until_saved_a_read_mark_or_closing(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite3"
    store = UserStore.open(path)
    first = store.set_position("395", 1)
    assert store.position() == first and _position_on_disk(path) is None
    # a new read mark takes the position with it, in its own transaction
    assert store.mark_read("395", 1, "Everything becomes a game")
    assert _position_on_disk(path) == "395#1"
    # a section read already writes nothing
    later = store.set_position("395", 2)
    assert not store.mark_read("395", 1, "Everything becomes a game")
    assert _position_on_disk(path) == "395#1" and store.position() == later
    # only the latest position is written by its own save; an earlier one's is a no-op
    latest = store.set_position("395", 3)
    assert not store.save_position(only=later)
    assert _position_on_disk(path) == "395#1"
    assert store.save_position(only=latest) and _position_on_disk(path) == "395#3"
    assert not store.save_position()  # nothing left to write
    store.set_position("u1234", 4)
    store.close()
    assert _position_on_disk(path) == "u1234#4"


def test_a_position_that_cannot_be_written_on_closing_does_not_fail_it(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite3"
    store = UserStore.open(path)
    store.set_position("395", 2)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    store.conn.execute("PRAGMA busy_timeout=50")
    store.close()  # the position is lost, the store still closes
    blocker.execute("ROLLBACK")
    blocker.close()
    again = UserStore.open(path)
    assert again.position() is None
    again.close()


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all\n" * 40, b"SQLite format 3\x00" + b"\xff" * 2000],
)
def test_a_file_that_is_not_a_store_is_refused_and_left_byte_for_byte(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "user.sqlite3"
    path.write_bytes(content)
    with pytest.raises(UserStoreError, match=str(path)):
        UserStore.open(path)
    assert path.read_bytes() == content


def test_a_foreign_database_and_a_newer_schema_are_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    with pytest.raises(UserStoreError, match="not a user store"):
        UserStore.open(foreign)
    assert foreign.read_bytes() == before

    newer = tmp_path / "newer.sqlite3"
    UserStore.open(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = newer.read_bytes()
    with pytest.raises(UserStoreError, match="newer version"):
        UserStore.open(newer)
    assert newer.read_bytes() == before


def test_two_openers_creating_the_store_at_once_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite3"
    errors: list[BaseException] = []

    def open_and_write(n: int) -> None:
        try:
            store = UserStore.open(path)
            store.mark_read(str(n), 1, f"headline {n}")
            store.close()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = UserStore.open(path)
    assert store.read_issues() == {str(n) for n in range(6)}
    store.close()


def anchor(issue: str = "395", section: int = 3, headline: str = "Genie 2 arrives") -> Anchor:
    return Anchor(issue, section, headline, f"Import AI {issue}", "An excerpt…", "https://x.org")


def test_bookmarks_and_notes_live_on_one_entry_per_section(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "user.sqlite3")
    assert store.toggle_bookmark(anchor()) is True
    entry = store.set_note(anchor(), "worth rereading")
    assert entry is not None and entry.bookmarked and entry.note == "worth rereading"
    assert entry.section_key == section_key("Genie 2 arrives") == "genie 2 arrives"
    assert store.toggle_bookmark(anchor()) is False
    assert store.entries()[0].note == "worth rereading"  # the note stays without the bookmark
    assert store.set_note(anchor(), "   ") is None  # blank note and no bookmark: gone
    assert store.entries() == []
    store.add_note(anchor(), "first")
    store.add_note(anchor(), "second")
    assert store.entries()[0].note == "first\n\nsecond"
    store.close()


def test_an_entry_follows_its_section_by_headline_and_survives_losing_it(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "user.sqlite3")
    store.set_note(anchor(section=3, headline="Genie 2: worlds from images"), "note")
    entry = store.entries()[0]
    moved = _issue("395", ["Intro", "Other", "Something", "Genie 2 — worlds from images"])
    assert locate(entry, moved) == 4  # re-parsed: index changed, headline punctuation too
    gone = _issue("395", ["Intro", "Other"])
    assert locate(entry, gone) is None and locate(entry, None) is None
    assert store.entries()[0].headline == "Genie 2: worlds from images"  # still listed
    store.close()


def test_restore_merges_and_is_idempotent(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "user.sqlite3")
    store.set_note(anchor(), "local")
    exported = store.entries()
    other = UserStore.open(tmp_path / "other.sqlite3")
    assert [other.restore(e) for e in exported] == ["added"]
    assert [other.restore(e) for e in exported] == ["unchanged"]
    newer = replace(exported[0], note="edited later", updated="9999-01-01T00:00:00+00:00")
    assert store.restore(newer) == "updated"
    assert store.entries()[0].note == "edited later"
    older = replace(exported[0], note="stale", updated="2000-01-01T00:00:00+00:00")
    store.restore(older)
    assert store.entries()[0].note == "edited later"
    store.close()
    other.close()


def test_version_1_store_is_migrated_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[1])
    conn.execute("INSERT INTO state VALUES ('position', '393#2')")
    conn.execute("INSERT INTO reads VALUES ('393', 'x', 2, 'X', '2026-01-01T00:00:00+00:00')")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    store = UserStore.open(path)
    assert store.position() == Position("393", 2) and store.read_issues() == {"393"}
    store.set_note(anchor(), "works after migrating")
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()


def _issue(issue_id: str, headlines: list[str]) -> Issue:
    sections = tuple(
        Section(i, "story", h, None, (Block("paragraph", (Inline("body"),)),))
        for i, h in enumerate(headlines, 1)
    )
    return Issue(issue_id, int(issue_id), f"Import AI {issue_id}", None, None, sections)


def test_a_store_locked_by_another_program_is_busy_not_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(userstore, "BUSY_WAIT", 0.2)
    path = tmp_path / "user.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(UserStoreBusy, match="in use by another importai"):
        UserStore.open(path)
    holder.execute("ROLLBACK")
    holder.close()
    UserStore.open(path).close()  # once free, it opens (and is created) as usual


def test_restore_all_is_all_or_nothing(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "user.sqlite3")
    store.set_note(anchor(), "one")
    store.set_note(anchor(section=4, headline="Another story"), "two")
    exported = store.entries()
    fresh = UserStore.open(tmp_path / "fresh.sqlite3")
    broken = replace(exported[1], issue_id=None)  # type: ignore[arg-type]  # NOT NULL fails
    with pytest.raises(sqlite3.IntegrityError):
        fresh.restore_all([exported[0], broken])
    assert fresh.entries() == []
    assert fresh.restore_all(exported) == ["added", "added"]
    store.close()
    fresh.close()


def test_notes_are_stored_without_escapes_or_controls(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "user.sqlite3")
    store.set_note(anchor(), "red \x1b[31malert\x1b[0m \x1b]52;c;SGk=\x07 and\nnext line\u202e")
    assert store.entries()[0].note == "red alert  and\nnext line"
    store.add_note(anchor(), "\x07more")
    assert store.entries()[0].note == "red alert  and\nnext line\n\nmore"
    store.close()

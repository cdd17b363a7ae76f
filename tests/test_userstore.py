"""The user store: reading position and read sections, kept and never overwritten."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from importai_tui.core.userstore import SCHEMA_VERSION, Position, UserStore, UserStoreError


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

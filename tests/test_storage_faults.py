"""Storage faults, for real: a full disk, a read-only data folder, a library or user store
locked by another process. One clear line, nothing half-written, and everything saved before
is still there when the real files are opened again."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.faults import run_held_to_permissions, small_disk
from tests.fetch_server import Site, serve

from importai_tui.core.sqlite import sqlite3
from importai_tui.core.userstore import Anchor, UserStore, UserStoreWriteError

Run = Callable[..., subprocess.CompletedProcess[str]]
ISSUE = (Path(__file__).parent / "data" / "issue-512.txt").read_text(encoding="utf-8")
STOPPED = "; stopped here, what was stored before is kept"


@pytest.fixture(autouse=True)
def fast_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short timeouts, and no proxy between us and 127.0.0.1."""
    monkeypatch.setenv("IMPORTAI_FETCH_TIMEOUT", "2")
    monkeypatch.setenv("IMPORTAI_FETCH_BACKOFF", "0.01")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def site() -> Iterator[Site]:
    yield from serve(Site())


def issue_file(folder: Path, number: int) -> Path:
    """A file holding one issue, numbered ``number``."""
    path = folder / f"issue-{number}.txt"
    path.write_text(ISSUE.replace("Import AI 512", f"Import AI {number}", 1), encoding="utf-8")
    return path


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of ``sql`` on the SQLite file at ``path``, through a connection of its own."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def snapshot(dirs: dict[str, Path]) -> dict[str, object]:
    """What the user has: every data file byte for byte (SQLite's -wal/-shm aside, which a
    failed open may leave empty), the notes and the library's issues read from the files."""
    data = dirs["data"]
    files = {
        str(p.relative_to(data)): p.read_bytes()
        for p in sorted(data.rglob("*"))
        if p.is_file() and p.name != "filler" and not p.name.endswith(("-wal", "-shm"))
    }
    notes = query(data / "user.sqlite3", "SELECT * FROM entries ORDER BY id")
    issues = query(
        dirs["cache"] / "library.sqlite3", "SELECT id, title, source FROM issues ORDER BY id"
    )
    return {"files": files, "notes": notes, "issues": issues}


def one_line(proc: subprocess.CompletedProcess[str], pattern: str) -> None:
    """The command failed (exit 1) with exactly one line on stderr, matching ``pattern``."""
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert re.fullmatch(f"importai: {pattern}\n", proc.stderr), proc.stderr


def seed(run_cli: Run, tmp_path: Path) -> None:
    """A library with the samples and one more issue, and two notes."""
    run_cli("list", check=True)
    run_cli("add", str(issue_file(tmp_path, 601)), check=True)
    run_cli("notes", "add", "395", "1", "kept through every fault", check=True)
    run_cli("notes", "add", "601", "2", "this one too ✓", check=True)


def test_a_full_data_disk_stops_import_fetch_and_notes_with_one_line(
    run_cli: Run, tmp_path: Path, isolated_dirs: dict[str, Path], site: Site
) -> None:
    with small_disk(isolated_dirs["data"]) as disk:
        seed(run_cli, tmp_path)
        before = snapshot(isolated_dirs)
        store = isolated_dirs["data"] / "user.sqlite3"
        disk.fill()
        new = issue_file(tmp_path, 602)

        proc = disk.run("add", str(new), str(issue_file(tmp_path, 603)))
        one_line(proc, re.escape(f"{new}: not stored: {disk.reason} (") + r".*\)" + STOPPED)
        assert proc.stdout == ""
        proc = disk.run("notes", "add", "395", "2", "not saved")
        one_line(proc, re.escape(f"{store}: cannot use the user store now: {disk.reason}; ") + ".*")
        proc = disk.run("fetch", "--url", site.feed_url)
        one_line(proc, r"\S+: not stored: " + re.escape(disk.reason) + r" \(.*\)" + STOPPED)
        leftovers = [p for p in isolated_dirs["data"].rglob(".*")]
        assert leftovers == []  # no temporary file left behind

        disk.free()
        assert snapshot(isolated_dirs) == before
        # and with space again, everything works
        assert "Import AI 602" in run_cli("add", str(new), check=True).stdout
        run_cli("notes", "add", "395", "2", "saved now", check=True)
        run_cli("fetch", "--url", site.feed_url, check=True)


def test_a_full_library_disk_keeps_the_library_and_stores_no_source(
    run_cli: Run, tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    with small_disk(isolated_dirs["cache"]) as disk:
        seed(run_cli, tmp_path)
        before = snapshot(isolated_dirs)
        disk.fill()
        new = issue_file(tmp_path, 602)
        proc = disk.run("add", str(new))
        one_line(proc, re.escape(f"{new}: not stored: {disk.reason} (") + r".*\)" + STOPPED)
        disk.free()
        # the source was stored before the library's commit failed: it is taken back
        assert snapshot(isolated_dirs) == before


def test_a_library_that_cannot_be_built_on_a_full_disk_is_one_line(
    run_cli: Run, isolated_dirs: dict[str, Path]
) -> None:
    cache = isolated_dirs["cache"]
    with small_disk(cache) as disk:
        run_cli("list", check=True)
        (cache / "library.sqlite3").unlink()  # derived: rebuilt when missing
        disk.fill()
        proc = disk.run("list")
        library = cache / "library.sqlite3"
        one_line(
            proc,
            re.escape(
                f"cannot open the library: {library}: cannot build the library: {disk.reason}"
            ),
        )
        assert sorted(p.name for p in cache.iterdir()) == (["filler"] if disk.mounted else [])
        disk.free()
        assert run_cli("list", check=True).stdout.count("Import AI") >= 10


def test_a_note_saved_when_the_disk_fills_up_is_refused_whole(
    run_cli: Run, isolated_dirs: dict[str, Path]
) -> None:
    with small_disk(isolated_dirs["data"]) as disk:
        run_cli("list", check=True)
        path = disk.path / "user.sqlite3"
        store = UserStore.open(path)  # open, as the reader holds it
        notes = {i: f"note {i}: " + "words " * 200 for i in range(1, 21)}
        for i, text in notes.items():
            store.set_note(Anchor("700", i, f"story {i}", "Import AI 700", "", None), text)
        disk.fill()
        big = Anchor("700", 21, "story 21", "Import AI 700", "", None)
        with disk.full(), pytest.raises(UserStoreWriteError) as failed:
            store.set_note(big, "x" * 300_000)
        assert str(failed.value) == f"{path}: {disk.reason}; nothing was changed"
        assert not store.conn.in_transaction  # a failed COMMIT is rolled back, not left open
        assert {e.section: e.note for e in store.entries()} == notes

        proc = disk.run("notes", "add", "395", "1", "y" * 100_000)  # another program, too
        one_line(proc, re.escape(f"{path}: {disk.reason}; nothing was changed"))

        disk.free()
        store.set_note(big, "x" * 300_000)  # the same connection works again
        store.close()
        store = UserStore.open(path)
        try:
            assert {e.section: e.note for e in store.entries()} == {**notes, 21: "x" * 300_000}
        finally:
            store.close()
        assert query(path, "SELECT count(*) FROM entries") == [(21,)]


def test_a_read_only_data_folder(
    run_cli: Run, tmp_path: Path, isolated_dirs: dict[str, Path], site: Site
) -> None:
    seed(run_cli, tmp_path)
    before = snapshot(isolated_dirs)
    data = isolated_dirs["data"]
    store = data / "user.sqlite3"
    writable = [data, *data.rglob("*")]
    for path in writable:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        new = issue_file(tmp_path, 602)
        proc = run_held_to_permissions("add", str(new))
        one_line(proc, re.escape(f"{new}: not stored: permission denied (in ") + r".*\)" + STOPPED)
        proc = run_held_to_permissions("notes", "add", "395", "2", "not saved")
        one_line(proc, re.escape(f"{store}: cannot use the user store now: ") + ".*")
        proc = run_held_to_permissions("fetch", "--url", site.feed_url)
        one_line(proc, r"\S+: not stored: permission denied \(.*\)" + STOPPED)
    finally:
        for path in writable:
            path.chmod(path.stat().st_mode | 0o200)
    assert snapshot(isolated_dirs) == before


# -- locks held by another process -------------------------------------------------------------
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
for statement in sys.argv[2].split(";"):
    conn.execute(statement).fetchall()
print("holding", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


@contextmanager
def held(path: Path, begin: str) -> Iterator[None]:
    """Another process holding a lock on the SQLite file at ``path``: it runs the statements
    in ``begin`` (``BEGIN ...;SELECT ...``) and keeps the transaction open."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), begin],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert proc.stdout.readline() == "holding\n"
        yield
    finally:
        proc.stdin.write("done\n")
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()


def test_a_library_locked_by_another_process_is_waited_for_then_named(
    run_cli: Run, tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    seed(run_cli, tmp_path)
    before = snapshot(isolated_dirs)
    library = isolated_dirs["cache"] / "library.sqlite3"
    inode = library.stat().st_ino
    new = issue_file(tmp_path, 602)
    with held(library, "BEGIN EXCLUSIVE"):  # nobody may even read it
        proc = run_cli("add", str(new))
        one_line(
            proc,
            re.escape(
                f"cannot open the library: {library}: the library is in use by another "
                "program (waited 5 s); try again"
            ),
        )
    assert library.stat().st_ino == inode  # not rebuilt, let alone replaced under its holder
    with held(library, "BEGIN IMMEDIATE"):  # reading is allowed, writing is not
        proc = run_cli("add", str(new))
        one_line(
            proc,
            re.escape(f"{new}: not stored: in use by another program (waited 5 s); try again (")
            + r".*\)"
            + STOPPED,
        )
    # a reader in the middle of a transaction: the import's writes go through, its commit
    # waits for the reader, then gives up; the source stored just before is taken back
    with held(library, "BEGIN; SELECT count(*) FROM issues"):
        proc = run_cli("add", str(new))
        one_line(
            proc,
            re.escape(f"{new}: not stored: in use by another program (waited 5 s); try again (")
            + r".*\)"
            + STOPPED,
        )
    assert snapshot(isolated_dirs) == before
    assert "Import AI 602" in run_cli("add", str(new), check=True).stdout


def test_a_user_store_locked_by_another_process_is_waited_for_then_named(
    run_cli: Run, tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    seed(run_cli, tmp_path)
    before = snapshot(isolated_dirs)
    store = isolated_dirs["data"] / "user.sqlite3"
    with held(store, "BEGIN EXCLUSIVE"):
        listed = run_cli("notes", "--json", check=True)  # reading still works (WAL)
        assert "kept through every fault" in listed.stdout
        proc = run_cli("notes", "add", "395", "2", "not saved")
        one_line(
            proc,
            re.escape(
                f"{store}: in use by another program (waited 5 s); try again; nothing was changed"
            ),
        )
    assert snapshot(isolated_dirs) == before
    run_cli("notes", "add", "395", "2", "saved once it is free", check=True)


# -- the sources log, cut short by a full disk ----------------------------------------------
PUT_WITH_LITTLE_ROOM = """
import resource, sys
from pathlib import Path
from importai_tui.core.sources import SourceStore
store = SourceStore(Path(sys.argv[1]))
room = store.log.stat().st_size + 10  # the new object fits, only part of its log line does
resource.setrlimit(resource.RLIMIT_FSIZE, (room, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    store.put(b"tiny", "tiny.txt")
except OSError as exc:
    print("refused", exc.errno)
"""


def test_a_log_line_cut_short_by_a_full_disk_is_taken_back_with_its_object(
    tmp_path: Path,
) -> None:
    from importai_tui.core.sources import SourceStore, digest

    store = SourceStore(tmp_path / "sources")
    store.put(b"first source", "first.txt")
    log = store.log.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-c", PUT_WITH_LITTLE_ROOM, str(store.root)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout == "refused 27\n", proc.stderr  # EFBIG, the kernel's own refusal
    assert store.log.read_bytes() == log  # not a byte of the half line left
    assert not store.has(digest(b"tiny"))
    store.put(b"tiny", "tiny.txt")  # with room again: logged on a line of its own
    assert [(e.name, store.get(e.sha256)) for e in store.entries()] == [
        ("first.txt", b"first source"),
        ("tiny.txt", b"tiny"),
    ]

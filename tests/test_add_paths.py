"""Hostile paths given to ``importai add``: links that loop, FIFOs, files and folders the user
may not read, thousands of files, a file changing while it is read. Each gets one clear line,
nothing hangs, and every other file is imported."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import cli_json
from tests.faults import run_held_to_permissions

from importai_tui.core.collection import Collection
from importai_tui.core.sources import SourceStore, digest

Run = Callable[..., subprocess.CompletedProcess[str]]
ISSUE = (Path(__file__).parent / "data" / "issue-512.txt").read_text(encoding="utf-8")


def issue_text(number: int) -> str:
    """Issue 512's text, numbered ``number`` (a distinct issue to the library)."""
    return ISSUE.replace("Import AI 512", f"Import AI {number}", 1)


def errors(proc: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """The rejected paths of an ``add`` and their reasons, from its error lines."""
    assert "Traceback" not in proc.stderr, proc.stderr
    found = {}
    for line in proc.stderr.splitlines():
        assert line.startswith("importai: ") and ": rejected: " in line, line
        path, _, why = line.removeprefix("importai: ").partition(": rejected: ")
        assert path not in found, f"two lines for {path}"
        found[path] = why
    return found


def numbers(run: Run) -> set[int]:
    """The issue numbers in the library."""
    return {row["number"] for row in cli_json(run, "list")}


def test_links_loops_and_fifos_get_a_line_each_and_the_rest_is_imported(
    run_cli: Run, tmp_path: Path
) -> None:
    run_cli("list", check=True)  # the first run's notice is not part of what is checked
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    (folder / "good.txt").write_text(issue_text(601), encoding="utf-8")
    (folder / "nested" / "other.txt").write_text(issue_text(602), encoding="utf-8")
    (folder / ".swap.txt").write_text(issue_text(603), encoding="utf-8")  # hidden: left out
    (folder / "self").symlink_to("self")
    (folder / "ping").symlink_to("pong")
    (folder / "pong").symlink_to("ping")
    (folder / "dangling").symlink_to(tmp_path / "nowhere")
    (folder / "up").symlink_to("..")  # followed, it would walk into itself forever
    os.mkfifo(folder / "nested" / "pipe")
    os.mkfifo(tmp_path / "given-pipe")
    (tmp_path / "given-loop").symlink_to("given-loop")

    proc = run_cli("add", str(folder), str(tmp_path / "given-pipe"), str(tmp_path / "given-loop"))
    assert proc.returncode == 2
    assert errors(proc) == {
        str(folder / "self"): "symbolic link loop",
        str(folder / "ping"): "symbolic link loop",
        str(folder / "pong"): "symbolic link loop",
        str(folder / "dangling"): "no such file",
        str(folder / "up"): "link to a folder, not followed",
        str(folder / "nested" / "pipe"): "not a regular file",
        str(tmp_path / "given-pipe"): "not a regular file",
        str(tmp_path / "given-loop"): "symbolic link loop",
    }
    assert f"added: {folder / 'good.txt'}: Import AI 601" in proc.stdout
    assert f"added: {folder / 'nested' / 'other.txt'}: Import AI 602" in proc.stdout
    assert {601, 602} <= numbers(run_cli) and 603 not in numbers(run_cli)


def test_files_and_folders_the_user_may_not_read(run_cli: Run, tmp_path: Path) -> None:
    run_cli("list", check=True)
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "good.txt").write_text(issue_text(611), encoding="utf-8")
    (folder / "denied.txt").write_text(issue_text(612), encoding="utf-8")
    (folder / "locked" / "inside.txt").write_text(issue_text(613), encoding="utf-8")
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "inside.txt").write_text(issue_text(614), encoding="utf-8")
    for path in (folder / "denied.txt", folder / "locked", closed):
        path.chmod(0)
    try:
        proc = run_held_to_permissions("add", str(folder), str(closed))
    finally:
        for path in (folder / "denied.txt", folder / "locked", closed):
            path.chmod(0o700)
    assert proc.returncode == 2
    assert errors(proc) == {
        str(folder / "denied.txt"): "permission denied",
        str(folder / "locked"): "cannot list it: permission denied",
        str(closed): "cannot list it: permission denied",
    }
    assert f"added: {folder / 'good.txt'}: Import AI 611" in proc.stdout
    assert 611 in numbers(run_cli) and not {612, 613, 614} & numbers(run_cli)


def test_a_folder_of_thousands_of_files(run_cli: Run, tmp_path: Path) -> None:
    run_cli("list", check=True)
    folder = tmp_path / "many"
    for k in range(30):
        sub = folder / f"part-{k:02d}"
        sub.mkdir(parents=True)
        for i in range(100):
            (sub / f"note-{i:03d}.txt").write_text(f"Just a note, number {k}-{i}.\n")
    issues = {folder / f"part-{k:02d}" / "issue.txt": 700 + k for k in range(0, 30, 3)}
    for path, number in issues.items():
        path.write_text(issue_text(number), encoding="utf-8")

    proc = run_cli("add", str(folder))
    assert proc.returncode == 2
    rejected = errors(proc)
    added = [line for line in proc.stdout.splitlines() if line.startswith("added: ")]
    assert len(rejected) == 3000 and set(rejected.values()) == {"holds no Import AI issue"}
    assert sorted(added) == sorted(f"added: {p}: Import AI {n}" for p, n in issues.items())
    assert set(issues.values()) <= numbers(run_cli)


def test_nothing_to_import(run_cli: Run, tmp_path: Path, isolated_dirs: dict[str, Path]) -> None:
    run_cli("list", check=True)
    before = sorted(p.name for p in (isolated_dirs["data"] / "sources" / "objects").rglob("*"))
    empty = tmp_path / "empty"
    (empty / ".hidden").mkdir(parents=True)
    (empty / ".hidden" / "issue.txt").write_text(issue_text(621), encoding="utf-8")
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.txt").write_text("A shopping list.\n")
    (plain / "b.md").write_text("# Notes\n\nNothing here.\n")
    for args, expected in [
        ([tmp_path / "missing"], {tmp_path / "missing": "no such file"}),
        ([empty], {empty: "no files in it"}),
        ([plain], {plain / "a.txt": "holds no Import AI issue", plain / "b.md": "holds no "
          "Import AI issue"}),
    ]:  # fmt: skip
        proc = run_cli("add", *map(str, args))
        assert proc.returncode == 2 and proc.stdout == ""
        assert errors(proc) == {str(k): v for k, v in expected.items()}
    after = sorted(p.name for p in (isolated_dirs["data"] / "sources" / "objects").rglob("*"))
    assert after == before


# -- a file that changes while it is read ---------------------------------------------------
PAD = 8 * 1024 * 1024  # big enough that reading it takes many reads


def _open_at(pid: int, path: Path) -> tuple[str, int] | None:
    """(fd, offset) of ``path`` open in process ``pid``, if it is open there now."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                    info = Path(f"/proc/{pid}/fdinfo/{fd}").read_text()
                    return fd, int(info.split("pos:", 1)[1].split()[0])
            except (OSError, IndexError, ValueError):
                continue
    except OSError:
        return None
    return None


def _catch_mid_read(proc: subprocess.Popen[str], path: Path, size: int) -> bool:
    """Stop ``proc`` while it is part way through reading ``path``; whether that happened."""
    while proc.poll() is None:
        seen = _open_at(proc.pid, path)
        if seen is None or not 0 < seen[1] < size:
            continue
        os.kill(proc.pid, signal.SIGSTOP)
        seen = _open_at(proc.pid, path)  # where it really stopped
        if seen is not None and 0 < seen[1] < size:
            return True
        os.kill(proc.pid, signal.SIGCONT)
    return False


def test_a_file_rewritten_while_it_is_read_is_read_again_whole(
    run_cli: Run, tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    run_cli("list", check=True)
    first = (issue_text(631) + "\n" * PAD).encode()
    second = (issue_text(631) + " \n" * (PAD // 2)).encode()  # same size, other bytes
    assert len(first) == len(second)
    big, good = tmp_path / "big.txt", tmp_path / "good.txt"
    good.write_text(issue_text(632), encoding="utf-8")
    for _attempt in range(40):  # until the import is caught part way through the file
        big.write_bytes(first)
        time.sleep(0.05)  # a later rewrite gets a later modification time
        proc = subprocess.Popen(
            [sys.executable, "-m", "importai_tui", "add", str(big), str(good)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            caught = _catch_mid_read(proc, big, len(first))
            if caught:
                with open(big, "r+b") as fh:  # rewritten in place, as some editors do
                    fh.write(second)
                os.kill(proc.pid, signal.SIGCONT)
            out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if caught:
            break
        # not caught: try again from a library without it
        for sha in {digest(first), digest(second)}:
            SourceStore(isolated_dirs["data"] / "sources").path(sha).unlink(missing_ok=True)
        run_cli("rebuild", check=True)
    assert caught, "the import was never caught part way through reading the file"
    assert proc.returncode == 0, err
    assert f"{big}: Import AI 631" in out and f"{good}: Import AI 632" in out
    coll = Collection.open()
    try:
        stored = [coll.sources.get(e.sha256) for e in coll.sources.entries()]
    finally:
        coll.close()
    assert second in stored  # read again, whole, as it is now
    assert not any(s.startswith(issue_text(631).encode()) and s != second for s in stored)

"""Importing with worker processes gives what importing in one process gives, file by file;
Ctrl+C stops the workers and leaves every file wholly stored or not at all."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import ModuleType

import pytest
from tests.conftest import CORPUS, FIXTURES

from importai_tui.core import collection
from importai_tui.core.collection import AddOutcome, Collection
from importai_tui.core.library import Library

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _generate() -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_generate_p", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _mixed_inputs(root: Path) -> list[Path]:
    """Files of every kind of outcome: added, updated, already in library, rejected."""
    archive = _generate().write_archive(90, root / "archive", per_file=30)
    bad = root / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "no-issue.txt").write_text("Just some notes.\n")
    text = CORPUS / "text-archive-386-395.txt"
    return [
        *archive,
        text,
        FIXTURES / "markdown" / "import-ai-394-clipper.md",  # richer copy: updated
        text,  # same bytes again: already in library
        bad,
        root / "missing.txt",
        CORPUS / "substack-body-misalignment-predictions.html",
        FIXTURES / "feeds" / "substack-rss.xml",  # merges the untitled issue above
    ]


def _contents(library: Library) -> list[object]:
    rows = library.rows()
    issues = [library.get(r.id) for r in rows]
    hits = [library.search_text(q) for q in ("robot", "distributed training", "chip")]
    return [rows, issues, library.headlines(), hits, library.mentioned_in(393)]


def _import(
    tmp_path: Path, name: str, inputs: list[Path], workers: int
) -> tuple[list[AddOutcome], list[object]]:
    coll = Collection.open(tmp_path / name / "data", tmp_path / name / "cache", seed=False)
    try:
        outcomes = list(coll.add_paths(inputs, workers=workers))
        return outcomes, _contents(coll.library)
    finally:
        coll.close()


def test_workers_give_the_same_outcomes_and_library(tmp_path: Path) -> None:
    inputs = _mixed_inputs(tmp_path)
    alone, alone_library = _import(tmp_path, "alone", inputs, workers=0)
    together, together_library = _import(tmp_path, "together", inputs, workers=2)
    assert together == alone
    assert together_library == alone_library
    statuses = {o.status for o in alone}
    assert statuses == {"added", "updated", "already in library", "rejected"}


def test_a_worker_sends_an_archive_a_few_issues_at_a_time(tmp_path: Path) -> None:
    import multiprocessing

    from importai_tui.core import parallel
    from importai_tui.core.readers import ReadError

    (path,) = _generate().write_archive(20, tmp_path / "archive", per_file=20)
    outbox = multiprocessing.get_context("fork").SimpleQueue()
    parallel._outbox = outbox  # as _worker_start sets it in a worker

    def work() -> None:
        parallel._worker_parse(7, path.read_bytes())
        parallel._worker_parse(8, b"Just some notes.\n")

    worker = threading.Thread(target=work)
    worker.start()  # (a thread: the queue's pipe holds less than a message, so read as it runs)
    try:
        messages = [outbox.get()]
        while messages[-1][0] != 8:
            messages.append(outbox.get())
    finally:
        worker.join()
        parallel._outbox = None
    first = [m for m in messages if m[0] == 7]
    # the caller can store the first issues while the rest are parsed
    sizes = [len(rows) for _, rows, _ in first]
    assert sizes == [parallel.CHUNK] * (20 // parallel.CHUNK) + [20 % parallel.CHUNK]
    assert [end for *_, end in first] == [None] * (len(first) - 1) + [parallel.DONE]
    numbers = [r.number for _, rows, _ in first for r in rows]
    assert numbers == [r.number for r in parallel.rows_of(path.read_bytes())]
    (rejected,) = [m for m in messages if m[0] == 8]
    assert rejected[1] == [] and isinstance(rejected[2], ReadError)


def test_rebuild_with_workers_gives_the_same_library(tmp_path: Path) -> None:
    inputs = _mixed_inputs(tmp_path)
    coll = Collection.open(tmp_path / "data", tmp_path / "cache", seed=False)
    try:
        list(coll.add_paths(inputs, workers=0))
        before = _contents(coll.library)
        assert coll.rebuild() == len(before[0])  # type: ignore[arg-type]
        assert _contents(coll.library) == before
    finally:
        coll.close()


def test_stopping_early_leaves_no_worker(tmp_path: Path) -> None:
    inputs = _mixed_inputs(tmp_path)
    coll = Collection.open(tmp_path / "data", tmp_path / "cache", seed=False)
    try:
        adding = coll.add_paths(inputs, workers=2)
        assert next(adding).status == "added"
        children = _children(os.getpid())
        assert children, "workers were started"
        adding.close()
        assert not any(_alive(pid) for pid in children)
        assert coll.library.count() == 30  # the first file, and nothing of the others
    finally:
        coll.close()


def test_ctrl_c_stops_the_workers_and_keeps_files_whole(tmp_path: Path) -> None:
    files = _generate().write_archive(1000, tmp_path / "archive", per_file=50)
    coll = Collection.open(seed=False)  # a library with something in it is not seeded
    assert coll.add_file(CORPUS / "substack-body-stow-robots.html").status == "added"
    coll.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "importai_tui", "add", str(tmp_path / "archive" / "text")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job would be
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("added: "), first
    time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl+C does: the whole group gets it
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert err.strip().endswith("importai: interrupted") and "Traceback" not in err
    assert _group_left(proc.pid) == []
    reported = 1 + out.count("added: ")
    coll = Collection.open(seed=False)
    try:
        numbers = {r.number for r in coll.library.rows()}
        stored = 0
        for k in range(len(files)):
            part = set(range(k * 50 + 1, k * 50 + 51))
            assert part <= numbers or not part & numbers, f"file {k} half stored"
            stored += part <= numbers
        # a file is reported once stored; Ctrl+C may land between the two
        assert reported <= stored <= reported + 1 < len(files)
        assert len(coll.sources.entries()) == 1 + stored
    finally:
        coll.close()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _group_left(pgid: int) -> list[int]:
    """Processes still in the process group ``pgid``, waiting briefly for them to go."""
    left: list[int] = []
    for _ in range(50):
        left = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                left.append(int(stat.parent.name))
        if not left:
            break
        time.sleep(0.1)
    return left


def test_ctrl_c_as_the_source_starts_being_stored_keeps_no_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl+C is held back while the thread that stores the source starts, and raised as
    # soon as it is let through: the import must still know of that thread, wait for it
    # and take the source back, or the store keeps a file none of whose issues are stored.
    real = collection._Background.__init__

    def interrupted(self: object, *args: object) -> None:
        real(self, *args)  # type: ignore[arg-type]
        os.kill(os.getpid(), signal.SIGINT)  # arrives now, held back like a real one

    monkeypatch.setattr(collection._Background, "__init__", interrupted)
    coll = Collection.open(seed=False)
    try:
        with pytest.raises(KeyboardInterrupt):
            coll.add_file(CORPUS / "substack-body-stow-robots.html")
        for thread in threading.enumerate():
            if thread is not threading.current_thread():
                thread.join(timeout=30)
        assert coll.sources.entries() == []
        assert coll.library.count() == 0
    finally:
        coll.close()

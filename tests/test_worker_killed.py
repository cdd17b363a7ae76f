"""A parse worker killed from outside (as the OOM killer would) stops ``importai add`` with one
clear line instead of hanging it, and every file reported stored is whole and kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import CORPUS
from tests.test_import_parallel import _children, _generate, _group_left

from importai_tui.core.collection import Collection

PER_FILE = 50


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """40 files of 50 issues: enough that workers are parsing when the first is reported."""
    return _generate().write_archive(
        2000, tmp_path_factory.mktemp("killed"), per_file=PER_FILE, feed=False
    )


@pytest.mark.parametrize("victims", ["one", "all"])
def test_a_killed_worker_stops_the_import_cleanly(archive: list[Path], victims: str) -> None:
    coll = Collection.open(seed=False)  # a library with something in it is not seeded
    assert coll.add_file(CORPUS / "substack-body-stow-robots.html").status == "added"
    coll.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "importai_tui", "add", str(archive[0].parent)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("added: "), first
        workers = _children(proc.pid)
        assert len(workers) >= 2, "the import runs parse workers"
        # "all" kills the worker that waits for the next task too: with multiprocessing's
        # own queue it holds the queue's lock, and stopping the pool would wait for it forever
        for pid in workers if victims == "all" else workers[:1]:
            os.kill(pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("importai: a parsing process (")
    assert "was killed (SIGKILL)" in lines[0] and "what was stored before is kept" in lines[0]
    assert _group_left(proc.pid) == []

    reported = 1 + out.count("added: ")
    assert reported < len(archive), "the import stopped early"
    coll = Collection.open(seed=False)
    try:
        numbers = {r.number for r in coll.library.rows()}
        stored = 0
        for k in range(len(archive)):
            part = set(range(k * PER_FILE + 1, k * PER_FILE + PER_FILE + 1))
            assert part <= numbers or not part & numbers, f"file {k} half stored"
            stored += part <= numbers
        assert stored == reported  # each file stored is reported; none after the failure
        assert len(coll.sources.entries()) == 1 + stored
        assert coll.library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        coll.close()

"""Shared fixtures: every test runs against its own data and cache directories."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
if not CORPUS.is_dir():  # a checkout without shared/ beside it: the bundled copies are the same
    CORPUS = ROOT / "assets" / "issues"
EXPECTED = json.loads((ROOT / "tests" / "expected" / "corpus.json").read_text(encoding="utf-8"))
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point the program's data and cache directories into this test's tmp_path."""
    dirs = {"data": tmp_path / "data", "cache": tmp_path / "cache"}
    monkeypatch.setenv("IMPORTAI_DATA_DIR", str(dirs["data"]))
    monkeypatch.setenv("IMPORTAI_CACHE_DIR", str(dirs["cache"]))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    return dirs


@pytest.fixture(autouse=True, scope="session")
def ctrl_c_reaches_children() -> Iterator[None]:
    """The tests that press Ctrl+C on a child need it to arrive as in a terminal. A shell
    starting the suite in the background hands it SIGINT ignored, and an ignored signal
    stays ignored in every child (Python then installs no KeyboardInterrupt): restore it."""
    old = signal.getsignal(signal.SIGINT)
    if old is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    if old is signal.SIG_IGN:
        signal.signal(signal.SIGINT, old)


@pytest.fixture(autouse=True)
def collector_back_on() -> Iterator[None]:
    """The reader turns the cyclic collector off for moments (start-up, drawing a section):
    whatever a test leaves, the next starts with it on and nothing frozen."""
    yield
    gc.enable()
    gc.unfreeze()


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``importai`` in a subprocess with the test's environment."""

    def run(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "importai_tui", *args],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=120,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"exit {proc.returncode}: {proc.stderr}")
        return proc

    return run


def cli_json(run: Callable[..., subprocess.CompletedProcess[str]], *args: str) -> Any:
    """Run a command with --json and parse its output."""
    proc = run(*args, "--json", check=True)
    return json.loads(proc.stdout)

"""``importai add`` on hostile files, run as a user runs it: exit 0 or 2, never a traceback.

The CLI's contract (cli.py): each file gets one line, ``added``/``updated``/``already in
library`` on stdout or ``importai: FILE: rejected: REASON`` on stderr; the exit status is 2
when any file was rejected (EXIT_BAD_INPUT) and 0 otherwise; 1 is for storage errors, which
generated input must not cause. Whatever was added can then be listed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from itertools import count
from pathlib import Path
from subprocess import CompletedProcess

from hypothesis import given
from hypothesis import strategies as st

from .fuzz_settings import scaled
from .strategies import Sample, any_sample, random_bytes

Run = Callable[..., CompletedProcess[str]]
_batch = count()


def add_and_check(run_cli: Run, files: list[Path]) -> CompletedProcess[str]:
    """Add ``files`` in one command; check the exit status and the one line per file."""
    proc = run_cli("add", *map(str, files))
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 2), f"exit {proc.returncode}: {proc.stderr[-3000:]}"
    rejected = [line for line in proc.stderr.splitlines() if ": rejected: " in line]
    assert (proc.returncode == 2) == bool(rejected), proc.stderr
    for path in files:
        lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if f"{path}:" in ln]
        assert len(lines) == 1, f"{path}: {lines}"
    listing = run_cli("list", "--json")
    assert listing.returncode == 0, listing.stderr[-3000:]
    json.loads(listing.stdout)
    return proc


@scaled(3)
@given(st.lists(any_sample() | random_bytes(), min_size=6, max_size=6))
def test_add_generated_files(run_cli: Run, tmp_path: Path, batch: list[Sample]) -> None:
    folder = tmp_path / f"batch-{next(_batch)}"
    folder.mkdir()
    files = []
    for i, sample in enumerate(batch):
        path = folder / f"{i}-{sample.format}.txt"
        path.write_bytes(sample.data)
        files.append(path)
    add_and_check(run_cli, files)


def test_add_targeted_files(run_cli: Run, tmp_path: Path) -> None:
    rng = random.Random(8)
    files = {
        "empty.txt": b"",
        "spaces.txt": b" \n\t\r\n",
        "random.bin": rng.randbytes(65536),
        "nul.txt": b"Import AI 1: x\n\x00\x00",
        "cut-utf8.txt": "Import AI 2: x\n\nby\n\nHeadline\n…sub…\nBody “".encode()[:-1],
        "utf16.txt": "Import AI 3: x\n\nby\n\nHeadline\n…sub…\nBody.\n".encode("utf-16"),
        "cp1252.txt": "Import AI 4: “x”\n\nby\n\nHeadline\n…sub…\nBody.\n".encode("cp1252"),
        "escapes.txt": b"Import AI 5: \x1b[2J\x1b]52;c;ZXZpbA==\x07x\n\nby\n\n"
        b"Head\x9b31mline\n\xe2\x80\xa6sub\xe2\x80\xa6\nBody \xe2\x80\xae.\n",
        "feed.xml": b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Import AI 6:'
        b" x</title><description>&lt;p&gt;&lt;b&gt;H&lt;/b&gt;&lt;/p&gt;&lt;p&gt;...s...&lt;/p&gt;"
        b"&lt;p&gt;Body.&lt;/p&gt;</description></item></channel></rss>",
        "broken-feed.xml": b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>',
        "deep.html": b"<p>Import AI 7: x</p><p>by</p><p><b>H</b></p><p>...s...</p>"
        + b"<div>" * 10_000
        + b"<p>deep</p>",
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    proc = add_and_check(run_cli, paths)
    assert proc.returncode == 2  # the empty and binary files at least are rejected
    assert f"{tmp_path / 'empty.txt'}: rejected: the file is empty" in proc.stderr

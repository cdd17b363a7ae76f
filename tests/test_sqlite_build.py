"""The program runs on whichever SQLite core/sqlite.py finds: pysqlite3's where it is
installed, Python's own where it is not. A library written by one is read and written by
the other, and searching it gives the same hits."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from tests.conftest import CORPUS

from importai_tui.core.collection import Collection
from importai_tui.core.sqlite import sqlite3

QUERIES = ["robot", "data", "tale", "synthetic da", "the"]

# Runs in a process where pysqlite3 cannot be imported: it adds one more issue file, then
# prints which module served and what the searches found.
OTHER = """
import json, sys
sys.modules["pysqlite3"] = None  # as if it were not installed
from pathlib import Path
from importai_tui.core.collection import Collection
from importai_tui.core.sqlite import sqlite3
home, extra, queries = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
coll = Collection.open(home / "data", home / "cache", seed=False)
coll.add_file(extra)
found = {q: [(h.issue_id, h.section, h.snippet) for h in coll.library.search_text(q)]
         for q in queries}
coll.close()
print(json.dumps({"module": sqlite3.__name__, "found": found}))
"""


def test_a_library_is_shared_by_both_builds_of_sqlite(tmp_path: Path) -> None:
    files = sorted(p for p in CORPUS.iterdir() if p.name != "README.md")
    coll = Collection.open(tmp_path / "data", tmp_path / "cache", seed=False)
    for path in files[:-1]:
        coll.add_file(path)
    before = coll.library.conn.execute("SELECT count(*) FROM issues").fetchone()[0]
    coll.close()
    proc = subprocess.run(
        [sys.executable, "-c", OTHER, str(tmp_path), str(files[-1]), json.dumps(QUERIES)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
        check=True,
    )
    other = json.loads(proc.stdout)
    assert other["module"] == "sqlite3"  # Python's own served that process
    coll = Collection.open(tmp_path / "data", tmp_path / "cache", seed=False)
    try:
        found = {
            q: [[h.issue_id, h.section, h.snippet] for h in coll.library.search_text(q)]
            for q in QUERIES
        }
        issues = coll.library.conn.execute("SELECT count(*) FROM issues").fetchone()[0]
        check = coll.library.conn.execute(
            "INSERT INTO sections_fts(sections_fts, rank) VALUES ('integrity-check', 1)"
        )
        check.fetchall()
    finally:
        coll.close()
    assert issues > before  # what the other build added is here
    assert all(found[q] for q in QUERIES if q != "synthetic da")
    assert found == other["found"]


def test_the_install_brings_a_current_sqlite_where_it_has_one() -> None:
    # pyproject.toml asks for pysqlite3-binary on Linux x86-64 (Python below 3.15), where
    # it has wheels; elsewhere Python's own module serves
    if sys.platform == "linux" and platform.machine() == "x86_64" and sys.version_info < (3, 15):
        assert sqlite3.__name__ == "pysqlite3.dbapi2"
        assert sqlite3.sqlite_version_info >= (3, 51)
    else:
        assert sqlite3.__name__ in {"sqlite3", "pysqlite3.dbapi2"}

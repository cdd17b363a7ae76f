"""The library is derived: it is rebuilt from the sources, and merges copies of one issue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import CORPUS, cli_json

from importai_tui.core.collection import Collection
from importai_tui.core.library import FILENAME
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.storage_errors import StorageError

TEXT = CORPUS / "text-archive-386-395.txt"


def _open(dirs: dict[str, Path], seed: bool = False) -> Collection:
    return Collection.open(dirs["data"], dirs["cache"], seed=seed)


def test_deleted_cache_is_rebuilt_with_a_notice(run_cli, isolated_dirs) -> None:  # type: ignore[no-untyped-def]
    before = cli_json(run_cli, "list")
    lib = isolated_dirs["cache"] / FILENAME
    lib.unlink()
    proc = run_cli("list", "--json")
    assert proc.returncode == 0
    assert "rebuilt it from 3 source file(s), 12 issue(s)" in proc.stderr
    assert "missing" in proc.stderr and proc.stderr.count("\n") == 1
    import json

    assert json.loads(proc.stdout) == before


def test_corrupt_cache_is_rebuilt(run_cli, isolated_dirs) -> None:  # type: ignore[no-untyped-def]
    before = cli_json(run_cli, "show", "391")
    lib = isolated_dirs["cache"] / FILENAME
    lib.write_bytes(b"this is not a database" * 100)
    proc = run_cli("show", "391", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "unreadable" in proc.stderr and "rebuilt" in proc.stderr
    import json

    assert json.loads(proc.stdout) == before
    with sqlite3.connect(lib) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_library_from_another_parser_version_is_rebuilt(isolated_dirs) -> None:  # type: ignore[no-untyped-def]
    coll = _open(isolated_dirs, seed=True)
    count = coll.library.count()
    coll.library.conn.execute("UPDATE meta SET value='0' WHERE key='parser'")
    coll.library.conn.commit()
    coll.close()
    again = _open(isolated_dirs)
    assert any("another version" in n for n in again.notices)
    assert again.library.count() == count
    again.close()


def test_rebuild_keeps_sources_and_richest_copy(isolated_dirs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    coll = _open(isolated_dirs)
    assert coll.add_file(TEXT).status == "added"
    assert coll.library.get("394").format == "text"  # type: ignore[union-attr]
    md = Path(__file__).parent / "fixtures" / "markdown" / "import-ai-394-clipper.md"
    outcome = coll.add_file(md)
    assert outcome.status == "updated" and outcome.issues == ("Import AI 394",)
    issue = coll.library.get("394")
    assert issue is not None and issue.format == "markdown" and issue.url
    assert {fmt for _sha, fmt in coll.library.sources_of("394")} == {"text", "markdown"}
    # A poorer copy of an issue the library has does not replace it.
    assert coll.add_file(TEXT).status == "already in library"
    copy = tmp_path / "copy.txt"
    copy.write_bytes(TEXT.read_bytes() + b"\n")
    assert coll.add_file(copy).status == "already in library"
    assert coll.library.get("394").format == "markdown"  # type: ignore[union-attr]
    before = [r for r in coll.library.rows()]
    assert coll.rebuild() == len(before)
    assert coll.library.rows() == before
    assert coll.library.get("394").format == "markdown"  # type: ignore[union-attr]
    coll.close()


def test_same_issue_untitled_and_titled_is_one_issue(isolated_dirs) -> None:  # type: ignore[no-untyped-def]
    coll = _open(isolated_dirs)
    coll.add_file(CORPUS / "substack-body-misalignment-predictions.html")
    assert [r.number for r in coll.library.rows()] == [None]
    feed = Path(__file__).parent / "fixtures" / "feeds" / "substack-rss.xml"
    coll.add_file(feed)
    rows = coll.library.rows()
    assert all(r.number is not None for r in rows), rows
    coll.close()


def test_sources_are_content_addressed_and_logged(isolated_dirs) -> None:  # type: ignore[no-untyped-def]
    coll = _open(isolated_dirs)
    coll.add_file(TEXT)
    coll.add_file(TEXT)
    entries = coll.sources.entries()
    assert len(entries) == 1 and entries[0].name == TEXT.name
    assert coll.sources.get(entries[0].sha256) == TEXT.read_bytes()
    # A log line cut short by a crash is skipped, the object is still found.
    with open(coll.sources.log, "a") as fh:
        fh.write('{"sha256": "ab')
    assert [e.sha256 for e in coll.sources.entries()] == [entries[0].sha256]
    coll.close()


def test_unwritable_sources_reject_the_file_and_store_nothing(isolated_dirs) -> None:  # type: ignore[no-untyped-def]
    coll = _open(isolated_dirs)
    objects = isolated_dirs["data"] / "sources" / "objects"
    objects.parent.mkdir(parents=True)
    objects.write_text("a file where the objects folder should be")
    with pytest.raises(StorageError, match=f"^{re.escape(str(TEXT))}: not stored: not a directory"):
        coll.add_file(TEXT)
    assert coll.library.count() == 0
    coll.close()


def test_issues_with_different_numbers_never_merge(isolated_dirs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    coll = _open(isolated_dirs)
    text = (Path(__file__).parent / "data" / "issue-512.txt").read_text()
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(text)
    second.write_text(text.replace("Import AI 512:", "Import AI 612:"))
    assert coll.add_file(first).status == "added"
    assert coll.add_file(second).status == "added"
    assert [r.number for r in coll.library.rows()] == [612, 512]
    coll.close()


def test_index_write_settings_reach_new_and_older_libraries(isolated_dirs) -> None:  # type: ignore[no-untyped-def]
    coll = _open(isolated_dirs)
    config = "SELECT k, v FROM sections_fts_config WHERE k != 'version' ORDER BY k"
    coll.add_file(TEXT)
    tuned = coll.library.conn.execute(config).fetchall()
    assert tuned == [("automerge", 8), ("hashsize", 16 * 1024 * 1024), ("pgsz", 16000)]
    # a new library's file has 16 KiB pages (an older one keeps its own: both work)
    assert coll.library.conn.execute("PRAGMA page_size").fetchone() == (16384,)
    # a library written before these settings existed gets them with its next write
    coll.library.conn.execute("DELETE FROM sections_fts_config WHERE k != 'version'")
    coll.library.conn.commit()
    coll.close()
    again = _open(isolated_dirs)
    assert again.library.conn.execute(config).fetchall() == []
    assert again.add_file(CORPUS / "substack-body-stow-robots.html").status == "added"
    assert again.library.conn.execute(config).fetchall() == tuned
    assert again.library.search_text("robot")
    again.close()


def test_texts_arriving_as_utf8_are_stored_as_text(isolated_dirs) -> None:  # type: ignore[no-untyped-def]
    coll = _open(isolated_dirs)
    assert coll.add_file(CORPUS / "substack-body-stow-robots.html").status == "added"
    conn = coll.library.conn
    kinds = conn.execute(
        "SELECT DISTINCT typeof(data) FROM issues "
        "UNION ALL SELECT DISTINCT typeof(body) FROM sections"
    ).fetchall()
    assert kinds == [("text",), ("text",)]
    # non-ASCII text comes back as it went in, and the index finds it by a folded word
    body = conn.execute("SELECT body FROM sections WHERE body LIKE '%’%' LIMIT 1").fetchone()[0]
    assert isinstance(body, str) and "’" in body
    issue = coll.library.get(coll.library.rows()[0].id)
    assert issue is not None and any("’" in s.text for s in issue.sections)
    coll.close()

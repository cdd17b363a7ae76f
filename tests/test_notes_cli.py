"""The bookmarks and notes commands, run as a user runs them: in a subprocess, on real stores."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.conftest import cli_json

from importai_tui.cli_notes import store_error_lines
from importai_tui.core.collection import Collection
from importai_tui.core.userstore import (
    Anchor,
    UserStore,
    UserStoreBusy,
    UserStoreError,
    anchor_of,
)

Run = Callable[..., subprocess.CompletedProcess[str]]

LISTING_KEYS = {
    "issue_id",
    "number",
    "section",
    "headline",
    "issue_title",
    "url",
    "note",
    "bookmarked",
    "created",
    "updated",
    "found",
}
GENIE = "Everything becomes a game – DeepMind demos Genie 2"
CHIPS = "China’s best AI team says its biggest problem isn’t funding, it’s the chip embargo"


def store_path() -> Path:
    """The user store the CLI of this test uses (the autouse fixture set the variable)."""
    return Path(os.environ["IMPORTAI_DATA_DIR"]) / "user.sqlite3"


@contextmanager
def opened_store() -> Iterator[UserStore]:
    """The test's user store through the Python API, closed before the CLI runs again."""
    store = UserStore.open(store_path())
    try:
        yield store
    finally:
        store.close()


def anchor(issue: str, section: int) -> Anchor:
    """The anchor of a section of an issue of the (seeded) library."""
    coll = Collection.open()
    try:
        found = coll.library.get(issue)
        assert found is not None
        return anchor_of(found, section)
    finally:
        coll.close()


def store_files() -> dict[str, bytes]:
    """Every file of the user store (main file, WAL, shared memory), byte for byte."""
    folder = store_path().parent
    return {p.name: p.read_bytes() for p in sorted(folder.glob("user.sqlite3*"))}


def test_add_a_note_then_list_it(run_cli: Run) -> None:
    proc = run_cli("notes", "add", "395", "3", "worlds", "from", "one image")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"note saved on 395 §3 {GENIE}"
    listing = cli_json(run_cli, "notes")
    assert len(listing) == 1 and set(listing[0]) == LISTING_KEYS
    row = listing[0]
    assert (row["issue_id"], row["number"], row["section"]) == ("395", 395, 3)
    assert row["headline"] == GENIE and row["note"] == "worlds from one image"
    assert row["issue_title"].startswith("Import AI 395:")
    assert row["found"] is True and row["bookmarked"] is False
    again = run_cli("notes", "add", "395", "3", "and a second thought", check=True)
    assert again.stdout.startswith("added to the note on 395 §3")
    assert cli_json(run_cli, "notes")[0]["note"] == "worlds from one image\n\nand a second thought"
    human = run_cli("notes", check=True).stdout
    assert GENIE in human and "\n    worlds from one image\n" in human
    assert "\n    and a second thought\n" in human
    assert cli_json(run_cli, "bookmarks") == []  # a note is not a bookmark


def test_bookmarks_made_elsewhere_are_listed_newest_first(run_cli: Run) -> None:
    run_cli("list", check=True)
    chips, genie = anchor("393", 5), anchor("395", 3)
    with opened_store() as store:
        store.toggle_bookmark(chips)
        store.toggle_bookmark(genie)
        store.set_note(anchor("394", 2), "a note without a bookmark")
    listing = cli_json(run_cli, "bookmarks")
    assert [(r["number"], r["section"], r["headline"]) for r in listing] == [
        (395, 3, GENIE),
        (393, 5, CHIPS),
    ]
    assert all(r["bookmarked"] and r["found"] and r["note"] is None for r in listing)
    assert set(listing[0]) == LISTING_KEYS
    human = run_cli("bookmarks", check=True).stdout
    assert human.index("395 §3") < human.index("393 §5")
    assert "section not found" not in human


def test_markdown_export_groups_notes_and_bookmarks_by_issue(run_cli: Run) -> None:
    run_cli("notes", "add", "395", "3", "Genie note: *worlds* from one image", check=True)
    run_cli("notes", "add", "393", "5", "Chip note", check=True)
    with opened_store() as store:
        store.toggle_bookmark(anchor("395", 1))
    md = run_cli("notes", "export", check=True).stdout
    assert md.startswith("# Import AI notes\n")
    title_395 = cli_json(run_cli, "show", "395")["title"]
    assert f"\n## {title_395}\n" in md and "\n## Import AI 393:" in md
    assert md.index("## Import AI 395") < md.index("## Import AI 393")  # newest issue first
    genie = md.index(f"### {GENIE}")
    assert md.index("Genie note: *worlds* from one image") > genie
    assert md.index(f"### {CHIPS}") < md.index("Chip note")
    assert "- Section 3\n" in md and "- Created 20" in md
    bookmark_only = md[md.index("### AI is driving") :]
    assert bookmark_only.startswith("### AI is driving a massive growth")
    assert "- Section 1 · bookmarked\n" in bookmark_only
    assert "_Bookmark, no note._" in bookmark_only.split("###")[1]
    assert md == run_cli("notes", "export", "--format", "markdown", check=True).stdout


def test_json_export_then_import_into_a_fresh_store(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("notes", "add", "395", "3", "first note", check=True)
    run_cli("notes", "add", "393", "5", "line one\nline two ✓", check=True)
    with opened_store() as store:
        store.toggle_bookmark(anchor("395", 3))
        store.toggle_bookmark(anchor("394", 1))
    export = tmp_path / "export.json"
    proc = run_cli("notes", "export", "--format", "json", "--output", str(export))
    assert proc.returncode == 0 and proc.stdout.strip() == f"exported 3 entries to {export} (json)"
    data = json.loads(export.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("importai-notes", 1)
    assert len(data["entries"]) == 3 and "id" not in data["entries"][0]
    stdout_export = json.loads(run_cli("notes", "export", "--format", "json", check=True).stdout)
    assert stdout_export == data

    monkeypatch.setenv("IMPORTAI_DATA_DIR", str(tmp_path / "elsewhere"))
    proc = run_cli("notes", "import", str(export))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{export}: 3 added, 0 updated, 0 unchanged"
    again = json.loads(run_cli("notes", "export", "--format", "json", check=True).stdout)
    assert again == data
    twice = run_cli("notes", "import", str(export), check=True)
    assert twice.stdout.strip().endswith(": 0 added, 0 updated, 3 unchanged")
    assert json.loads(run_cli("notes", "export", "--format", "json", check=True).stdout) == data
    assert [r["number"] for r in cli_json(run_cli, "bookmarks")] == [394, 395]


def test_import_merges_newer_notes(run_cli: Run, tmp_path: Path) -> None:
    run_cli("notes", "add", "395", "3", "old text", check=True)
    data = json.loads(run_cli("notes", "export", "--format", "json", check=True).stdout)
    data["entries"][0].update(note="edited on the laptop", updated="2999-01-01T00:00:00+00:00")
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(data), encoding="utf-8")
    proc = run_cli("notes", "import", str(newer), check=True)
    assert proc.stdout.strip().endswith(": 0 added, 1 updated, 0 unchanged")
    assert cli_json(run_cli, "notes")[0]["note"] == "edited on the laptop"


def _valid_entry() -> dict[str, object]:
    return {
        "issue_id": "395",
        "section_key": "a new story",
        "section": 2,
        "issue_title": "Import AI 395",
        "headline": "A new story",
        "excerpt": "",
        "url": None,
        "bookmarked": True,
        "note": "imported",
        "created": "2025-01-01T00:00:00+00:00",
        "updated": "2025-01-01T00:00:00+00:00",
    }


def _export(*entries: object, **top: object) -> str:
    return json.dumps({"format": "importai-notes", "version": 1, "entries": list(entries), **top})


def test_bad_import_files_are_refused_and_change_nothing(run_cli: Run, tmp_path: Path) -> None:
    run_cli("notes", "add", "395", "3", "keep me", check=True)
    before = store_files()
    listing = cli_json(run_cli, "notes")
    good = _valid_entry()
    bad: dict[str, str | bytes] = {
        "not json": "{ this is not json",
        "not utf-8": b"\xff\xfe\x00garbage",
        "a list": "[]",
        "wrong format": json.dumps({"format": "something-else", "version": 1, "entries": []}),
        "no format": json.dumps({"version": 1, "entries": []}),
        "newer version": _export(good, version=2),
        "version as text": _export(good, version="1"),
        "entries not a list": _export(entries={"a": 1}),
        "entry not an object": _export(good, "text"),
        "missing field": _export({k: v for k, v in good.items() if k != "section_key"}),
        "section as text": _export({**good, "section": "2"}),
        "section zero": _export({**good, "section": 0}),
        "bookmarked as number": _export({**good, "bookmarked": 1}),
        "note as number": _export({**good, "note": 5}),
        "bad date": _export({**good, "updated": "yesterday"}),
        "empty entry": _export({**good, "note": None, "bookmarked": False}),
        "good then bad": _export(good, {**_valid_entry(), "section_key": "other", "url": 3}),
        "same section twice": _export(good, good),
    }
    for label, content in bad.items():
        path = tmp_path / (label.replace(" ", "-") + ".json")
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        proc = run_cli("notes", "import", str(path))
        assert proc.returncode == 2, label
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0], (label, proc.stderr)
        assert proc.stdout == "", label
        assert store_files() == before, label
    missing = run_cli("notes", "import", str(tmp_path / "missing.json"))
    assert missing.returncode == 2 and "missing.json: cannot read it" in missing.stderr
    assert store_files() == before
    assert cli_json(run_cli, "notes") == listing


def test_output_file_is_written_whole(run_cli: Run, tmp_path: Path) -> None:
    run_cli("notes", "add", "395", "3", "vault note", check=True)
    vault = tmp_path / "vault"
    vault.mkdir()
    target = vault / "Import AI.md"
    target.write_text("old contents", encoding="utf-8")
    target.chmod(0o644)
    proc = run_cli("notes", "export", "--output", str(target))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"exported 1 entry to {target} (markdown)"
    assert "vault note" in target.read_text(encoding="utf-8")
    assert target.stat().st_mode & 0o777 == 0o644  # the file's permissions are kept
    assert sorted(p.name for p in vault.iterdir()) == ["Import AI.md"]  # no temporary left
    nowhere = tmp_path / "no-such-dir" / "notes.md"
    proc = run_cli("notes", "export", "--output", str(nowhere))
    assert proc.returncode == 2
    expected = f"importai: {nowhere}: cannot write it (No such file or directory)"
    assert proc.stderr.strip().splitlines() == [expected]
    assert not nowhere.parent.exists()
    before = store_files()
    proc = run_cli("notes", "export", "--output", str(store_path()))
    assert proc.returncode == 2 and "the user store itself" in proc.stderr
    assert store_files() == before


def test_unknown_issue_or_section_is_one_line(run_cli: Run) -> None:
    run_cli("list", check=True)
    for args, expected in [
        (("999", "1"), "no issue '999' in the library"),
        (("395", "40"), "issue 395 has sections 1 to 6, not 40"),
        (("395", "0"), "issue 395 has sections 1 to 6, not 0"),
        (("395", "3", "   "), "the note is empty"),
    ]:
        if len(args) == 2:
            args = (*args, "text")
        proc = run_cli("notes", "add", *args)
        assert proc.returncode == 2, args
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"importai: {expected}"), args
    assert not store_path().exists()  # refused input never created the store
    proc = run_cli("notes", "add", "395", "three", "text")
    assert proc.returncode == 2 and "invalid int value" in proc.stderr


def test_a_note_whose_section_disappeared_is_still_listed(run_cli: Run) -> None:
    run_cli("list", check=True)
    title = cli_json(run_cli, "show", "395")["title"]
    lost = Anchor("395", 4, "A story a better parser no longer finds", title, "What it said…")
    with opened_store() as store:
        store.set_note(lost, "my note on the lost story")
        store.toggle_bookmark(lost)
        store.set_note(anchor("395", 3), "a found one")
    listing = cli_json(run_cli, "notes")
    gone = next(r for r in listing if r["headline"] == lost.headline)
    assert gone["found"] is False and gone["section"] is None
    assert (gone["number"], gone["note"], gone["bookmarked"]) == (
        395,
        "my note on the lost story",
        True,
    )
    assert [r["found"] for r in cli_json(run_cli, "bookmarks")] == [False]
    human = run_cli("notes", check=True).stdout
    assert f"395 (section not found) {lost.headline}" in human
    assert "my note on the lost story" in human
    assert "section not found" in run_cli("bookmarks", check=True).stdout
    md = run_cli("notes", "export", check=True).stdout
    lost_md = md[md.index(f"### {lost.headline}") :]
    assert "Section not found (it was section 4 when saved) · bookmarked" in lost_md
    assert "> What it said…" in lost_md and "my note on the lost story" in lost_md
    assert md.index(f"### {GENIE}") < md.index(f"### {lost.headline}")  # found ones first
    data = json.loads(run_cli("notes", "export", "--format", "json", check=True).stdout)
    assert lost.headline in [e["headline"] for e in data["entries"]]


def test_a_corrupt_store_is_refused_and_left_byte_for_byte(run_cli: Run, tmp_path: Path) -> None:
    run_cli("list", check=True)
    garbage = bytes(range(256)) * 16
    store_path().write_bytes(garbage)
    export = tmp_path / "export.json"
    export.write_text(_export(_valid_entry()), encoding="utf-8")
    for args in [
        ("notes",),
        ("notes", "--json"),
        ("bookmarks",),
        ("notes", "add", "395", "3", "text"),
        ("notes", "export"),
        ("notes", "export", "--format", "json", "--output", str(tmp_path / "out.json")),
        ("notes", "import", str(export)),
    ]:
        proc = run_cli(*args)
        assert proc.returncode == 1, args
        lines = proc.stderr.strip().splitlines()
        assert str(store_path()) in lines[0] and "left untouched" in lines[0], args
        assert len(lines) == 2 and lines[1].startswith("importai: to keep it"), args
        assert f"mv {store_path()} {store_path()}.broken-" in lines[1]
        assert proc.stdout == "" and "Traceback" not in proc.stderr
        assert store_files() == {"user.sqlite3": garbage}, args
    assert not (tmp_path / "out.json").exists()
    for args in [("list",), ("show", "395", "--section", "3"), ("search", "genie")]:
        proc = run_cli(*args)
        assert proc.returncode == 0 and proc.stderr == "", args
    assert store_files() == {"user.sqlite3": garbage}


def test_terminal_escapes_in_a_note_never_reach_the_terminal(run_cli: Run) -> None:
    hostile = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x1b[31mred\x1b[0m \x07bell"
    run_cli("notes", "add", "395", "3", hostile, check=True)
    assert cli_json(run_cli, "notes")[0]["note"] == "click red bell"
    for args in [("notes",), ("notes", "export")]:
        out = run_cli(*args, check=True).stdout
        assert "\x1b" not in out and "\x07" not in out and "click red bell" in out


def test_a_busy_store_is_not_called_broken() -> None:
    busy = UserStoreBusy(f"{store_path()}: the user store is in use by another importai; try again")
    assert store_error_lines(busy) == [str(busy)]  # no advice to move a healthy store aside
    broken = UserStoreError(f"{store_path()}: unreadable user store (file is not a database)")
    reason, hint = store_error_lines(broken)
    assert reason == str(broken) and hint.startswith("to keep it and start a new, empty store")


def test_help(run_cli: Run) -> None:
    for args in [
        ("bookmarks",),
        ("notes",),
        ("notes", "add"),
        ("notes", "export"),
        ("notes", "import"),
    ]:
        proc = run_cli(*args, "--help")
        assert proc.returncode == 0 and proc.stdout.startswith("usage: importai " + " ".join(args))
    assert "bookmarks" in run_cli("--help", check=True).stdout

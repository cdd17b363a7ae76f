"""The command line on a real terminal (a pty) and through a pipe, over hostile stored text.

Issue text, link texts and hrefs, notes and file names may hold escape sequences (CSI, OSC 8
hyperlinks, OSC 52 clipboard writes), C1 controls and bidi overrides: text stored before
sanitizing existed, a note saved raw by an older version, a name given on the command line.
The bytes a terminal receives may hold our own styling and links and nothing else.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hostile_terminal import (
    ESC,
    LITERAL,
    NUMBER,
    OSC52,
    SAFE_TARGET,
    TRAP,
    plant_issue,
    plant_old_note,
    store_path,
    terminal_text,
)

from importai_tui.core.userstore import UserStore

Run = Callable[..., subprocess.CompletedProcess[str]]
OLD_NOTE = f"old note {TRAP}\nsecond line {OSC52}"


def run_in_pty(*args: str) -> tuple[int, bytes]:
    """Run ``importai`` with stdout and stderr on a pseudo-terminal; all it wrote there."""
    env = os.environ.copy()
    env.pop("NO_COLOR", None)  # styles and hyperlinks, as on a real terminal
    env.update(TERM="xterm-256color", COLUMNS="160")
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "importai_tui", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 120)
            if not ready:
                raise AssertionError(f"importai {' '.join(args)} wrote nothing for 120 s")
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        proc.wait(timeout=120)
    return proc.returncode, b"".join(chunks)


@pytest.fixture
def planted() -> None:
    """A hostile issue in the library and a raw old note on it in the user store."""
    issue = plant_issue()
    plant_old_note(issue, 1, OLD_NOTE)


@pytest.mark.usefixtures("planted")
def test_show_on_a_terminal_sends_no_escape_and_only_safe_links() -> None:
    code, out = run_in_pty("show", str(NUMBER))
    assert code == 0
    text, targets = terminal_text(out)
    assert LITERAL in text and "[0]" in text and "[b" in text  # markup-like text is text
    assert "Body trapword" in text and "hostile https" in text and "javascript" in text
    # the https links are hyperlinks to the sanitized address; the others are none at all
    assert SAFE_TARGET in targets and "https://ok.example/x%20y" in targets
    assert all(t.startswith(("https://", "http://", "mailto:")) for t in targets), targets
    assert ESC in out.decode()  # it is a terminal: our own styles are there


@pytest.mark.usefixtures("planted")
@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["search", "trapword"],
        ["search", f"trap{ESC}[31m{OSC52}\u202ezzz"],  # a query that matches nothing, echoed
        ["notes"],
        ["bookmarks"],
        ["notes", "export"],
        ["notes", "export", "--format", "json"],
        ["show", str(NUMBER), "--json"],
        ["list", "--json"],
        ["search", "trapword", "--json"],
        ["notes", "--json"],
    ],
    ids=lambda a: " ".join(a)[:30].replace(ESC, "ESC"),
)
def test_every_listing_on_a_terminal_is_free_of_controls(args: list[str]) -> None:
    code, out = run_in_pty(*args)
    assert code == 0, out
    text, targets = terminal_text(out)
    assert all(t.startswith(("https://", "http://", "mailto:")) for t in targets), targets
    if args[0] in ("list", "search") and "zzz" not in args[-1]:
        assert str(NUMBER) in text


@pytest.mark.usefixtures("planted")
@pytest.mark.parametrize(
    "args",
    [
        ["show", str(NUMBER)],
        ["list"],
        ["search", "trapword"],
        ["notes"],
        ["notes", "export"],
    ],
)
def test_human_output_through_a_pipe_is_free_of_controls(run_cli: Run, args: list[str]) -> None:
    proc = run_cli(*args, check=True)
    text, targets = terminal_text(proc.stdout.encode())
    assert not targets and ESC not in proc.stdout  # no styles down a pipe, nor anything else
    if args[0] == "show":
        assert LITERAL in text


@pytest.mark.usefixtures("planted")
def test_json_keeps_the_stored_text_exactly_as_escapes(run_cli: Run) -> None:
    """--json is for scripts: the data is all there, but as JSON escapes, never raw."""
    proc = run_cli("show", str(NUMBER), "--json", check=True)
    terminal_text(proc.stdout.encode())
    assert "\\u001b" in proc.stdout and "\\u009b" in proc.stdout and "\\u202e" in proc.stdout
    data = json.loads(proc.stdout)
    assert data["title"] == f"Import AI {NUMBER}: {TRAP}"


@pytest.mark.usefixtures("planted")
def test_notes_export_json_is_faithful_and_markdown_is_clean(run_cli: Run, tmp_path: Path) -> None:
    """The JSON backup keeps an old note as it was stored (escaped as JSON); Markdown, which
    is for reading, carries none of its controls; neither file holds a raw control."""
    backup, notes = tmp_path / "notes.json", tmp_path / "notes.md"
    run_cli("notes", "export", "--format", "json", "-o", str(backup), check=True)
    run_cli("notes", "export", "-o", str(notes), check=True)
    terminal_text(backup.read_bytes())
    terminal_text(notes.read_bytes())
    entries = json.loads(backup.read_text(encoding="utf-8"))["entries"]
    assert [e["note"] for e in entries] == [OLD_NOTE]
    markdown = notes.read_text(encoding="utf-8")
    assert "old note T" in markdown and LITERAL in markdown


def test_notes_added_and_imported_with_escapes_reach_no_terminal(
    run_cli: Run, tmp_path: Path
) -> None:
    """Both ways in from the command line: 'notes add' and 'notes import'."""
    plant_issue()
    run_cli("notes", "add", str(NUMBER), "1", f"typed {OSC52}{LITERAL}", check=True)
    export = {
        "format": "importai-notes",
        "version": 1,
        "entries": [
            {
                "issue_id": str(NUMBER),
                "section_key": "quiet second story",
                "section": 2,
                "issue_title": f"Title {TRAP}",
                "headline": f"Quiet {TRAP}",
                "excerpt": f"x {OSC52}",
                "url": f"https://ok.example/{OSC52}",
                "bookmarked": True,
                "note": f"imported {TRAP}",
                "created": "2024-01-01T00:00:00+00:00",
                "updated": "2024-01-01T00:00:00+00:00",
            }
        ],
    }
    file = tmp_path / "in.json"
    file.write_text(json.dumps(export), encoding="utf-8")
    run_cli("notes", "import", str(file), check=True)
    for args in (["notes"], ["notes", "export"], ["bookmarks"]):
        code, out = run_in_pty(*args)
        assert code == 0
        text, _ = terminal_text(out)
        assert LITERAL in text
        assert "typed" in text or args == ["bookmarks"]


def test_a_file_name_with_escapes_is_printed_clean(tmp_path: Path) -> None:
    """'add' names each file it read: a hostile name must not act on the terminal."""
    bad = tmp_path / f"evil{ESC}]0;owned{chr(7)}\u202ename{ESC}[2J.txt"
    bad.write_text("not an issue at all\n", encoding="utf-8")
    code, out = run_in_pty("add", str(bad))
    assert code == 2  # rejected: not an issue
    text, _ = terminal_text(out)
    assert "rejected" in text and "evil" in text


def test_the_old_note_is_really_stored_raw() -> None:
    """The planting above bypasses the cleaning on the way in (else these tests prove little)."""
    issue = plant_issue()
    plant_old_note(issue, 1, OLD_NOTE)
    store = UserStore.open(store_path())
    try:
        notes = [e.note for e in store.entries()]
    finally:
        store.close()
    assert notes == [OLD_NOTE]

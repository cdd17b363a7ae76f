"""Data written by an older version, before text was sanitized, and a check of terminal bytes.

The library and the user store are filled directly (``Library.upsert``, an SQL UPDATE), not
through the readers or ``UserStore.set_note``: those clean text on the way in, and what is
tested here is that text which got in raw anyway never reaches a terminal raw.
"""

from __future__ import annotations

import re
from pathlib import Path

from importai_tui.core import paths
from importai_tui.core.collection import Collection
from importai_tui.core.model import Block, Inline, Issue, Section
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.userstore import FILENAME, UserStore, anchor_of

ESC = "\x1b"
OSC52 = f"{ESC}]52;c;SGVsbG8={chr(7)}"  # writes "Hello" to the clipboard
OSC8 = f"{ESC}]8;;http://evil.example{ESC}\\"  # a hyperlink hidden under the text
# every kind at once: CSI, OSC 52, OSC 8, 8-bit CSI, a bidi override, markup-like text
TRAP = f"T{ESC}[31mr{ESC}[0map {OSC52}[bold red]x[/] {OSC8}\u202eevil\u202c \x9b2Jc1 [0] [b"
LITERAL = "[bold red]x[/]"  # must show as typed, not restyle anything
NUMBER = 9555
SAFE_TARGET = "https://ok.example/ab"  # what the hostile https href opens as
HREFS = {
    "hostile https": f"https://ok.example/a{OSC52}b",
    "javascript": "javascript:alert(1)",
    "file": "file:///etc/passwd",
    "data": "data:text/html,<script>alert(1)</script>",
    "spaced": "https://ok.example/x\u202e y",
}


def hostile_issue() -> Issue:
    """An issue with escapes in its title, headline, subtitle, text, link texts and hrefs."""
    links = tuple(
        Inline(f" {name} {ESC}[5mlink{ESC}[0m{OSC52} ", href=href) for name, href in HREFS.items()
    )
    body = (
        Block("paragraph", (Inline(f"Body trapword {TRAP} end."),)),
        Block("paragraph", (Inline("Links:"), *links)),
        Block("list_item", (Inline(f"item {TRAP}"),), depth=1),
    )
    sections = (
        Section(1, "story", f"Head {TRAP}", f"sub {TRAP}", body),
        Section(2, "story", "Quiet second story", None, (Block("paragraph", (Inline("x"),)),)),
    )
    return Issue(str(NUMBER), NUMBER, f"Import AI {NUMBER}: {TRAP}", None, None, sections)


def plant_issue() -> Issue:
    """Store :func:`hostile_issue` in the test's library, as an older version might have."""
    coll = Collection.open()
    try:
        issue = hostile_issue()
        with coll.library.transaction():
            coll.library.upsert(issue, "0" * 64)
        coll.library.commit()
    finally:
        coll.close()
    return issue


def store_path() -> Path:
    """The test's user store."""
    return paths.data_dir() / FILENAME


def plant_old_note(issue: Issue, section: int, note: str) -> None:
    """A note (and its entry's headline and title) saved raw, as before notes were cleaned."""
    store = UserStore.open(store_path())
    try:
        store.set_note(anchor_of(issue, section), "placeholder")
    finally:
        store.close()
    with sqlite3.connect(store_path()) as conn:
        conn.execute(
            "UPDATE entries SET note=?, headline=?, issue_title=?",
            (note, f"Old {TRAP}", f"Title {TRAP}"),
        )
    conn.close()


# our own output: SGR styles, and hyperlinks whose target is printable ASCII
_SGR = re.compile(rb"\x1b\[[0-9;]*m")
_LINK_OPEN = re.compile(rb"\x1b\]8;id=[0-9]+;([!-~]*)\x1b\\")
_LINK_CLOSE = re.compile(rb"\x1b\]8;;\x1b\\")
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(data: bytes) -> tuple[str, list[str]]:
    """The text a terminal shows for ``data`` and the hyperlink targets in it; fails if
    anything but our own styling and links would act on the terminal."""
    targets = [m.decode("ascii") for m in _LINK_OPEN.findall(data)]
    rest = _LINK_CLOSE.sub(b"", _LINK_OPEN.sub(b"", _SGR.sub(b"", data)))
    text = rest.decode("utf-8")  # invalid UTF-8 would raise: no stray 8-bit bytes either
    bad = sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(text)})
    assert not bad, f"control characters reached the terminal: {bad}"
    return text, targets

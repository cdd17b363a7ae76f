"""Plain-text reader: captures of the newsletter's web pages, one or many issues per file."""

from __future__ import annotations

import re

from importai_tui.core.model import Block, Document, Inline, Meta
from importai_tui.core.patterns import BREAK, BREAK_FIRST
from importai_tui.core.sanitize import clean

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[•·▪◦‣●○■□]|[-*+](?=\s))\s+(?P<text>.*)$")
_URL = re.compile(r"https?://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]")
# What a bullet's first character after its indentation is: most lines start otherwise,
# and testing the first character is cheaper than the expression.
_BULLET_FIRST = "•·▪◦‣●○■□-*+"


# Inline(...) and Block(...) run namedtuple's __new__, a Python function; a line makes one
# of each, so the loop below makes the same tuples with tuple.__new__ directly.
_new = tuple.__new__


def text_inlines(text: str) -> tuple[Inline, ...]:
    """Split a line into plain runs, making bare URLs links."""
    if "http" not in text:  # every URL the expression finds starts so
        return (_new(Inline, (text, False, False, None)),) if text else ()
    runs: list[Inline] = []
    pos = 0
    for match in _URL.finditer(text):
        if match.start() > pos:
            runs.append(Inline(text[pos : match.start()]))
        runs.append(Inline(match.group(), href=match.group()))
        pos = match.end()
    if pos < len(text):
        runs.append(Inline(text[pos:]))
    return tuple(runs)


def _folded(line: str, printable: bool) -> str:
    """``line`` with every whitespace run made one space, and none at either end
    (``printable``: whether ``line`` is known to be printable)."""
    # Most lines already are: only a space is both whitespace and printable, so a
    # printable line without two spaces in a row or one at an end is its own fold.
    if (
        (printable or line.isprintable())
        and "  " not in line
        and line[:1] != " "
        and line[-1:] != " "
    ):
        return line
    return " ".join(line.split())


def _lines(text: str) -> tuple[list[str], bool]:
    """The lines of ``text`` made safe to show, and whether all of them are printable."""
    lines = text.split("\n")
    # Every character clean() removes is unprintable: text whose lines are all printable
    # is clean, and testing them is quicker than looking for those characters.
    if all(map(str.isprintable, lines)):
        return lines, True
    return clean(text).split("\n"), False


def text_to_blocks(text: str) -> tuple[Block, ...]:
    """Lines become blocks; a blank line starts a new paragraph; bullets become list items."""
    blocks: list[Block] = []
    joined = False
    indents: list[int] = []  # indentation of the open list levels
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines, printable = _lines(text)
    for raw in lines:
        line = (raw.expandtabs(4) if "\t" in raw else raw).rstrip()
        if not line:
            joined = False
            continue
        first = line.lstrip()[0]
        if first in BREAK_FIRST and BREAK.match(line):
            blocks.append(Block("rule"))
            indents, joined = [], False
            continue
        bullet = _BULLET.match(line) if first in _BULLET_FIRST else None
        if bullet:
            indent = len(bullet.group("indent"))
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
            body = _folded(bullet.group("text"), printable)
            blocks.append(_new(Block, ("list_item", text_inlines(body), len(indents), False)))
            joined = True
            continue
        indents = []
        # (_folded and text_inlines, written out for the usual line: a tenth of reading it;
        # keep in step with both)
        if not printable or "  " in line or line[0] == " ":  # (its end is stripped)
            line = _folded(line, printable)
        runs = (_new(Inline, (line, False, False, None)),) if "http" not in line else None
        blocks.append(_new(Block, ("paragraph", runs or text_inlines(line), 0, joined)))
        joined = True
    return tuple(blocks)


def read_text(text: str, meta: Meta | None = None) -> list[Document]:
    """Read a plain-text capture."""
    return [Document(text_to_blocks(text), meta or Meta(), format="text", formatted=False)]

"""An issue in the library's row form: what the library stores, computed where it is parsed.

Turning an issue into rows (its JSON, its sections' plain text, its fingerprint) costs as
much as a third of parsing it. Doing it beside the parser lets a worker process do it, and
hands the library only strings and numbers, which cross a process boundary cheaply.

The two large texts, the JSON and the sections' bodies, are UTF-8 bytes, as SQLite stores
them: a ``str`` would be encoded to cross to the storing process, decoded there, and encoded
again to be bound (about 0.1 ms an issue on the import's serial path); the library casts them
to TEXT as it stores them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _str  # what json.dumps quotes strings with

from importai_tui.core.model import Inline, Issue
from importai_tui.core.serialize import BOLD as _BOLD
from importai_tui.core.serialize import ITALIC as _ITALIC
from importai_tui.core.serialize import issue_from_data

_NON_WORD = re.compile(r"\W+")
_NON_WORD_ASCII = bytes(c for c in range(128) if _NON_WORD.match(chr(c)))

# (index, kind, headline, subtitle, plain-text body as UTF-8) of one section
SectionRow = tuple[int, str, str, str | None, bytes]


@dataclass(frozen=True)
class IssueRows:
    """One issue as the library's tables hold it."""

    id: str
    number: int | None
    title: str
    date: str | None  # ISO date
    url: str | None
    format: str
    fingerprint: str
    data: bytes  # issue_to_data as compact JSON, UTF-8
    sections: tuple[SectionRow, ...]
    references: tuple[tuple[int, int], ...]  # (number, section)

    def issue(self) -> Issue:
        """The issue back (only a merge with another copy needs it)."""
        return issue_from_data(json.loads(self.data))


def fingerprint(issue: Issue) -> str:
    """The same issue from two sources has the same headlines, whatever their formatting."""
    parts = []
    for s in issue.sections:
        headline = s.headline.casefold()
        if headline.isascii():  # most: dropping bytes is 2x quicker than the expression
            parts.append(headline.encode().translate(None, _NON_WORD_ASCII).decode())
        else:
            parts.append(_NON_WORD.sub("", headline))
    return "|".join(parts)


def dump(issue: Issue) -> str:
    """The stored JSON of an issue: ``json.dumps(issue_to_data(issue), ensure_ascii=False,
    separators=(",", ":"))``, character for character, written directly.

    Building issue_to_data's dicts and lists (one per block and run) and encoding them took
    a sixth of an issue's parsing; here each string goes through json's own string encoder
    and the rest is joined as text (tests/test_rows.py holds the two to the same output).
    """
    sections = []
    for s in issue.sections:
        blocks = []
        for kind, inlines, depth, joined in s.blocks:
            if len(inlines) == 1 and not (inlines[0].bold or inlines[0].italic or inlines[0].href):
                runs = f"[{_str(inlines[0].text)},0]"  # most blocks: one plain run
            else:
                runs = ",".join([_run(run) for run in inlines])
            head = _BLOCK_HEADS.get(kind) or f'{{"k":{_str(kind)},"r":['
            if depth or joined:
                tail = (f',"d":{depth}' if depth else "") + (',"j":1' if joined else "")
                blocks.append(f"{head}{runs}]{tail}}}")
            else:
                blocks.append(f"{head}{runs}]}}")
        links = ",".join([f"[{_str(link.text)},{_str(link.url)}]" for link in s.links])
        sections.append(
            f'{{"index":{s.index},"kind":{_str(s.kind)},"headline":{_str(s.headline)},'
            f'"subtitle":{_opt(s.subtitle)},"blocks":[{",".join(blocks)}],"links":[{links}]}}'
        )
    refs = ",".join([f"[{r.number},{r.section}]" for r in issue.references])
    number = "null" if issue.number is None else int.__repr__(issue.number)
    date = _str(issue.date.isoformat()) if issue.date else "null"
    return (
        f'{{"id":{_str(issue.id)},"number":{number},"title":{_str(issue.title)},'
        f'"date":{date},"url":{_opt(issue.url)},"format":{_str(issue.format)},'
        f'"references":[{refs}],"sections":[{",".join(sections)}]}}'
    )


# the start of each kind of block's JSON, which every block of that kind repeats
_BLOCK_HEADS = {k: f'{{"k":{_str(k)},"r":[' for k in ("paragraph", "list_item", "rule")}


def _run(run: Inline) -> str:
    flags = (_BOLD if run.bold else 0) | (_ITALIC if run.italic else 0)
    if run.href:
        return f"[{_str(run.text)},{flags},{_str(run.href)}]"
    return f"[{_str(run.text)},{flags}]"


def _opt(text: str | None) -> str:
    return "null" if text is None else _str(text)


def to_rows(issue: Issue, texts: Sequence[str] | None = None) -> IssueRows:
    """The rows of ``issue``; ``texts``, if given, are its sections' (``Section.text``)."""
    if texts is None:
        texts = [s.text for s in issue.sections]
    return IssueRows(
        id=issue.id,
        number=issue.number,
        title=issue.title,
        date=issue.date.isoformat() if issue.date else None,
        url=issue.url,
        format=issue.format,
        fingerprint=fingerprint(issue),
        data=dump(issue).encode(),
        sections=tuple(
            (s.index, s.kind, s.headline, s.subtitle, text.encode())
            for s, text in zip(issue.sections, texts, strict=True)
        ),
        references=tuple((r.number, r.section) for r in issue.references),
    )

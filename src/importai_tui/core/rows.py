"""An issue in the library's row form: what the library stores, computed where it is parsed.

Turning an issue into rows (its JSON, its sections' plain text, its fingerprint) costs as
much as a third of parsing it. Doing it beside the parser lets a worker process do it, and
hands the library only strings and numbers, which cross a process boundary cheaply.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from importai_tui.core.model import Issue
from importai_tui.core.serialize import issue_from_data, issue_to_data

_NON_WORD = re.compile(r"\W+")

# (index, kind, headline, subtitle, plain-text body) of one section
SectionRow = tuple[int, str, str, str | None, str]


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
    data: str  # issue_to_data as compact JSON
    sections: tuple[SectionRow, ...]
    references: tuple[tuple[int, int], ...]  # (number, section)

    def issue(self) -> Issue:
        """The issue back (only a merge with another copy needs it)."""
        return issue_from_data(json.loads(self.data))


def fingerprint(issue: Issue) -> str:
    """The same issue from two sources has the same headlines, whatever their formatting."""
    return "|".join(_NON_WORD.sub("", s.headline.casefold()) for s in issue.sections)


def dump(issue: Issue) -> str:
    """The stored JSON of an issue."""
    return json.dumps(issue_to_data(issue), ensure_ascii=False, separators=(",", ":"))


def to_rows(issue: Issue) -> IssueRows:
    """The rows of ``issue``."""
    return IssueRows(
        id=issue.id,
        number=issue.number,
        title=issue.title,
        date=issue.date.isoformat() if issue.date else None,
        url=issue.url,
        format=issue.format,
        fingerprint=fingerprint(issue),
        data=dump(issue),
        sections=tuple((s.index, s.kind, s.headline, s.subtitle, s.text) for s in issue.sections),
        references=tuple((r.number, r.section) for r in issue.references),
    )

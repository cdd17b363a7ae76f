"""Moving through the library: a small cache of parsed issues and the section order."""

from __future__ import annotations

from collections import OrderedDict

from importai_tui.core.library import IssueRow, Library
from importai_tui.core.model import Issue


class IssueCache:
    """Parsed issues by id, the most recent few kept (bodies load only on demand)."""

    def __init__(self, library: Library, size: int = 32) -> None:
        self.library = library
        self.size = size
        self._issues: OrderedDict[str, Issue | None] = OrderedDict()
        self._mentions: dict[str, list[tuple[str, int, str]]] = {}

    def get(self, issue_id: str) -> Issue | None:
        """The issue with this id, or None when the library has no such issue."""
        if issue_id in self._issues:
            self._issues.move_to_end(issue_id)
            return self._issues[issue_id]
        issue = self.library.get(issue_id)
        if issue is not None and issue.id != issue_id:
            issue = None  # get() also accepts numbers and prefixes; ids must match exactly
        self._issues[issue_id] = issue
        if len(self._issues) > self.size:
            self._issues.popitem(last=False)
        return issue

    def mentions(self, issue: Issue) -> list[tuple[str, int, str]]:
        """(issue id, section, label) of the sections of later issues that mention this one
        (an untitled issue, whose date is unknown, counts as later)."""
        if issue.number is None:
            return []
        if issue.id in self._mentions:  # asked again on every refresh of the section list
            return self._mentions[issue.id]
        found = []
        for issue_id, number, section, headline in self.library.mentioned_in(issue.number):
            if number is not None and number < issue.number:
                continue
            name = f"Import AI {number}" if number is not None else issue_id
            found.append((issue_id, section, f"{name} §{section}: {headline}"))
        self._mentions[issue.id] = found
        return found


def step(
    rows: list[IssueRow], cache: IssueCache, issue: Issue, section: int, delta: int
) -> tuple[str, int] | None:
    """The section ``delta`` (±1) away, crossing into the neighbouring issue of the list.

    The list runs newest first, so "next" after an issue's last section is the issue below
    it (the one before it in time), as in the list on screen.
    """
    target = section + delta
    if 1 <= target <= len(issue.sections):
        return issue.id, target
    ids = [r.id for r in rows]
    position = ids.index(issue.id) if issue.id in ids else -1
    while 0 <= position + delta < len(ids):
        position += delta
        neighbour = cache.get(ids[position])
        if neighbour is not None and neighbour.sections:
            return neighbour.id, 1 if delta > 0 else len(neighbour.sections)
    return None

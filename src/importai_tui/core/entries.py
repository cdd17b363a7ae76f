"""Bookmarks and notes as the user store keeps them: anchored to a section by its headline."""

from __future__ import annotations

import re
from dataclasses import dataclass

from importai_tui.core.model import Issue

EXCERPT = 200  # characters of the section kept with an entry, shown if the section is lost


def section_key(headline: str) -> str:
    """A section's identity that survives re-parsing: its headline, normalized."""
    return re.sub(r"\W+", " ", headline.casefold()).strip()


@dataclass(frozen=True)
class Anchor:
    """Where an entry belongs, and what to show of it if the section is ever lost."""

    issue_id: str
    section: int
    headline: str
    issue_title: str = ""
    excerpt: str = ""
    url: str | None = None

    @property
    def key(self) -> str:
        """The section key the entry is filed under."""
        return section_key(self.headline)


@dataclass(frozen=True)
class Entry:
    """A bookmark and/or note on one section."""

    id: int | None
    issue_id: str
    section_key: str
    section: int
    issue_title: str
    headline: str
    excerpt: str
    url: str | None
    bookmarked: bool
    note: str | None
    created: str
    updated: str


def anchor_of(issue: Issue, index: int) -> Anchor:
    """The anchor of section ``index`` (1-based) of ``issue``."""
    section = issue.sections[index - 1]
    text = " ".join(section.text.split())
    excerpt = text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")
    reads = [b for b in section.blocks if b.text.lower().startswith("read more")]
    links = [r.href for b in reads for r in b.inlines if r.href]
    url = links[0] if links else (section.links[0].url if section.links else issue.url)
    return Anchor(issue.id, index, section.headline, issue.title, excerpt, url)


def locate(entry: Entry, issue: Issue | None) -> int | None:
    """The section (1-based) an entry belongs to now, or None when it can no longer be found."""
    if issue is None:
        return None
    for section in issue.sections:
        if section_key(section.headline) == entry.section_key:
            return section.index
    return None

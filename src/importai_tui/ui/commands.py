"""Command palette providers: "go to issue…" and "jump to section…"."""

from __future__ import annotations

import re
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from importai_tui.core.library import IssueRow
from importai_tui.core.sanitize import clean_line
from importai_tui.ui.context import reader
from importai_tui.ui.screens.main import MainScreen


def _open(provider: Provider, issue_id: str, section: int) -> None:
    """Open a section on the main screen, under the palette."""
    for screen in provider.app.screen_stack:
        if isinstance(screen, MainScreen):
            screen.open_section(issue_id, section)


ISSUE_PREFIX = re.compile(r"^\s*(?:go\s+to\s+issue|issue)\b\s*:?\s*#?", re.IGNORECASE)
SECTION_PREFIX = re.compile(
    r"^\s*(?:jump\s+to\s+section|jump\s+to|section)\b\s*:?\s*", re.IGNORECASE
)


def scoped(query: str, own: re.Pattern[str], other: re.Pattern[str]) -> str:
    """The query without this provider's prefix; empty when it names the other provider."""
    if other.match(query):
        return ""
    return own.sub("", query).strip()


class IssueProvider(Provider):
    """Issues by number or title ("go to issue 390", "390", "issue chip embargo")."""

    rows: list[IssueRow]

    async def startup(self) -> None:
        """Read the issue index once per palette."""
        self.rows = reader(self.screen).collection.library.rows()

    def _hit(self, score: float, row: IssueRow) -> Hit:
        text = Text(f"Go to issue: {clean_line(row.title)}")  # an older library may hold escapes
        return Hit(score, text, partial(_open, self, row.id, 1), text.plain)

    async def search(self, query: str) -> Hits:
        """Issues whose number starts with the query, or whose title fuzzily matches it."""
        q = scoped(query, ISSUE_PREFIX, SECTION_PREFIX).lstrip("#")
        if q.isdigit():
            for row in self.rows:
                if row.number is not None and str(row.number).startswith(q):
                    yield self._hit(1.0 if str(row.number) == q else 0.8, row)
        elif q:
            titles = [r.title for r in self.rows]
            from rapidfuzz import fuzz, process, utils  # only when the palette asks

            found = process.extract(
                q,
                titles,
                scorer=fuzz.WRatio,
                processor=utils.default_process,
                limit=20,
                score_cutoff=60,
            )
            for _title, score, i in found:
                yield self._hit(score / 100, self.rows[i])

    async def discover(self) -> Hits:
        """The newest few issues."""
        for row in self.rows[:5]:
            hit = self._hit(0, row)
            yield DiscoveryHit(hit.match_display, hit.command, hit.text)


class SectionProvider(Provider):
    """Any section of any issue, through the fuzzy headline index ("jump to genie")."""

    async def search(self, query: str) -> Hits:
        """The best headline matches, ranked by the same matcher as the fuzzy jump."""
        index = reader(self.screen).ready_index()
        q = scoped(query, SECTION_PREFIX, ISSUE_PREFIX)
        if index is None or not q:
            return
        for match in index.match(q, limit=20):
            e = match.entry
            label = f"Import AI {e.number}" if e.number is not None else e.issue_id[:7]
            text = Text(f"Jump to section: {clean_line(e.headline)} ({label} §{e.section})")
            command = partial(_open, self, e.issue_id, e.section)
            yield Hit(match.score / 100, text, command, text.plain)

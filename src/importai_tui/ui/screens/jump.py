"""Fuzzy jump: type a few letters of any headline, Enter opens that section."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from importai_tui.core.fuzzy import Match
from importai_tui.core.sanitize import clean_line
from importai_tui.ui.context import reader
from importai_tui.ui.screens.query import QueryScreen, never
from importai_tui.ui.widgets.lists import TALE_MARK

RESULTS = 50


def match_prompt(match: Match) -> Text:
    """One result: issue number, headline with the matched characters highlighted."""
    entry = match.entry
    text = Text(no_wrap=True, overflow="ellipsis")
    label = str(entry.number) if entry.number is not None else entry.issue_id[:7]
    text.append(f"{label:>5} §{entry.section:<2} ", style="dim")
    if entry.kind == "tech_tale":
        text.append(f"{TALE_MARK} ", style="bold magenta")
    # cleaned again (a library built by an older version may hold escapes); the match
    # spans count characters of the stored text, so they only apply if nothing was removed
    start = len(text)
    headline = clean_line(entry.headline)
    text.append(headline, style="bold")
    for s, e in match.headline_spans if headline == entry.headline else ():
        text.stylize("bold yellow underline", start + s, start + e)
    if entry.subtitle and match.subtitle_spans:
        text.append("  …", style="dim")
        start = len(text)
        subtitle = clean_line(entry.subtitle)
        text.append(subtitle, style="dim italic")
        for s, e in match.subtitle_spans if subtitle == entry.subtitle else ():
            text.stylize("yellow underline", start + s, start + e)
    return text


class JumpScreen(QueryScreen[Match, tuple[str, int]]):
    """Ranked headlines of every issue, updated on each keystroke (off the UI thread)."""

    PLACEHOLDER = "Jump to a story: type part of a headline"

    def find(self, query: str, cancelled: Callable[[], bool] = never) -> list[Match]:
        """The best headline matches (waiting for the index on the first use)."""
        index = reader(self).headline_index(timeout=30)
        if index is None:
            raise RuntimeError("the headline index could not be built")
        return index.match(query, limit=RESULTS)

    def find_now(self, query: str) -> list[Match]:
        """The best matches if the index is built; otherwise none yet (never waits)."""
        index = reader(self).ready_index()
        if index is None:
            self.notify("still indexing the headlines: a moment", timeout=2)
            return []
        return index.match(query, limit=RESULTS)

    def answers_at_once(self) -> bool:
        """Once the index is built, matching takes a few milliseconds (about 10 with 80,000
        sections): quicker on the UI thread than a thread's round trip."""
        return reader(self).ready_index() is not None

    def prompt(self, item: Match) -> Text:
        """Issue, section and headline with the matched characters highlighted."""
        return match_prompt(item)

    def status(self, query: str, items: list[Match]) -> str:
        """How many results."""
        n = len(items)
        return f"{n} best match{'' if n == 1 else 'es'}" if items else "no match"

    def answer(self, item: Match, query: str) -> tuple[str, int]:
        """The section to open."""
        return item.entry.issue_id, item.entry.section

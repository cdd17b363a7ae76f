"""Full-text search: hits with snippets; Enter opens the section with the terms highlighted."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from importai_tui.core.library import TextHit
from importai_tui.render import highlighted
from importai_tui.ui.context import reader
from importai_tui.ui.screens.query import QueryScreen
from importai_tui.ui.widgets.lists import TALE_MARK

RESULTS = 50
SNIPPET_STYLE = "bold black on yellow"


@dataclass(frozen=True)
class SearchChoice:
    """The hit the reader opened, and the query that found it."""

    issue_id: str
    section: int
    query: str


def hit_prompt(hit: TextHit) -> Text:
    """Two lines: issue, section and headline; then the snippet."""
    text = Text(overflow="ellipsis")
    label = str(hit.number) if hit.number is not None else hit.issue_id[:7]
    text.append(f"{label:>5} §{hit.section:<2} ", style="dim")
    if hit.kind == "tech_tale":
        text.append(f"{TALE_MARK} ", style="bold magenta")
    text.append(hit.headline.replace("\n", " "), style="bold")
    text.append("\n" + " " * 9)
    text.append_text(highlighted(hit.snippet.replace("\n", " "), SNIPPET_STYLE))
    return text


class SearchScreen(QueryScreen[TextHit, SearchChoice]):
    """Query the full-text index as you type; results show where the terms occur."""

    PLACEHOLDER = "Search every issue (all words)"

    def find(self, query: str) -> list[TextHit]:
        """The best full-text hits."""
        return reader(self).collection.library.search_text(query, limit=RESULTS)

    def prompt(self, item: TextHit) -> Text:
        """Issue, section, headline, then the snippet."""
        return hit_prompt(item)

    def status(self, query: str, items: list[TextHit]) -> str:
        """How many hits, or why none."""
        if not items:
            return "no section contains all these words"
        return f"{len(items)} hits" + (" (the best shown)" if len(items) == RESULTS else "")

    def answer(self, item: TextHit, query: str) -> SearchChoice:
        """The hit to open, and the query whose terms to highlight."""
        return SearchChoice(item.issue_id, item.section, query)

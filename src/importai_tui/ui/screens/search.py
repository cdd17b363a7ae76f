"""Full-text search: hits with snippets; Enter opens the section with the terms highlighted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text

from importai_tui.core.library import TextHit
from importai_tui.core.sanitize import clean, clean_line
from importai_tui.core.terms import MIN_PREFIX, Term, parse
from importai_tui.core.userstore import Entry, locate
from importai_tui.render import highlighted
from importai_tui.ui.context import reader
from importai_tui.ui.screens.query import QueryScreen, never
from importai_tui.ui.widgets.lists import NOTE_MARK, TALE_MARK

RESULTS = 50
SNIPPET_STYLE = "bold black on yellow"


@dataclass(frozen=True)
class SearchChoice:
    """The hit the reader opened, the query that found it, and its terms as searched."""

    issue_id: str
    section: int
    query: str
    terms: tuple[Term, ...]


def hit_prompt(hit: TextHit) -> Text:
    """Two lines: issue, section and headline; then the snippet."""
    text = Text(overflow="ellipsis")
    label = str(hit.number) if hit.number is not None else hit.issue_id[:7]
    text.append(f"{label:>5} §{hit.section:<2} ", style="dim")
    if hit.kind == "tech_tale":
        text.append(f"{TALE_MARK} ", style="bold magenta")
    text.append(clean_line(hit.headline), style="bold")
    text.append("\n" + " " * 9)
    text.append_text(highlighted(hit.snippet.replace("\n", " "), SNIPPET_STYLE))
    return text


def note_prompt(entry: Entry) -> Text:
    """A note that matched: marked as a note, with its first line."""
    text = Text(overflow="ellipsis")
    text.append(f"{NOTE_MARK} note ", style="bold green")
    text.append(clean_line(entry.headline), style="bold")  # an old store may hold escapes
    first = clean(entry.note or "").strip().splitlines()[:1]
    text.append("\n" + " " * 9)
    text.append(first[0] if first else "", style="green")
    return text


Found = TextHit | Entry


class SearchScreen(QueryScreen[Found, SearchChoice]):
    """Query the full-text index as you type; results show where the terms occur."""

    PLACEHOLDER = "Search every issue (all words; word* for the words it starts)"
    ROW_HEIGHT = 2  # the headline, then the snippet

    def find(self, query: str, cancelled: Callable[[], bool] = never) -> list[Found]:
        """Your notes that hold every word, then the best full-text hits (a search a
        newer keystroke made stale stops early: at 10,000 issues, ranking what a single
        letter matches takes most of a second)."""
        app = reader(self)
        notes: list[Found] = list(app.store.search_notes(query))
        return notes + app.collection.library.search_text(query, RESULTS, cancelled)

    def prompt(self, item: Found) -> Text:
        """Issue, section, headline, then the snippet (or the note)."""
        return note_prompt(item) if isinstance(item, Entry) else hit_prompt(item)

    def status(self, query: str, items: list[Found]) -> str:
        """How many hits, or why none."""
        if not items:
            none = "no section or note contains all these words"
            words = parse(query).terms
            if words and len(words[-1].word) < MIN_PREFIX:  # as you type: say why "ro" finds none
                return none + f" (the last counts as a word's start from {MIN_PREFIX} letters)"
            return none
        notes = sum(isinstance(i, Entry) for i in items)
        hits = len(items) - notes
        shown = f"{hits} hit{'' if hits == 1 else 's'}"
        shown += " (the best shown)" if hits == RESULTS else ""
        shown += f", {notes} in your notes" if notes else ""
        return shown + _narrowed(query, items)

    def answer(self, item: Found, query: str) -> SearchChoice:
        """The hit to open, and the query whose terms to highlight."""
        if isinstance(item, Entry):
            issue = reader(self).collection.library.get(item.issue_id)
            section = locate(item, issue) or 1
            return SearchChoice(item.issue_id, section, query, parse(query).terms)
        return SearchChoice(item.issue_id, item.section, query, item.terms)


def _narrowed(query: str, items: list[Found]) -> str:
    """What the status line adds when the search took the last word as itself rather than
    as the start of words (a word in very many sections of a very large archive)."""
    typed = parse(query)
    took = next((i.terms for i in items if isinstance(i, TextHit)), typed.terms)
    if typed.typed_prefix and took and not took[-1].prefix:
        word = took[-1].word
        return f"; whole word {word}, {word}* for more"
    return ""

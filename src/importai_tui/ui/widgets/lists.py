"""The issue list and the section list: row lists that move with j/k."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual.binding import Binding

from importai_tui.core.library import IssueRow
from importai_tui.core.model import Issue
from importai_tui.core.sanitize import clean_line
from importai_tui.core.userstore import UserStore, section_key
from importai_tui.ui.widgets.rowlist import Row, RowList

UNREAD_MARK = "●"
TALE_MARK = "✦"
BOOKMARK_MARK = "★"
NOTE_MARK = "✎"


class PaneList(RowList):
    """A row list with vi keys (prompts are rich ``Text``, never read as markup)."""

    BINDINGS = [
        Binding(
            "j",
            "cursor_down",
            "Down",
            show=False,
            id="list.down",
            tooltip="Move down (also the down arrow); in sections, opens as you go",
        ),
        Binding(
            "k", "cursor_up", "Up", show=False, id="list.up", tooltip="Move up (also the up arrow)"
        ),
    ]


class IssueList(PaneList):
    """Every issue of the library, newest first: unread count, number, date, title."""

    dated = False

    def show_rows(self, rows: list[IssueRow], read: dict[str, int]) -> None:
        """Replace the rows; ``read`` counts the sections read per issue id."""
        self.dated = any(r.date for r in rows)
        dated = self.dated
        self.set_rows(Row(partial(issue_prompt, r, read.get(r.id, 0), dated), r.id) for r in rows)

    def update_row(self, row: IssueRow, read: int) -> None:
        """Show a new count of sections read for one issue."""
        self.replace_prompt(row.id, issue_prompt(row, read, self.dated))


def issue_prompt(row: IssueRow, read: int, dated: bool) -> Text:
    """One row: ● and the unread count for an unopened issue, the count alone for one
    begun, nothing for one read; then number, date (when any issue has one), title."""
    text = Text()
    unread = max(row.sections - read, 0)
    if read == 0:
        text.append(f"{UNREAD_MARK}{unread:>2} ", style="bold cyan")
    else:
        text.append(f" {unread:>2} " if unread else "    ", style="cyan")
    text.append(f"{row.number if row.number is not None else '–':>4} ", style="bold")
    if dated:
        text.append(f"{row.date or '':10} ", style="dim")
    text.append(clean_line(_short_title(row)))  # an older library may hold escapes
    return text


def _short_title(row: IssueRow) -> str:
    title = row.title
    prefix = f"Import AI {row.number}"
    if row.number is not None and title.startswith(prefix):
        title = title[len(prefix) :].lstrip(" :–—-|") or title
    return title


@dataclass(frozen=True)
class SectionMarks:
    """What the section list shows beside a headline."""

    unread: bool = False
    bookmarked: bool = False
    noted: bool = False


class SectionList(PaneList):
    """The sections of one issue (unread, bookmark and note marks), then the later issues
    that mention it."""

    def show_issue(
        self,
        issue: Issue,
        mentioned: list[tuple[str, int, str]],
        marks: dict[int, SectionMarks] | None = None,
    ) -> None:
        """List ``issue``'s sections; ``mentioned`` holds (issue id, section, label)."""
        options: list[Row] = []
        for s in issue.sections:
            mark = (marks or {}).get(s.index, SectionMarks())
            text = Text()
            text.append(f"{s.index:>2} ", style="dim")
            text.append(UNREAD_MARK if mark.unread else " ", style="cyan")
            text.append(BOOKMARK_MARK if mark.bookmarked else " ", style="bold yellow")
            text.append(NOTE_MARK if mark.noted else " ", style="bold green")
            text.append(" ")
            if s.kind == "tech_tale":
                text.append(f"{TALE_MARK} ", style="bold magenta")
            text.append(clean_line(s.headline))
            options.append(Row(text, f"s:{s.index}"))
        if mentioned:
            options.append(Row(Text("Mentioned in", style="bold dim"), disabled=True))
            for issue_id, section, label in mentioned:
                text = Text("  ↩ ", style="magenta")
                text.append(clean_line(label))
                options.append(Row(text, f"m:{section}:{issue_id}"))
        self.set_rows(options)


def section_marks(store: UserStore, issue: Issue) -> dict[int, SectionMarks]:
    """Unread, bookmark and note marks of an issue's sections."""
    read = store.read_keys(issue.id)
    entries = store.entries_of(issue.id)
    marks = {}
    for s in issue.sections:
        key = section_key(s.headline)
        entry = entries.get(key)
        marks[s.index] = SectionMarks(
            unread=key not in read,
            bookmarked=bool(entry and entry.bookmarked),
            noted=bool(entry and entry.note),
        )
    return marks

"""The issue list and the section list: option lists that move with j/k."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from importai_tui.core.library import IssueRow
from importai_tui.core.model import Issue

UNREAD_MARK = "●"
TALE_MARK = "✦"


class PaneList(OptionList):
    """An option list with vi keys that never reads its prompts as markup."""

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

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, markup=False)

    def highlight_id(self, option_id: str) -> None:
        """Move the highlight to the option with this id, if there is one."""
        try:
            self.highlighted = self.get_option_index(option_id)
        except OptionDoesNotExist:
            return
        self.scroll_to_highlight()


class IssueList(PaneList):
    """Every issue of the library, newest first: unread mark, number, date, title."""

    dated = False

    def show_rows(self, rows: list[IssueRow], read: set[str]) -> None:
        """Replace the rows, marking issues with nothing read yet."""
        self.dated = any(r.date for r in rows)
        self.set_options(
            Option(issue_prompt(r, r.id not in read, self.dated), id=r.id) for r in rows
        )

    def mark_read(self, row: IssueRow) -> None:
        """Drop the unread mark of one issue."""
        self.replace_option_prompt(row.id, issue_prompt(row, False, self.dated))


def issue_prompt(row: IssueRow, unread: bool, dated: bool) -> Text:
    """One row of the issue list: unread mark, number, date (when any issue has one), title."""
    text = Text()
    text.append(f"{UNREAD_MARK} " if unread else "  ", style="cyan")
    text.append(f"{row.number if row.number is not None else '–':>4} ", style="bold")
    if dated:
        text.append(f"{row.date or '':10} ", style="dim")
    text.append(_short_title(row))
    return text


def _short_title(row: IssueRow) -> str:
    title = row.title
    prefix = f"Import AI {row.number}"
    if row.number is not None and title.startswith(prefix):
        title = title[len(prefix) :].lstrip(" :–—-|") or title
    return title


class SectionList(PaneList):
    """The sections of one issue, then the later issues that mention it."""

    def show_issue(self, issue: Issue, mentioned: list[tuple[str, int, str]]) -> None:
        """List ``issue``'s sections; ``mentioned`` holds (issue id, section, label)."""
        options: list[Option] = []
        for s in issue.sections:
            text = Text()
            text.append(f"{s.index:>2} ", style="dim")
            if s.kind == "tech_tale":
                text.append(f"{TALE_MARK} ", style="bold magenta")
            text.append(s.headline)
            options.append(Option(text, id=f"s:{s.index}"))
        if mentioned:
            options.append(Option(Text("Mentioned in", style="bold dim"), disabled=True))
            for issue_id, section, label in mentioned:
                text = Text("  ↩ ", style="magenta")
                text.append(label)
                options.append(Option(text, id=f"m:{section}:{issue_id}"))
        self.set_options(options)

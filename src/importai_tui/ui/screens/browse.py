"""Browsing: issue list, section list and reading pane, and the keys that move through them."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import Worker

from importai_tui.core.library import IssueRow
from importai_tui.core.links import openable, refusal
from importai_tui.core.model import Issue
from importai_tui.core.sanitize import clean_line
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.terms import Term
from importai_tui.core.userstore import Anchor
from importai_tui.ui.context import reader
from importai_tui.ui.errors import report_worker_error
from importai_tui.ui.navigation import IssueCache, step
from importai_tui.ui.page import Target, build_page
from importai_tui.ui.screens.browse_keys import BROWSE_BINDINGS
from importai_tui.ui.widgets.lists import IssueList, SectionList, section_marks
from importai_tui.ui.widgets.reading import ReadingPane
from importai_tui.ui.widgets.rowlist import RowList
from importai_tui.ui.widgets.status import UpdateStatus

if TYPE_CHECKING:
    from importai_tui.ui.screens.search import SearchChoice

# The dialogs are imported when first opened: start-up time counts (issue 7).


FIRST_ROWS = 100  # issues listed before the first frame: more than a screen holds


class BrowseScreen(Screen[None]):
    """Three panes; on a narrow terminal the issue list hides until it is focused."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    AUTO_FOCUS = "#sections"
    # every open sets both; the header redraws itself on a change, and Screen's own
    # reactives would also redraw the whole screen (16 ms an open at N = 1,000)
    title: Reactive[str | None] = Reactive(None, compute=False, repaint=False)
    sub_title: Reactive[str | None] = Reactive(None, compute=False, repaint=False)
    BINDINGS = BROWSE_BINDINGS

    def __init__(self, start: str | None = None) -> None:
        super().__init__()
        self.start = start
        self.rows: list[IssueRow] = []
        self.issue: Issue | None = None
        self.section = 0
        self.listed: str | None = None  # id of the issue in the section list
        self.terms: tuple[Term, ...] = ()
        self.cache: IssueCache | None = None
        self.read_counts: dict[str, int] = {}

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed background task becomes a notification."""
        report_worker_error(self, event)

    def compose(self) -> ComposeResult:
        """Header, the three panes, footer."""
        yield Header(icon="")
        with Horizontal(id="panes"):
            yield IssueList(id="issues")
            yield SectionList(id="sections")
            yield ReadingPane(id="reading")
        yield UpdateStatus(id="update-status")
        yield Footer(compact=True)

    # -- start-up -----------------------------------------------------------------------
    def on_mount(self) -> None:
        """List the issues (the index only) and open where the reader left off."""
        self._load_index(first=FIRST_ROWS)
        if not self.rows:
            self.title = "Import AI — the library is empty"
            self.sub_title = "add issues with: importai add FILE, or press u to fetch them"
            return
        issue_id, section = self._start_position()
        self.open_section(issue_id, section)

    def reload(self) -> None:
        """Read the issue index again after the library changed: new issues appear."""
        self._load_index()
        self.listed = None
        assert self.cache is not None
        if self.issue is not None and self.cache.get(self.issue.id) is not None:
            self.open_section(self.issue.id, self.section)
        elif self.rows:
            self.open_section(self.rows[0].id, 1)

    def _load_index(self, first: int = -1, *, rest: bool = False) -> None:
        """The issue list: the ``first`` rows, and the rest a frame later (40 ms for 10,000
        rows that the first frame would not show), or all at once."""
        app = reader(self)
        if not rest:  # the second step keeps the issues parsed since the first
            self.cache = IssueCache(app.collection.library)
        self.rows = app.collection.library.rows(limit=first)
        self.read_counts = app.store.read_counts()
        self.query_one(IssueList).show_rows(self.rows, self.read_counts)
        if len(self.rows) == first:
            self.call_after_refresh(partial(self._load_index, rest=True))
        elif self.issue is not None:  # the rest came: highlight the open issue again
            self.query_one(IssueList).highlight_id(self.issue.id)

    def _start_position(self) -> tuple[str, int]:
        assert self.cache is not None
        if self.start is not None:
            issue = self.cache.library.get(self.start)
            if issue is not None:
                return issue.id, 1
            self.notify(f"no issue {self.start!r} in the library", severity="warning", markup=False)
        position = reader(self).store.position()
        if position is not None and self.cache.get(position.issue_id) is not None:
            return position.issue_id, position.section
        return self.rows[0].id, 1

    # -- opening ------------------------------------------------------------------------
    def open_section(self, issue_id: str, section: int, *, first_match: bool = False) -> None:
        """Show one section of an issue and move both lists to it."""
        assert self.cache is not None
        issue = self.cache.get(issue_id)
        if issue is None or not issue.sections:
            self.notify(f"issue {issue_id} has no sections to show", markup=False)
            return
        section = min(max(section, 1), len(issue.sections))
        reader(self).hold_collector()
        self.issue, self.section = issue, section
        newly_read = self._remember(issue, section)
        listed = self._list_sections(issue, refresh=newly_read)  # highlights the section
        # The text and its section list come first; the issue list follows a frame later
        # (opening an issue far down the list scrolls it: 43 lines and a scroll bar redrawn,
        # 6-7 ms, in a frame the reader spends reading the section's first lines).
        self.call_after_refresh(self.query_one(IssueList).highlight_id, issue.id)
        if not listed:
            self.query_one(SectionList).highlight_id(f"s:{section}")
        self.show_page(first_match=first_match)
        self.title = clean_line(issue.title)  # an older library may hold escapes
        self.sub_title = f"section {section} of {len(issue.sections)}"

    def show_page(self, *, first_match: bool = False, keep_place: bool = False) -> None:
        """(Re)draw the current section in the reading pane, with its note."""
        if self.issue is None:
            return
        section = self.issue.sections[self.section - 1]
        # the note is found by issue and headline (anchor_of would also make an excerpt)
        entry = reader(self).store.entry(Anchor(self.issue.id, self.section, section.headline))
        page = build_page(self.issue, section, self.terms, entry.note if entry else None)
        self.query_one(ReadingPane).show(page, first_match=first_match, keep_place=keep_place)

    def _list_sections(self, issue: Issue, *, refresh: bool = False) -> bool:
        """List ``issue``'s sections (unless listed already): whether it listed them."""
        if self.listed == issue.id and not refresh:
            return False
        assert self.cache is not None
        self.listed = issue.id
        marks = section_marks(reader(self).store, issue)
        sections = self.query_one(SectionList)
        sections.show_issue(issue, self.cache.mentions(issue), marks)
        if self.issue is not None and issue.id == self.issue.id:
            sections.highlight_id(f"s:{self.section}")
        return True

    def _remember(self, issue: Issue, section: int) -> bool:
        """Save the position and mark the section read; return whether it was unread."""
        store = reader(self).store
        try:
            # the position is written once the reader stays a second (or on quit)
            position = store.set_position(issue.id, section)
            newly_read = store.mark_read(issue.id, section, issue.sections[section - 1].headline)
        except sqlite3.Error as exc:  # reading goes on; only the read mark is missed
            self.notify(f"could not save the reading position: {exc}", severity="warning")
            return False

        def save_position() -> None:
            try:
                store.save_position(only=position)
            except sqlite3.Error as exc:
                self.notify(f"could not save the reading position: {exc}", severity="warning")

        self.set_timer(1.0, save_position)
        if newly_read:
            self.count_read(issue.id, 1)
        return newly_read

    def count_read(self, issue_id: str, delta: int) -> None:
        """Change the number of sections read of an issue, and its row."""
        self.read_counts[issue_id] = max(self.read_counts.get(issue_id, 0) + delta, 0)
        row = next((r for r in self.rows if r.id == issue_id), None)
        if row is not None:
            self.query_one(IssueList).update_row(row, self.read_counts[issue_id])

    # -- list events --------------------------------------------------------------------
    def on_row_list_highlighted(self, event: RowList.Highlighted) -> None:
        """Browsing the issue list previews its sections; the section list opens them."""
        row_id = event.row.id or ""
        if event.index != event.row_list.highlighted:
            return  # a stale event: the list was refilled or moved on since
        if event.row_list.id == "issues":
            issue = self.cache.get(row_id) if self.cache else None
            if issue is not None:
                self._list_sections(issue)
        elif row_id.startswith("s:") and event.row_list.has_focus and self.listed:
            # moving through the section list reads as you go, like a mail client
            index = int(row_id[2:])
            if (self.listed, index) != (self.issue.id if self.issue else None, self.section):
                self.open_section(self.listed, index)

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        """Enter opens: an issue at its first section, a section, or a mentioning issue."""
        row_id = event.row.id or ""
        if event.row_list.id == "issues":
            self.open_section(row_id, 1)
            self.query_one(SectionList).focus()
        elif row_id.startswith("s:") and self.listed is not None:
            self.open_section(self.listed, int(row_id[2:]))
            self.query_one(ReadingPane).focus()
        elif row_id.startswith("m:"):
            _, section, issue_id = row_id.split(":", 2)
            self.open_section(issue_id, int(section))
            self.query_one(ReadingPane).focus()

    # -- actions ------------------------------------------------------------------------
    def action_pane(self, delta: int) -> None:
        """Focus the next or previous pane (the issue list shows itself when narrow)."""
        panes = [
            self.query_one(IssueList),
            self.query_one(SectionList),
            self.query_one(ReadingPane),
        ]
        focused = self.focused
        current = panes.index(focused) if focused in panes else 1
        target = panes[(current + delta) % len(panes)]
        self.set_class(target is panes[0], "-issues-shown")
        target.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Keep the narrow layout's issue list visible only while it has focus."""
        self.set_class(isinstance(event.widget, IssueList), "-issues-shown")

    def action_section(self, delta: int) -> None:
        """Next or previous section, continuing into the next or previous issue."""
        if self.issue is None or self.cache is None:
            return
        target = step(self.rows, self.cache, self.issue, self.section, delta)
        if target is None:
            self.notify("no more issues that way", timeout=2)
            return
        self.open_section(*target)

    def action_goto(self) -> None:
        """Ask for an issue number and open it."""
        from importai_tui.ui.screens.dialogs import GoToScreen

        self.app.push_screen(GoToScreen(reader(self).collection.library), self._go)

    def _go(self, issue_id: str | None) -> None:
        if issue_id:
            self.open_section(issue_id, 1)

    def action_jump(self) -> None:
        """Fuzzy jump to any section of any issue."""
        from importai_tui.ui.screens.jump import JumpScreen

        self.app.push_screen(JumpScreen(), self._jumped)

    def _jumped(self, choice: tuple[str, int] | None) -> None:
        if choice is not None:
            self.open_section(*choice)
            self.query_one(ReadingPane).focus()

    def action_search(self) -> None:
        """Full-text search of every issue."""
        from importai_tui.ui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(reader(self).last_query), self._searched)

    def _searched(self, choice: SearchChoice | None) -> None:
        if choice is None:
            return
        reader(self).last_query = choice.query
        self.terms = choice.terms
        self.open_section(choice.issue_id, choice.section, first_match=True)
        self.query_one(ReadingPane).focus()

    def action_match(self, delta: int) -> None:
        """Next or previous match of the last search in the reading pane."""
        if not self.terms:
            self.notify("no search yet: press s to search", timeout=2)
        elif not self.query_one(ReadingPane).step_match(delta):
            self.notify("no match of the last search in this section", timeout=2)

    def action_links(self) -> None:
        """List this section's links; open the chosen one."""
        page = self.query_one(ReadingPane).page
        if page is None or not page.targets:
            self.notify("this section has no links", timeout=2)
            return
        known = {r.number for r in self.rows if r.number is not None}
        from importai_tui.ui.screens.dialogs import LinksScreen

        self.app.push_screen(LinksScreen(page.targets, known), self._follow)

    def on_reading_pane_follow(self, event: ReadingPane.Follow) -> None:
        """A link in the reading pane was clicked."""
        self._follow(event.target)

    def _follow(self, target: Target | None) -> None:
        if target is None or self.cache is None:
            return
        if target.number is not None:
            row = next((r for r in self.rows if r.number == target.number), None)
            if row is not None:
                self.open_section(row.id, 1)
                return
            if not target.url:
                self.notify(f"Import AI {target.number} is not in the library", markup=False)
                return
        url = openable(target.url)  # the address checked is the one opened
        if url is not None:
            self.app.open_url(url)
            self.notify(f"opening {url}", timeout=3, markup=False)
        else:
            self.notify(refusal(target.url or ""), severity="warning", markup=False)

    # -- command palette ----------------------------------------------------------------
    def palette_commands(self) -> Iterator[SystemCommand]:
        """The screen's actions, for the command palette."""
        yield SystemCommand("Go to issue…", "Open an issue by number", self.action_goto)
        yield SystemCommand("Jump to section…", "Fuzzy jump to any story", self.action_jump)
        yield SystemCommand("Full-text search…", "Search every issue", self.action_search)
        yield SystemCommand("Next section", "Next story", partial(self.action_section, 1))
        yield SystemCommand("Previous section", "Previous story", partial(self.action_section, -1))
        yield SystemCommand("Links…", "Links of this section", self.action_links)
        yield SystemCommand("Next match", "Next search match", partial(self.action_match, 1))

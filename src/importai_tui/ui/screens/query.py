"""A dialog that answers a query as you type: an input, a status line, ranked results.

The answering runs in a thread worker, unless the subclass answers at once; a result
arriving for a query the box no longer holds is dropped, and Enter on a query whose results
lag behind answers it on the spot. The box takes no control character or escape sequence,
even pasted (:class:`CleanInput`), so neither the box nor the status line echoing the
query can draw one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Generic, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label
from textual.worker import Worker, get_current_worker

from importai_tui.ui.errors import report_worker_error
from importai_tui.ui.widgets.clean_input import CleanInput, type_into
from importai_tui.ui.widgets.rowlist import Row, RowList

ItemT = TypeVar("ItemT")
AnswerT = TypeVar("AnswerT")


def never() -> bool:
    """A query nobody cancels."""
    return False


class QueryScreen(ModalScreen[AnswerT | None], Generic[ItemT, AnswerT]):
    """Subclasses say how to find items, show them, and what choosing one answers."""

    PLACEHOLDER = ""
    ROW_HEIGHT = 1  # lines a result takes
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="query.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="query.down"),
        Binding("up", "move(-1)", "Up", show=False, id="query.up"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__(classes="dialog")
        self.initial = query
        self.items: list[ItemT] = []
        self.shown_query: str | None = None

    # -- what subclasses provide ----------------------------------------------------------
    def find(self, query: str, cancelled: Callable[[], bool] = never) -> list[ItemT]:
        """The items answering ``query``, best first (called from a worker thread, which
        a newer query cancels: a long ``find`` may look at ``cancelled()`` and give up)."""
        raise NotImplementedError

    def prompt(self, item: ItemT) -> Text:
        """How one item is shown."""
        raise NotImplementedError

    def status(self, query: str, items: list[ItemT]) -> str:
        """The line above the results."""
        raise NotImplementedError

    def answer(self, item: ItemT, query: str) -> AnswerT:
        """What the dialog answers when ``item`` is chosen."""
        raise NotImplementedError

    def find_now(self, query: str) -> list[ItemT]:
        """``find`` for Enter on the UI thread: it must not wait (override when find may)."""
        return self.find(query)

    def answers_at_once(self) -> bool:
        """Whether ``find_now`` is quick enough to answer each keystroke on the UI thread,
        sparing the hand-off to a thread and back (override when it is)."""
        return False

    # -- the dialog -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """The query box, a status line and the results."""
        with Vertical(classes="box wide tall"):
            yield CleanInput(self.initial, placeholder=self.PLACEHOLDER, id="query")
            yield Label("", id="status", markup=False)
            yield RowList(id="results", row_height=self.ROW_HEIGHT)

    def on_mount(self) -> None:
        """Answer the query the dialog opened with, if any, then every change of the box."""
        if value := self.query_one("#query", Input).value:  # the initial one and type_ahead's
            self.run_query(value)
        # Watched rather than told by Input.Changed: the watcher runs inside the key's own
        # handler, so the results go out in the frame that draws the typed letter, where the
        # message reached the dialog two queues later, often after a frame of its own.
        self.watch(self.query_one("#query", Input), "value", self.query_changed, init=False)

    def type_ahead(self, text: str) -> None:
        """Type ``text`` into the box (see :func:`type_into`)."""
        if not type_into(self, "#query", text):
            self.initial += text

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed background task becomes a notification."""
        report_worker_error(self, event)

    def query_changed(self, value: str) -> None:
        """Answer again on every keystroke."""
        if self.answers_at_once():
            self.show(value, self.find_now(value))
        else:
            self.run_query(value)

    @work(thread=True, exclusive=True, exit_on_error=False, name="search")
    def run_query(self, query: str) -> None:
        """Find in a thread; drop the answer if a newer query came meanwhile (which
        cancels this one: whatever a cancelled find raises is dropped too)."""
        worker = get_current_worker()
        try:
            items = self.find(query, lambda: worker.is_cancelled)
        except Exception:
            if worker.is_cancelled:
                return
            raise
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show, query, items)

    def show(self, query: str, items: list[ItemT]) -> None:
        """Show results, unless the box has moved on to another query since."""
        if query != self.query_one("#query", Input).value:
            return
        self.items, self.shown_query = items, query
        results = self.query_one("#results", RowList)
        results.set_rows(Row(partial(self.prompt, item)) for item in items)  # drawn lazily
        if items:
            results.highlighted = 0
        self.query_one("#status", Label).update(self.status(query, items) if query.strip() else "")

    def action_move(self, delta: int) -> None:
        """Move the highlight in the results while typing."""
        results = self.query_one("#results", RowList)
        if results.row_count:
            current = results.highlighted if results.highlighted is not None else -delta
            results.highlighted = (current + delta) % results.row_count

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter opens the highlighted result (answering now if the results lag behind)."""
        if event.value != self.shown_query:
            self.show(event.value, self.find_now(event.value))
        self._choose(self.query_one("#results", RowList).highlighted)

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        """A click or Enter on a result opens it."""
        self._choose(event.index)

    def _choose(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.items):
            self.dismiss(self.answer(self.items[index], self.shown_query or ""))

"""The help screen: every key of the reader, read from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from importai_tui.ui.widgets.lists import PaneList
from importai_tui.ui.widgets.reading import ReadingPane

EXTRA = [
    ("Enter", "Open the highlighted issue, section or result"),
    ("ctrl+p", "Command palette: every action, go to issue…, jump to section…"),
    ("Esc", "Close a dialog and return to where you were"),
    ("mouse", "Click rows to open them, links to follow them; the wheel scrolls"),
]


KEY_NAMES = {
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "slash": "/",
    "question_mark": "?",
    "escape": "Esc",
}


def key_name(binding: Binding) -> str:
    """How a binding's keys are shown: every key, in the form printed on the keyboard."""
    keys = [k.strip() for k in binding.key.split(",")]
    return " / ".join(KEY_NAMES.get(k, k) for k in keys)


def keys_table(groups: list[tuple[str, list[BindingType]]]) -> Table:
    """A table of keys and what they do, one titled group after another."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for title, bindings in groups:
        table.add_row(Text(title, style="bold underline"), Text(""))
        for b in bindings:
            if isinstance(b, Binding):
                table.add_row(Text(key_name(b)), Text(b.tooltip or b.description))
        table.add_row(Text(""), Text(""))
    table.add_row(Text("More", style="bold underline"), Text(""))
    for key, what in EXTRA:
        table.add_row(Text(key), Text(what))
    return table


def own_bindings(cls: type) -> list[BindingType]:
    """The bindings this program declares on a screen class and its bases, base first."""
    found: list[BindingType] = []
    for base in reversed(cls.__mro__):
        if base.__module__.startswith("importai_tui"):
            found.extend(base.__dict__.get("BINDINGS", []))
    return found


class HelpScreen(ModalScreen[None]):
    """Keys of the screen the help was asked from, then the lists, the pane and the app."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss(None)", "Close", id="help.close"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__(classes="dialog")
        self.under = under

    def compose(self) -> ComposeResult:
        """The keys table in a scrollable box."""
        groups: list[tuple[str, list[BindingType]]] = [
            ("Reader", own_bindings(type(self.under))),
            ("In the lists", list(PaneList.BINDINGS)),
            ("In the reading pane", list(ReadingPane.BINDINGS)),
            ("Anywhere", list(type(self.app).BINDINGS)),
        ]
        with VerticalScroll(classes="box wide tall", id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(keys_table(groups), id="help-keys")

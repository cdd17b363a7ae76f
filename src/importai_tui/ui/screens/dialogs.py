"""Small modal dialogs: go to an issue by number, choose one of a section's links.

Link texts and addresses are cleaned again here (a library built by an older version may
hold escapes in them); links that will not open are shown, marked as refused.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from importai_tui.core.library import Library
from importai_tui.core.links import openable, scheme, shown_url
from importai_tui.core.sanitize import clean_line
from importai_tui.ui.page import Target
from importai_tui.ui.widgets.clean_input import CleanInput, type_into


class GoToScreen(ModalScreen[str | None]):
    """Ask for an issue number; answer with the issue's id."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="goto.cancel")]

    def __init__(self, library: Library | None) -> None:
        super().__init__(classes="dialog")
        self.library = library
        self.typed = ""  # keys typed ahead of the box (see type_ahead)

    def compose(self) -> ComposeResult:
        """A prompt, an input and a line for errors."""
        with Vertical(classes="box"):
            yield Label("Go to issue (number or id):")
            yield CleanInput(self.typed, placeholder="e.g. 390", id="goto-input")
            yield Label("", id="goto-error", markup=False)

    def type_ahead(self, text: str) -> None:
        """Type ``text`` into the box (see :func:`type_into`)."""
        if not type_into(self, "#goto-input", text):
            self.typed += text

    def on_input_submitted(self, event: CleanInput.Submitted) -> None:
        """Open the issue, or say why not."""
        key = event.value.strip()
        issue = self.library.get(key) if self.library is not None and key else None
        if issue is None:
            self.query_one("#goto-error", Label).update(
                Text(f"no issue {key!r} in the library", style="red")
            )
            return
        self.dismiss(issue.id)


class LinksScreen(ModalScreen[Target | None]):
    """The links of the section; Enter opens the chosen one."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Cancel", id="links.cancel")]

    def __init__(self, targets: list[Target], known: set[int]) -> None:
        super().__init__(classes="dialog")
        self.targets = targets
        self.known = known

    def compose(self) -> ComposeResult:
        """One row per link: its text, then where it leads."""
        options = []
        for i, target in enumerate(self.targets):
            text = Text(no_wrap=True, overflow="ellipsis")
            label = clean_line(target.label)
            text.append(label, style="bold")
            if target.number is not None:
                shown = f"Import AI {target.number}"
                where = "opens here" if target.number in self.known else "not in the library"
                if label != shown:
                    where = f"{shown}, {where}"
                text.append(f"  → {where}", style="magenta")
            if target.url:
                if target.number not in self.known and openable(target.url) is None:
                    kind = f"{scheme(target.url)}: link" if scheme(target.url) else "no scheme"
                    text.append(f"  ✗ will not open ({kind})", style="red")
                text.append(f"  {shown_url(target.url)}", style="dim")
            options.append(Option(text, id=str(i)))
        with Vertical(classes="box wide"):
            yield Label(f"Links in this section ({len(self.targets)}):")
            yield OptionList(*options, id="links-list", markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Answer with the chosen target."""
        self.dismiss(self.targets[int(event.option.id or 0)])

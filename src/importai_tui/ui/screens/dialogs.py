"""Small modal dialogs: go to an issue by number, choose one of a section's links."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from importai_tui.core.library import Library
from importai_tui.ui.page import Target


class GoToScreen(ModalScreen[str | None]):
    """Ask for an issue number; answer with the issue's id."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="goto.cancel")]

    def __init__(self, library: Library | None) -> None:
        super().__init__(classes="dialog")
        self.library = library

    def compose(self) -> ComposeResult:
        """A prompt, an input and a line for errors."""
        with Vertical(classes="box"):
            yield Label("Go to issue (number or id):")
            yield Input(placeholder="e.g. 390", id="goto-input")
            yield Label("", id="goto-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
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
            text.append(target.label, style="bold")
            if target.number is not None:
                shown = f"Import AI {target.number}"
                where = "opens here" if target.number in self.known else "not in the library"
                if target.label != shown:
                    where = f"{shown}, {where}"
                text.append(f"  → {where}", style="magenta")
            if target.url:
                text.append(f"  {target.url}", style="dim")
            options.append(Option(text, id=str(i)))
        with Vertical(classes="box wide"):
            yield Label(f"Links in this section ({len(self.targets)}):")
            yield OptionList(*options, id="links-list", markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Answer with the chosen target."""
        self.dismiss(self.targets[int(event.option.id or 0)])

"""One row of a row list, and fitting a drawn line to the list's width."""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._context import active_app
from textual.strip import Strip


class Row:
    """One row: what it shows, an id to find it by, and whether it can be chosen.

    The prompt may be given as a function that makes it: it is called when the row is
    first drawn, so a list of thousands of rows only builds the prompts it shows.
    """

    __slots__ = ("_make", "_prompt", "disabled", "id")

    def __init__(
        self, prompt: Text | Callable[[], Text], id: str | None = None, disabled: bool = False
    ) -> None:
        self._prompt = prompt if isinstance(prompt, Text) else None
        self._make = None if isinstance(prompt, Text) else prompt
        self.id = id
        self.disabled = disabled

    @property
    def prompt(self) -> Text:
        """What the row shows."""
        if self._prompt is None:
            assert self._make is not None
            self._prompt, self._make = self._make(), None
        return self._prompt

    def __repr__(self) -> str:
        return f"Row(id={self.id!r}, disabled={self.disabled})"


def fit(strip: Strip, width: int) -> Strip:
    """``strip`` padded to ``width`` cells, or cut to it with an ellipsis in the last cell."""
    if strip.cell_length <= width:
        return strip.extend_cell_length(width)
    if width <= 0:
        return Strip.blank(0)
    kept = list(strip.crop(0, width - 1))
    return Strip([*kept, Segment("…", kept[-1].style if kept else None)]).extend_cell_length(width)


def draw_row(prompt: Text, width: int, style: Style, height: int) -> list[Strip]:
    """The ``height`` lines of a row, cut or padded to ``width``."""
    if not prompt.plain:
        lines = []
    elif "\n" in prompt.plain:
        lines = prompt.split("\n", allow_blank=True)[:height]
    else:
        lines = [prompt]
    console = active_app.get().console
    strips = [fit(Strip(text.render(console)), width) for text in lines]
    strips += [Strip.blank(width)] * (height - len(strips))
    return [strip.apply_style(style) for strip in strips]

"""The keys of the browsing screen (moving between panes, sections and issues; jump,
search, links), kept apart from the screen that acts on them."""

from __future__ import annotations

from textual.binding import Binding, BindingType

BROWSE_BINDINGS: list[BindingType] = [
    Binding(
        "tab",
        "pane(1)",
        "Next pane",
        show=False,
        id="main.next_pane",
        tooltip="Focus the next pane: issues, sections, text",
    ),
    Binding(
        "shift+tab",
        "pane(-1)",
        "Previous pane",
        show=False,
        id="main.prev_pane",
        tooltip="Focus the previous pane",
    ),
    Binding(
        "right_square_bracket",
        "section(1)",
        "Next",
        key_display="]",
        id="main.next",
        tooltip="Next section, on into the next issue of the list",
    ),
    Binding(
        "left_square_bracket",
        "section(-1)",
        "Prev",
        key_display="[",
        id="main.prev",
        tooltip="Previous section, back into the previous issue",
    ),
    Binding("g", "goto", "Go to issue", id="main.goto", tooltip="Go to an issue by its number"),
    Binding(
        "slash",
        "jump",
        "Jump",
        key_display="/",
        id="main.jump",
        tooltip="Fuzzy jump to any story of any issue by its headline",
    ),
    Binding("s", "search", "Search", id="main.search", tooltip="Full-text search of every issue"),
    Binding(
        "n",
        "match(1)",
        "Next match",
        show=False,
        id="main.next_match",
        tooltip="Next match of the last search in the text",
    ),
    Binding(
        "N",
        "match(-1)",
        "Previous match",
        show=False,
        id="main.prev_match",
        tooltip="Previous match of the last search in the text",
    ),
    Binding(
        "o",
        "links",
        "Links",
        id="main.links",
        tooltip="List this section's links; Enter opens one (issues open here)",
    ),
]

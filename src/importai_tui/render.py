"""Issue text as rich ``Text`` objects: styles come from the model, never from markup.

Text is cleaned of escapes and controls here too, not only when parsed: a library built by
an older version may hold them. A link becomes a hyperlink only if it may open
(:func:`importai_tui.core.links.openable`), and then with the sanitized address.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.style import Style
from rich.text import Text

from importai_tui.core.links import openable
from importai_tui.core.model import Block, Issue, Section, same_list
from importai_tui.core.sanitize import clean, clean_line
from importai_tui.core.search import HIGHLIGHT_END, HIGHLIGHT_START


def block_text(block: Block) -> Text:
    """One block as styled text; list items get a bullet indented by depth."""
    text = Text()
    if block.kind == "rule":
        text.append("***", style="dim")
        return text
    if block.kind == "list_item":
        text.append("  " * block.depth + "• ", style="dim")
    for run in block.inlines:
        style = Style(bold=run.bold or None, italic=run.italic or None)
        if run.href:
            style += Style(underline=True, color="cyan", link=openable(run.href))
        text.append(clean(run.text), style=style)
    return text


def section_renderable(section: Section, *, width_rule: bool = True) -> RenderableType:
    """A section: headline, subtitle, then its body."""
    parts: list[RenderableType] = []
    mark = "Tech Tales · " if section.kind == "tech_tale" else ""
    head = Text()
    head.append(f"{section.index}. {mark}", style="dim")
    head.append(clean_line(section.headline), style="bold")
    parts.append(head)
    if section.subtitle:
        parts.append(Text(f"…{clean_line(section.subtitle)}…", style="italic dim"))
    body = Text()
    for i, block in enumerate(section.blocks):
        if i:
            joined = block.joined or same_list(section.blocks[i - 1], block)
            body.append("\n" if joined else "\n\n")
        body.append_text(block_text(block))
    parts.append(Text())
    parts.append(body)
    parts.append(Text())
    return Group(*parts)


def issue_renderable(issue: Issue, only: int | None = None) -> RenderableType:
    """A whole issue, or one of its sections."""
    parts: list[RenderableType] = [Text(clean_line(issue.title), style="bold magenta")]
    url = clean_line(issue.url) if issue.url else None
    facts = [f for f in (issue.date.isoformat() if issue.date else None, url) if f]
    if facts:
        parts.append(Text(" · ".join(facts), style="dim"))
    for section in issue.sections:
        if only is None or section.index == only:
            parts.append(Rule(style="dim"))
            parts.append(section_renderable(section))
    return Group(*parts)


def highlighted(snippet: str, style: str = "bold yellow") -> Text:
    """A search snippet with its matched terms styled."""
    text = Text()
    on = False
    # the markers are control characters themselves: split on them, then clean each piece
    for piece in snippet.replace(HIGHLIGHT_END, HIGHLIGHT_START).split(HIGHLIGHT_START):
        text.append(clean(piece), style=style if on else "")
        on = not on
    return text

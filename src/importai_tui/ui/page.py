"""One section laid out for the reading pane: styled text, its link targets, its matches.

Styles come from the model, never from markup; every link (and every mention of another
issue) carries a click action naming only an index into ``Page.targets``, so no text from
the newsletter ever reaches the action parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Span, Text

from importai_tui.core.mentions import REFERENCE_PATTERNS, URL_NUMBER
from importai_tui.core.model import Block, Inline, Issue, Section, same_list
from importai_tui.core.sanitize import clean, clean_line
from importai_tui.core.terms import Term

LINK_STYLE = Style(underline=True, color="cyan")
REF_STYLE = Style(underline=True, color="magenta")
MATCH_STYLE = Style(bgcolor="#ffd75f", color="black")
CURRENT_MATCH_STYLE = Style(bgcolor="#ff5f00", color="black", bold=True, underline=True)
# a short phrase and a colon opening a paragraph, with no sentence ending inside it
LEAD_IN = re.compile(r"^([^.!?:\n“\"]{3,90}:)\s")


@dataclass(frozen=True)
class Target:
    """Somewhere a link leads: an issue of the library (by number) or a web address."""

    label: str
    url: str | None = None
    number: int | None = None


@dataclass
class Page:
    """A section's text with its link targets and the spans matching the search terms."""

    text: Text
    targets: list[Target] = field(default_factory=list)
    matches: list[tuple[int, int]] = field(default_factory=list)


class CleanText:
    """Builds a rich ``Text`` from parts already cleaned (:func:`clean` takes out every
    control code rich would): ``Text.append`` strips them again, part by part, which
    costs half of laying out a long section (0.5 ms for 6,000 characters of text with
    typographic quotes, which take ``str.translate``'s slow path)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._spans: list[Span] = []
        self._length = 0

    def append(self, text: str, style: Style | str | None = None) -> None:
        """As ``Text.append(text, style)`` for a clean ``text``."""
        if text:
            if style:
                self._spans.append(Span(self._length, self._length + len(text), style))
            self._parts.append(text)
            self._length += len(text)

    def text(self) -> Text:
        """The rich ``Text`` that appending the same parts to ``Text()`` makes."""
        built = Text()
        built._text = ["".join(self._parts)]
        built._spans = list(self._spans)
        built._length = self._length
        return built


def build_page(
    issue: Issue, section: Section, terms: Sequence[Term] = (), note: str | None = None
) -> Page:
    """Lay out ``section`` of ``issue`` with the reader's ``note`` under its headline;
    highlight ``terms`` in all of it."""
    page = Page(Text())
    text = CleanText()
    if section.kind == "tech_tale":
        text.append("Tech Tales\n", style="bold magenta")
    # cleaned again: a library built by an older version may hold escapes
    text.append(clean_line(section.headline), style="bold")
    if section.subtitle:
        text.append("\n")
        text.append(f"…{clean_line(section.subtitle)}…", style="italic dim")
    text.append("\n\n")
    if note:
        text.append("✎ Your note\n", style="bold green")
        text.append(clean(note).strip(), style="green")
        text.append("\n\n")
    for i, block in enumerate(section.blocks):
        if i:
            joined = block.joined or same_list(section.blocks[i - 1], block)
            text.append("\n" if joined else "\n\n")
        _append_block(page, text, block)
    page.text = text.text()
    if terms:
        page.matches = find_matches(page.text.plain, terms)
        for start, end in page.matches:
            page.text.stylize(MATCH_STYLE, start, end)
    return page


def _append_block(page: Page, text: CleanText, block: Block) -> None:
    if block.kind == "rule":
        text.append("* * *", style="dim")
        return
    if block.kind == "list_item":
        text.append("  " * (block.depth - 1) + "• ", style="dim")
    inlines = list(block.inlines)
    if block.kind == "paragraph" and inlines and not any(r.bold for r in inlines):
        inlines = _bold_lead_in(inlines)
    for run in inlines:
        style = Style(bold=run.bold or None, italic=run.italic or None)
        if run.href:
            m = URL_NUMBER.search(run.href)
            number = int(m.group(1)) if m and _is_issue_url(run.href) else None
            label = clean_line(run.text) or clean_line(run.href)
            index = _add_target(page, Target(label, run.href, number))
            style += (REF_STYLE if number is not None else LINK_STYLE) + _click(index)
            text.append(clean(run.text), style=style)
        else:
            _append_with_references(page, text, run.text, style)


def _bold_lead_in(inlines: list[Inline]) -> list[Inline]:
    """Plain-text sources lose the bold of lead-ins ("Why this matters: …"); restore it."""
    first = inlines[0]
    m = LEAD_IN.match(first.text)
    if first.href or m is None or len(m.group(1).split()) > 10:
        return inlines
    lead = first._replace(text=m.group(1), bold=True)
    return [lead, first._replace(text=first.text[m.end(1) :]), *inlines[1:]]


def _append_with_references(page: Page, text: CleanText, chunk: str, style: Style) -> None:
    """Plain text in which mentions of other issues become links."""
    chunk = clean(chunk)
    spans: list[tuple[int, int, int]] = []
    for pattern in REFERENCE_PATTERNS[:2]:  # the URL patterns only occur inside hrefs
        for m in pattern.finditer(chunk):
            if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), int(m.group(1))))
    pos = 0
    for start, end, number in sorted(spans):
        text.append(chunk[pos:start], style=style)
        index = _add_target(page, Target(chunk[start:end].strip("() "), None, number))
        text.append(chunk[start:end], style=style + REF_STYLE + _click(index))
        pos = end
    text.append(chunk[pos:], style=style)


def _is_issue_url(url: str) -> bool:
    return any(p.search(url) for p in REFERENCE_PATTERNS[2:])


def _add_target(page: Page, target: Target) -> int:
    page.targets.append(target)
    return len(page.targets) - 1


def _click(index: int) -> Style:
    return Style.from_meta({"@click": f"follow({index})"})


def find_matches(plain: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    """Spans of whole words equal to a term (or starting with it, for a prefix)."""
    if not terms:
        return []
    alternatives = [re.escape(t.word) + (r"\w*" if t.prefix else r"\b") for t in terms]
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(plain)]

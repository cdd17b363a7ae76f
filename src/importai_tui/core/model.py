"""The neutral document model every reader produces and the issue model the splitter builds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

BlockKind = Literal["paragraph", "list_item", "rule"]
SectionKind = Literal["story", "tech_tale"]


# Inline and Block are named tuples, not frozen dataclasses: a parse makes one of each for
# every line of an issue (about 100 an issue, and as many runs), and a frozen dataclass sets
# each field through object.__setattr__: 10x slower to make (a tenth of parsing an issue).
class Inline(NamedTuple):
    """A run of text with one set of styles; ``href`` makes it a link."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


class Block(NamedTuple):
    """One line of a document: a paragraph line, a list item, or a horizontal rule.

    ``joined`` means the line follows the previous one after a plain line break
    (same paragraph) rather than starting a new paragraph. ``depth`` is the list
    nesting level, 1 for a top-level item, 0 for paragraphs.
    """

    kind: BlockKind
    inlines: tuple[Inline, ...] = ()
    depth: int = 0
    joined: bool = False

    @property
    def text(self) -> str:
        """The block's plain text."""
        if len(self.inlines) == 1:  # most lines: no join to build
            return self.inlines[0].text
        return "".join([run.text for run in self.inlines])


@dataclass(frozen=True, slots=True)
class Meta:
    """What a source says about an issue outside its body (feed item, front matter, page head)."""

    title: str | None = None
    date: dt.date | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A reader's output: neutral blocks plus metadata; one document may hold many issues."""

    blocks: tuple[Block, ...]
    meta: Meta = field(default_factory=Meta)
    format: str = "text"
    formatted: bool = False  # whether bold/italic were available to the reader


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in a section body."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Reference:
    """A mention of another issue, by number, and the section it occurs in (1-based)."""

    number: int
    section: int


@dataclass(frozen=True, slots=True)
class Section:
    """One story or the Tech Tales story of an issue."""

    index: int
    kind: SectionKind
    headline: str
    subtitle: str | None
    blocks: tuple[Block, ...]
    links: tuple[Link, ...] = ()

    @property
    def text(self) -> str:
        """The body as plain text: paragraphs separated by blank lines, list items bulleted."""
        return blocks_to_text(self.blocks)


@dataclass(frozen=True, slots=True)
class Issue:
    """A parsed issue of the newsletter."""

    id: str
    number: int | None
    title: str
    date: dt.date | None
    url: str | None
    sections: tuple[Section, ...]
    references: tuple[Reference, ...] = ()
    format: str = "text"

    @property
    def referenced_numbers(self) -> list[int]:
        """The distinct issue numbers this issue mentions, ascending."""
        return sorted({ref.number for ref in self.references})


def blocks_to_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    """Render blocks as plain text, keeping paragraph breaks and list nesting."""
    out: list[str] = []
    in_list = False  # whether the previous block is a list item (see same_list)
    for kind, inlines, depth, joined in blocks:  # (unpacked: every section's text runs it)
        text = inlines[0].text if len(inlines) == 1 else "".join([run.text for run in inlines])
        item = kind == "list_item"
        if kind == "rule":
            line = "***"
        elif item:
            line = "  " * (depth - 1) + "• " + text
        else:
            line = text
        if out and not (joined or (in_list and item)):
            out.append("")
        out.append(line)
        in_list = item
    return "\n".join(out)


def same_list(prev: Block | None, block: Block) -> bool:
    """Whether ``block`` continues a list that ``prev`` is part of (no blank line between)."""
    return prev is not None and prev.kind == block.kind == "list_item"

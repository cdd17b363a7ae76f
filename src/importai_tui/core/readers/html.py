"""HTML reader: turns an HTML fragment or page into neutral blocks (one per line)."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser
from selectolax.lexbor import LexborNode as Node

from importai_tui.core.model import Block, BlockKind, Document, Inline, Meta
from importai_tui.core.readers.nesting import cap_nesting
from importai_tui.core.sanitize import clean, clean_url

SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "head",
        "title",
        "noscript",
        "svg",
        "template",
        "iframe",
        "button",
        "form",
        "select",
        "textarea",
        "object",
        "video",
        "audio",
        "canvas",
    ]
)
VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "blockquote",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "pre",
        "dl",
        "dt",
        "dd",
        "address",
        "details",
        "summary",
        "center",
    ]
)
HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
BOLD_TAGS = frozenset(("b", "strong"))
ITALIC_TAGS = frozenset(("i", "em", "cite"))
LIST_TAGS = frozenset(("ul", "ol"))
# Deeper items show at this depth: every level indents each line of the text, so 10,000
# nested lists made 100 MB of text out of 190 kB.
MAX_LIST_DEPTH = 16


class _LineBuilder:
    """Turns element enter/leave and text events into lines of styled runs."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._runs: list[Inline] = []
        self._bold = 0
        self._italic = 0
        self._hrefs: list[str | None] = []
        self._lists = 0
        self._li_depth: list[int] = []
        self._joined = False

    def start(self, tag: str, attrs: dict[str, str | None]) -> None:
        """An element opens."""
        if tag == "br":
            self._end_line(joined_next=True)
        elif tag == "hr":
            self._end_line(joined_next=False)
            self.blocks.append(Block("rule"))
        elif tag in LIST_TAGS:
            self._end_line(joined_next=False)
            self._lists += 1
        elif tag == "li":
            self._end_line(joined_next=False)
            self._li_depth.append(min(max(self._lists, 1), MAX_LIST_DEPTH))
        elif tag in BLOCK_TAGS or tag in HEADING_TAGS:
            if not (self._li_depth and tag == "p"):
                self._end_line(joined_next=False)
            if tag in HEADING_TAGS:
                self._bold += 1
        elif tag in BOLD_TAGS:
            self._bold += 1
        elif tag in ITALIC_TAGS:
            self._italic += 1
        elif tag == "a":
            # the target reaches the terminal (an OSC 8 hyperlink) and the browser
            self._hrefs.append(clean_url(attrs.get("href")))

    def end(self, tag: str) -> None:
        """An element closes."""
        if tag in LIST_TAGS:
            self._end_line(joined_next=False)
            self._lists = max(self._lists - 1, 0)
        elif tag == "li":
            self._end_line(joined_next=False)
            if self._li_depth:
                self._li_depth.pop()
        elif tag in BLOCK_TAGS or tag in HEADING_TAGS:
            if not (self._li_depth and tag == "p"):
                self._end_line(joined_next=False)
            if tag in HEADING_TAGS:
                self._bold = max(self._bold - 1, 0)
        elif tag in BOLD_TAGS:
            self._bold = max(self._bold - 1, 0)
        elif tag in ITALIC_TAGS:
            self._italic = max(self._italic - 1, 0)
        elif tag == "a" and self._hrefs:
            self._hrefs.pop()

    def data(self, data: str) -> None:
        """Text inside the current element."""
        text = " ".join(clean(data).split())
        if data[:1].isspace():
            text = " " + text
        if data[-1:].isspace() and text.strip():
            text += " "
        if not text:
            return
        href = next((h for h in reversed(self._hrefs) if h), None)
        self._runs.append(Inline(text, self._bold > 0, self._italic > 0, href))

    def _end_line(self, *, joined_next: bool) -> None:
        runs = _tidy_runs(self._runs)
        self._runs = []
        if not runs:
            # An empty line (two <br> in a row) ends the paragraph.
            self._joined = False
            return
        kind: BlockKind = "list_item" if self._li_depth else "paragraph"
        depth = self._li_depth[-1] if self._li_depth else 0
        self.blocks.append(Block(kind, tuple(runs), depth, self._joined and kind == "paragraph"))
        self._joined = joined_next

    def finish(self) -> tuple[Block, ...]:
        """Flush the last line and return every block."""
        self._end_line(joined_next=False)
        return tuple(self.blocks)


def walk(node: Node | None, builder: _LineBuilder) -> None:
    """Feed a subtree to ``builder`` depth first, without recursion (nesting can be deep)."""
    stack: list[tuple[Node, bool]] = []
    while node is not None or stack:
        if node is None:
            done, _ = stack.pop()
            builder.end(done.tag or "")
            node = done.next
            continue
        tag = node.tag or ""
        if tag == "-text":
            builder.data(node.text_content or "")
        elif tag.startswith("-") or tag in SKIP_TAGS:
            pass
        else:
            builder.start(tag, dict(node.attributes))
            if tag not in VOID_TAGS:
                stack.append((node, True))
                node = node.child
                continue
        node = node.next


def _tidy_runs(runs: list[Inline]) -> list[Inline]:
    """Merge runs of equal style, fold doubled spaces across run edges, trim the line."""
    # Pieces of a style are joined once at the end: adding each to the run so far copies
    # the run again every time (a line of 16,000 <b> took seconds).
    merged: list[tuple[tuple[bool, bool, str | None], list[str]]] = []
    ends_in_space = True  # at the start of the line, as after a space
    for run in runs:
        text = run.text
        if ends_in_space and text.startswith(" "):
            text = text.lstrip(" ")
        if not text:
            continue
        style = (run.bold, run.italic, run.href)
        if merged and merged[-1][0] == style:
            merged[-1][1].append(text)
        else:
            merged.append((style, [text]))
        ends_in_space = text.endswith(" ")
    out = [Inline("".join(parts), *style) for style, parts in merged]
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        last = out[-1]
        out[-1] = Inline(last.text.rstrip(), last.bold, last.italic, last.href)
    return out


class TruncatedError(ValueError):
    """The input ends in the middle of its markup."""


_OPEN_P = re.compile(r"<p[\s>]", re.I)
_CLOSE_P = re.compile(r"</p\s*>", re.I)


def looks_truncated(html: str) -> bool:
    """True when HTML ends mid-tag, or leaves paragraphs open where it closes them elsewhere."""
    tail = html.rstrip()
    if tail.rfind("<") > tail.rfind(">"):
        return True
    closes = len(_CLOSE_P.findall(html))
    return closes > 0 and len(_OPEN_P.findall(html)) > closes


def html_to_blocks(html: str, *, strict: bool = True) -> tuple[Block, ...]:
    """Parse HTML into blocks; with ``strict``, raise TruncatedError on cut-off input."""
    if strict and looks_truncated(html):
        raise TruncatedError("the HTML ends in the middle of its markup (truncated?)")
    tree = LexborHTMLParser(cap_nesting(html))
    return node_to_blocks(tree.body)


def node_to_blocks(node: Node | None) -> tuple[Block, ...]:
    """Blocks of one element's content."""
    builder = _LineBuilder()
    if node is not None:
        walk(node.child, builder)
    return builder.finish()


def read_html(html: str, meta: Meta | None = None) -> list[Document]:
    """Read an HTML post body (as a feed's content:encoded carries it)."""
    blocks = html_to_blocks(html)
    return [Document(blocks, meta or Meta(), format="html", formatted=True)]

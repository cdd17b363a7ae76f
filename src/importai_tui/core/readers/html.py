"""HTML reader: turns an HTML fragment or page into neutral blocks (one per line)."""

from __future__ import annotations

from html.parser import HTMLParser

from importai_tui.core.model import Block, BlockKind, Document, Inline, Meta
from importai_tui.core.sanitize import clean

SKIP_TAGS = frozenset(
    "script style head title noscript svg template iframe button form select textarea "
    "object video audio canvas".split()
)
VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
BLOCK_TAGS = frozenset(
    "p div section article blockquote header footer main aside nav figure figcaption "
    "table thead tbody tr td th pre dl dt dd address details summary center".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
BOLD_TAGS = frozenset(("b", "strong"))
ITALIC_TAGS = frozenset(("i", "em", "cite"))
LIST_TAGS = frozenset(("ul", "ol"))
# Tags whose being left open at the end of input means the input was cut off.
_MUST_CLOSE = frozenset(("p", "ul", "ol", "li", "strong", "em", "a", "b", "i", "html", "body"))


class _BlockBuilder(HTMLParser):
    """Streams HTML events into lines of styled runs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._runs: list[Inline] = []
        self._bold = 0
        self._italic = 0
        self._hrefs: list[str | None] = []
        self._skip: list[str] = []
        self._lists = 0
        self._li_depth: list[int] = []
        self._joined = False
        self._open: dict[str, int] = {}
        self._closed_any = False

    # -- events -------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip:
            if tag == self._skip[-1] or (tag in SKIP_TAGS and tag not in VOID_TAGS):
                self._skip.append(tag)
            return
        if tag in SKIP_TAGS:
            self._skip.append(tag)
            return
        if tag not in VOID_TAGS:
            self._open[tag] = self._open.get(tag, 0) + 1
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
            self._li_depth.append(max(self._lists, 1))
        elif tag in BLOCK_TAGS or tag in HEADING_TAGS:
            if not (tag == "p" and self._li_depth and not self._runs_text()):
                self._end_line(joined_next=False)
            if tag in HEADING_TAGS:
                self._bold += 1
        elif tag in BOLD_TAGS:
            self._bold += 1
        elif tag in ITALIC_TAGS:
            self._italic += 1
        elif tag == "a":
            self._hrefs.append(dict(attrs).get("href"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if tag in VOID_TAGS:
            return
        if self._open.get(tag):
            self._open[tag] -= 1
            self._closed_any = True
        if tag in LIST_TAGS:
            self._end_line(joined_next=False)
            self._lists = max(self._lists - 1, 0)
        elif tag == "li":
            self._end_line(joined_next=False)
            if self._li_depth:
                self._li_depth.pop()
        elif tag in BLOCK_TAGS or tag in HEADING_TAGS:
            if not (tag == "p" and self._li_depth):
                self._end_line(joined_next=False)
            if tag in HEADING_TAGS:
                self._end_line(joined_next=False)
                self._bold = max(self._bold - 1, 0)
        elif tag in BOLD_TAGS:
            self._bold = max(self._bold - 1, 0)
        elif tag in ITALIC_TAGS:
            self._italic = max(self._italic - 1, 0)
        elif tag == "a" and self._hrefs:
            self._hrefs.pop()

    def handle_data(self, data: str) -> None:
        if self._skip or not data:
            return
        text = " ".join(clean(data).split())
        if data[:1].isspace():
            text = " " + text
        if data[-1:].isspace() and text.strip():
            text += " "
        if not text:
            return
        href = next((h for h in reversed(self._hrefs) if h), None) if self._hrefs else None
        self._runs.append(Inline(text, self._bold > 0, self._italic > 0, href))

    # -- lines --------------------------------------------------------------------------
    def _runs_text(self) -> str:
        return "".join(r.text for r in self._runs).strip()

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

    def finish(self) -> bool:
        """Flush the last line; return True if the input looked cut off."""
        partial_tag = self.rawdata.lstrip().startswith("<")
        self.close()
        self._end_line(joined_next=False)
        unclosed = any(self._open.get(tag) for tag in _MUST_CLOSE)
        return partial_tag or (self._closed_any and unclosed)


def _tidy_runs(runs: list[Inline]) -> list[Inline]:
    """Merge runs of equal style, fold doubled spaces across run edges, trim the line."""
    merged: list[Inline] = []
    for run in runs:
        text = run.text
        prev_text = merged[-1].text if merged else ""
        if (not merged or prev_text.endswith(" ")) and text.startswith(" "):
            text = text.lstrip(" ")
        if not text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (
            run.bold,
            run.italic,
            run.href,
        ):
            merged[-1] = Inline(merged[-1].text + text, run.bold, run.italic, run.href)
        else:
            merged.append(Inline(text, run.bold, run.italic, run.href))
    while merged and not merged[-1].text.strip():
        merged.pop()
    if merged:
        last = merged[-1]
        merged[-1] = Inline(last.text.rstrip(), last.bold, last.italic, last.href)
    return merged


class TruncatedError(ValueError):
    """The input ends in the middle of its markup."""


def html_to_blocks(html: str, *, strict: bool = True) -> tuple[Block, ...]:
    """Parse HTML into blocks; with ``strict``, raise TruncatedError on cut-off input."""
    builder = _BlockBuilder()
    builder.feed(html)
    truncated = builder.finish()
    if strict and truncated:
        raise TruncatedError("the HTML ends in the middle of its markup (truncated?)")
    return tuple(builder.blocks)


def read_html(html: str, meta: Meta | None = None) -> list[Document]:
    """Read an HTML post body (as a feed's content:encoded carries it)."""
    blocks = html_to_blocks(html)
    return [Document(blocks, meta or Meta(), format="html", formatted=True)]

"""The one place that knows what an Import AI issue looks like: blocks in, issues out."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from importai_tui.core import patterns as P
from importai_tui.core.model import (
    Block,
    Document,
    Inline,
    Issue,
    Link,
    Meta,
    Reference,
    Section,
    SectionKind,
)
from importai_tui.core.references import section_refs

MAX_HEADLINE = 300
UNTITLED_TALE = "Tech Tales"  # the headline of a tale whose title is missing


class NoIssueError(ValueError):
    """The document holds no Import AI issue."""


@dataclass
class _Draft:
    """A section while it is being assembled."""

    headline: str
    subtitle: str | None = None
    kind: SectionKind = "story"
    blocks: list[Block] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # of the blocks
    ended: bool = False  # a Tech Tale after its "Things that inspired" paragraph

    def add(self, block: Block, text: str) -> None:
        """Append a body block whose text is ``text``."""
        self.blocks.append(block)
        self.texts.append(text)


def split(doc: Document) -> list[Issue]:
    """Split a document into the issues it holds; raise NoIssueError if there are none."""
    issues = list(split_lazily(doc))
    if not issues:
        raise NoIssueError("no Import AI issue found in it")
    return issues


def split_lazily(doc: Document) -> Iterator[Issue]:
    """The issues of a document, each built when asked for (none if it holds none)."""
    for issue, _ in split_with_texts(doc):
        yield issue


def split_with_texts(doc: Document) -> Iterator[tuple[Issue, list[str]]]:
    """split_lazily's issues, each with its sections' texts (``Section.text``): finding
    the references needs them, and so does storing the issue (core.rows)."""
    blocks = list(doc.blocks)
    # Block.text joins its runs on every call: once here (written out for the usual run)
    texts = [b.inlines[0].text if len(b.inlines) == 1 else b.text for b in blocks]
    starts = [
        i
        for i, b in enumerate(blocks)
        if b.kind == "paragraph"
        and (texts[i][:1] in P.TITLE_FIRST or texts[i][:1].isspace())
        and _opens_issue(texts, i)
    ]
    if not starts:
        built = _build(blocks, texts, doc, title_line=None, meta=doc.meta)
        if built is not None:
            yield built
        return
    bounds = [*starts, len(blocks)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        meta = doc.meta if len(starts) == 1 else Meta()
        part = slice(start + 1, end)
        built = _build(blocks[part], texts[part], doc, texts[start].strip(), meta)
        if built is not None:
            yield built


# -- issue boundaries ---------------------------------------------------------------------
def _opens_issue(texts: list[str], i: int) -> bool:
    """A title line (a paragraph) opens an issue when boilerplate or a story follows it closely."""
    if not P.TITLE.match(texts[i]):
        return False
    for text in texts[i + 1 : i + 8]:
        if P.TITLE.match(text):
            return False
        if P.BYLINE.match(text) or P.WELCOME.match(text) or P.ELLIPSIS_START.match(text):
            return True
        tale = P.TECH_TALES.match(text)
        if tale and not tale.group("rest"):
            return True
        if text.strip().lower() in ("subscribe now", "subscribe"):
            return True
    return False


# -- one issue ----------------------------------------------------------------------------
def _build(
    blocks: list[Block], texts: list[str], doc: Document, title_line: str | None, meta: Meta
) -> tuple[Issue, list[str]] | None:
    drafts, signals = _sections(blocks, texts, formatted=doc.formatted)
    if not drafts:
        return None
    title = title_line or meta.title
    number = _number(title, meta.url)
    if number is None and not signals:
        return None  # nothing here looks like the newsletter
    # A "headline" with neither subtitle nor body was a stray line (an editor's note, say);
    # a "Tech Tales:" header with neither title nor body, the end of a cut-off issue.
    drafts = [d for d in drafts if d.blocks or d.subtitle or (d.kind == "tech_tale" and d.headline)]
    if not drafts:
        return None
    sections = tuple(_finish(i, d) for i, d in enumerate(drafts, start=1))
    texts = [s.text for s in sections]
    if title is None:
        title = sections[0].headline
    issue_id = str(number) if number is not None else _content_id(sections, texts)
    refs = tuple(
        Reference(n, s.index)
        for s, text in zip(sections, texts, strict=True)
        for n in sorted(section_refs(s, text))
        if n != number
    )
    issue = Issue(
        id=issue_id,
        number=number,
        title=title,
        date=meta.date,
        url=meta.url,
        sections=sections,
        references=refs,
        format=doc.format,
    )
    return issue, texts


def _number(title: str | None, url: str | None) -> int | None:
    if title:
        m = P.TITLE.match(title)
        if m:
            return int(m.group("number"))
    if url:
        m = P.URL_NUMBER.search(url)
        if m:
            return int(m.group(1))
    return None


def _content_id(sections: tuple[Section, ...], texts: list[str]) -> str:
    digest = hashlib.sha256()
    for s, text in zip(sections, texts, strict=True):
        digest.update(f"{s.headline}\n{s.subtitle or ''}\n{text}\n".encode())
    return "u" + digest.hexdigest()[:12]


# -- sections -----------------------------------------------------------------------------
def _sections(
    blocks: list[Block], texts: list[str], *, formatted: bool
) -> tuple[list[_Draft], int]:
    """Walk the blocks of one issue (``texts`` are their texts); return the section drafts
    and a count of issue signals."""
    drafts: list[_Draft] = []
    signals = 0
    after_break = True  # the start of the content behaves like a break
    stripped = [t.strip() for t in texts]
    i = 0
    n = len(blocks)
    while i < n:
        block = blocks[i]
        text = stripped[i]
        cur = drafts[-1] if drafts else None
        # Most lines start with none of the letters the rules' expressions start with, and
        # a look at the first character is cheaper than trying them (T and W fold to
        # nothing but t and w under re.IGNORECASE).
        first = text[:1]
        t_line = first in "Tt"
        if t_line and P.THANKS.match(text):
            break
        if block.kind == "rule" or (first in P.BREAK_FIRST and P.BREAK.match(text)):
            after_break = True
            i += 1
            continue
        paragraph = block.kind == "paragraph"
        welcome = paragraph and first in "Ww" and P.WELCOME.match(text)
        boilerplate = first in P.BOILERPLATE_FIRST or first.isdecimal()
        if welcome or (paragraph and boilerplate and P.BOILERPLATE.match(text)):
            signals += bool(welcome)
            i += 1
            continue
        tale = P.TECH_TALES.match(text) if paragraph and t_line else None
        if tale and (not tale.group("rest") or len(text) < 120):
            signals += 1
            headline = _headline(tale.group("rest") or "")
            i += 1
            if not headline:
                while i < n and not stripped[i]:
                    i += 1
                # the tale's title; a paragraph too long to be one starts the untitled tale
                if i < n and len(stripped[i]) <= MAX_HEADLINE:
                    headline = _headline(stripped[i])
                    i += 1
            drafts.append(_Draft(headline, kind="tech_tale"))
            after_break = False
            continue
        # (most paragraphs are too long to be a headline: they need no subtitle looked for;
        # and _headline() is empty only for these two, so it is made only for a headline)
        could_be = paragraph and len(text) <= MAX_HEADLINE and text not in ("", ":")
        subtitle = _subtitle_at(blocks, texts, stripped, i + 1) if could_be else None
        if could_be and _is_headline(blocks, stripped, i, cur, after_break, subtitle, formatted):
            draft = _Draft(_headline(text))
            i += 1
            if subtitle is not None:
                signals += 1
                draft.subtitle, rest = subtitle
                if rest is not None:
                    draft.add(Block("paragraph", rest, joined=False), "".join(r.text for r in rest))
                i += 1
            drafts.append(draft)
            after_break = False
            continue
        after_break = False
        if cur is None or cur.ended:
            i += 1  # preamble before the first story, or trailer after the Tech Tale
            continue
        if not cur.blocks and cur.kind == "story" and P.SETTING.match(text) and drafts[:-1]:
            cur.kind = "tech_tale"
        if t_line and P.INSPIRED.match(text):
            cur.kind = "tech_tale"
            cur.ended = True
            signals += 1
        cur.add(_first_unjoined(block, cur.blocks), texts[i])
        i += 1
        if cur.ended:  # keep the lines that continue the "Things that inspired" paragraph
            while i < n and blocks[i].joined and blocks[i].kind == "paragraph":
                if P.THANKS.match(texts[i]):
                    break
                cur.add(blocks[i], texts[i])
                i += 1
    return drafts, signals


def _is_headline(
    blocks: list[Block],
    stripped: list[str],
    i: int,
    cur: _Draft | None,
    after_break: bool,
    subtitle: tuple[str, tuple[Inline, ...] | None] | None,
    formatted: bool,
) -> bool:
    """Whether paragraph ``i``, short enough to be a headline and not blank, is one."""
    block = blocks[i]
    text = stripped[i]
    if subtitle is not None:
        return True
    in_tale = cur is not None and cur.kind == "tech_tale" and not cur.ended
    if in_tale:
        return False
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if nxt is None or nxt.kind == "list_item":
        return False
    bold = formatted and _all_bold(block)
    if after_break:
        return bold or not text.endswith(".")
    if cur is None:
        return bold
    # A headline with neither break nor subtitle: a new paragraph after the story's links.
    prev = cur.texts[-1] if cur.texts else None
    if prev is None or not _closing(prev) or _closing(text):
        return False
    return bold or (not block.joined and text.endswith(":"))


def _closing(text: str) -> bool:
    """Whether ``text`` closes a story (P.CLOSING_LINE), tried only where it can start."""
    first = text[:1]
    return (first in P.CLOSING_FIRST or first.isspace()) and bool(P.CLOSING_LINE.match(text))


def _all_bold(block: Block) -> bool:
    return all(run.bold for run in block.inlines if run.text.strip())


def _subtitle_at(
    blocks: list[Block], texts: list[str], stripped: list[str], i: int
) -> tuple[str, tuple[Inline, ...] | None] | None:
    """If block ``i`` is an ellipsis subtitle, return its text and any body glued to it."""
    if i >= len(blocks) or blocks[i].kind != "paragraph":
        return None
    block = blocks[i]
    text = stripped[i]
    if text[:1] not in P.ELLIPSIS_FIRST or not P.ELLIPSIS_START.match(text):
        return None
    rest: tuple[Inline, ...] | None = None
    if not _ends_in_ellipsis(text):
        glued = P.GLUED_ELLIPSIS.search(text, 1)
        if glued:
            rest = _tail(block.inlines, texts[i].index(text) + glued.end())
            text = text[: glued.start()]
    return _strip_ellipses(text), rest


def _tail(inlines: tuple[Inline, ...], offset: int) -> tuple[Inline, ...]:
    """The runs of a line from character ``offset`` on."""
    out: list[Inline] = []
    pos = 0
    for run in inlines:
        end = pos + len(run.text)
        if end > offset:
            cut = max(offset - pos, 0)
            out.append(Inline(run.text[cut:], run.bold, run.italic, run.href))
        pos = end
    return tuple(out)


_ELLIPSIS_CHARS = frozenset(".…")
_SUBTITLE_EDGE = frozenset(".…_*")


def _trailing(text: str, chars: frozenset[str]) -> int:
    """Where the run of whitespace and ``chars`` that ends ``text`` starts."""
    # A loop from the end, not an expression: searching for such a run at the end of a
    # line tries it from every place in the line (4,000 dots took 144 s).
    end = len(text)
    while end and (text[end - 1] in chars or text[end - 1].isspace()):
        end -= 1
    return end


def _ends_in_ellipsis(text: str) -> bool:
    """Whether ``text`` ends with '…' or two or more dots, then whitespace and dots only."""
    tail = text[_trailing(text, _ELLIPSIS_CHARS) :]
    return "…" in tail or ".." in tail


def _strip_ellipses(text: str) -> str:
    """``text`` without the whitespace, dots, ellipses and emphasis marks at either end."""
    start = 0
    while start < len(text) and (text[start] in _SUBTITLE_EDGE or text[start].isspace()):
        start += 1
    return text[start : max(_trailing(text, _SUBTITLE_EDGE), start)]


def _headline(text: str) -> str:
    text = " ".join(text.split())
    return text[:-1].rstrip() if text.endswith(":") else text


def _first_unjoined(block: Block, existing: list[Block]) -> Block:
    """The first body block of a section starts a paragraph, whatever it followed."""
    if existing or not block.joined:
        return block
    return Block(block.kind, block.inlines, block.depth, joined=False)


def _finish(index: int, draft: _Draft) -> Section:
    links: list[Link] = []
    seen: set[str] = set()
    for block in draft.blocks:
        for run in block.inlines:
            if run.href and run.href not in seen:
                seen.add(run.href)
                links.append(Link(" ".join(run.text.split()), run.href))
    return Section(
        index=index,
        kind=draft.kind,
        headline=draft.headline or UNTITLED_TALE,
        subtitle=draft.subtitle or None,
        blocks=tuple(draft.blocks),
        links=tuple(links),
    )

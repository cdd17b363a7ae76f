"""Markdown reader: exports from read-later and note tools, rendered to HTML and read as such."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from importai_tui.core.model import Document, Meta
from importai_tui.core.patterns import BREAK
from importai_tui.core.readers.html import html_to_blocks
from importai_tui.core.readers.meta import parse_date, split_front_matter
from importai_tui.core.sanitize import clean_url

# Exporters copy <strong>Headline:<br/></strong> as "**Headline:  \n**": a marker closed at
# the start of the next line, which CommonMark does not accept as closing. Such closers are
# moved back to the end of the line before.
_MARKERS = (
    ("**", re.compile(r"(?<!\\)\*\*")),
    ("__", re.compile(r"(?<![\\\w])__|__(?!\w)")),
    ("_", re.compile(r"(?<![\\\w_])_(?!_)|(?<!_)_(?![\w_])")),
    ("*", re.compile(r"(?<![\\*\s])\*(?!\*)|(?<![\\*])\*(?=[^\s*])")),
)
_HARD_BREAK = re.compile(r"(?:  |\\)\n")

_soft = MarkdownIt("commonmark", {"breaks": True, "html": False})
_hard = MarkdownIt("commonmark", {"breaks": False, "html": False})


def _close_on(line: str, marker: str) -> str:
    """``line`` with ``marker`` added at its end, before any hard-break spaces."""
    body = line.rstrip(" \\")
    return body + marker + line[len(body) :]


def _mend_markers(text: str) -> str:
    out: list[str] = []
    open_markers: list[str] = []
    reopen: list[str] = []  # markers closed at a blank line, to reopen on the next line
    for line in text.split("\n"):
        if BREAK.match(line):
            out.append(line)
            continue
        if not line.strip():
            if open_markers and out and out[-1].strip():
                for marker in reversed(open_markers):
                    out[-1] = _close_on(out[-1], marker)
                reopen, open_markers = open_markers, []
            out.append(line)
            continue
        for marker in reopen:
            if line.startswith(marker):
                line = line[len(marker) :]  # its closer: already closed at the blank line
            else:
                line = marker + line
                open_markers.append(marker)
        reopen = []
        for marker, _pattern in _MARKERS:
            if marker in open_markers and line.startswith(marker) and out and out[-1].strip():
                out[-1] = _close_on(out[-1], marker)
                line = line[len(marker) :]
                open_markers.remove(marker)
        scan = line
        for marker, pattern in _MARKERS:
            hits = len(pattern.findall(scan))
            scan = pattern.sub(" ", scan)
            if hits % 2:
                if marker in open_markers:
                    open_markers.remove(marker)
                else:
                    open_markers.append(marker)
        out.append(line)
    return "\n".join(out)


def read_markdown(text: str) -> list[Document]:
    """Read a Markdown export, with optional YAML front matter."""
    fields, body = split_front_matter(text)
    meta = Meta(
        title=fields.get("title") or None,
        date=parse_date(fields.get("date") or fields.get("published") or fields.get("created")),
        url=clean_url(
            fields.get("url")
            or fields.get("source")
            or fields.get("link")
            or fields.get("canonical_url")
        ),
    )
    # Hard-wrapped exports (html2text) mark real line breaks; others break where lines do.
    renderer = _hard if _HARD_BREAK.search(body) else _soft
    html = renderer.render(_mend_markers(body))
    blocks = html_to_blocks(html, strict=False)
    return [Document(blocks, meta, format="markdown", formatted=True)]

"""Markdown reader: exports from read-later and note tools, rendered to HTML and read as such."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from importai_tui.core.model import Document, Meta
from importai_tui.core.readers.html import html_to_blocks
from importai_tui.core.readers.meta import parse_date, split_front_matter

# Exporters copy <strong>Headline:<br/></strong> as "**Headline:  \n**": a marker closed on
# the next line, which CommonMark does not accept as closing. Pull it back onto its line.
_CLOSED_NEXT_LINE = re.compile(r"(?m)^([ \t]*)(\*\*|__|\*|_)([^*_\n]+?)[ \t]*\\?\n\2(?!\2)")

_md = MarkdownIt("commonmark", {"breaks": True, "html": False})


def _mend_markers(text: str) -> str:
    return _CLOSED_NEXT_LINE.sub(lambda m: f"{m[1]}{m[2]}{m[3]}{m[2]}\n", text)


def read_markdown(text: str) -> list[Document]:
    """Read a Markdown export, with optional YAML front matter."""
    fields, body = split_front_matter(text)
    meta = Meta(
        title=fields.get("title") or None,
        date=parse_date(fields.get("date") or fields.get("published") or fields.get("created")),
        url=fields.get("url")
        or fields.get("source")
        or fields.get("link")
        or fields.get("canonical_url")
        or None,
    )
    html = _md.render(_mend_markers(body))
    blocks = html_to_blocks(html, strict=False)
    return [Document(blocks, meta, format="markdown", formatted=True)]

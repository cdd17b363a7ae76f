"""Readers: one per source format, each turning bytes into neutral documents.

The format is chosen by looking at the content, never at the file name.
"""

from __future__ import annotations

import re

from importai_tui.core.model import Document

FORMATS = ("feed", "webpage", "html", "markdown", "text")
# Richer formatting wins when the same issue arrives from several sources.
FORMAT_RANK = {"html": 3, "webpage": 3, "feed": 3, "markdown": 2, "text": 1}


class ReadError(ValueError):
    """A source could not be read; the message says why, in a few words."""


_XML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(rss|feed|rdf:RDF)\b",
    re.S | re.I,
)
_PAGE_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+html|<html\b)", re.S | re.I)
_HTML_TAG = re.compile(r"<(p|div|br|strong|em|ul|li|a|h[1-6]|span|b|i)\b[^>]*>", re.I)
# each with a string every match of it contains (see _holds): most text holds few, and a
# substring test is much quicker than a search for the expression
_MD_SIGNS = (
    (re.compile(r"^---\s*\n(?:.*\n){0,40}?---\s*$", re.M), "---"),  # front matter
    (re.compile(r"\*\*[^*\n]+\*\*|\*\*[^*\n]+\n\*\*"), "**"),  # bold
    (re.compile(r"\\\*\\\*\\\*"), "\\*\\*\\*"),  # escaped break
    # (no "[" inside: tried at each "[" of a line of them, a label that may hold one
    # scans the rest of the line from every one, and the test took seconds)
    (re.compile(r"\[[^\[\]\n]+\]\((?:https?:|mailto:|/)[^)\s\[]*\)"), "]("),  # link
    (re.compile(r"^#{1,6} \S", re.M), "# "),  # heading
    # (a line start: "_" is common inside words, and trying ^ at each character is slow)
    (re.compile(r"^_[…\.][^\n]*_\s*$", re.M), "\n_"),  # italic subtitle
)


def decode(data: bytes) -> str:
    """Decode bytes as text; raise ReadError for empty, binary or cut-off input."""
    if not data or data.isspace():  # (strip() would copy the whole file to say so)
        raise ReadError("the file is empty")
    if b"\x00" in data[:8192]:
        raise ReadError("binary file, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            raise ReadError("the file ends in the middle of a character (truncated?)") from exc
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > len(text[:8192]) // 100:
        raise ReadError("binary file, not text")
    return text


def detect(text: str) -> str:
    """Name the format of ``text``: feed, webpage, html, markdown or text."""
    head = text[:4096]
    if _XML_START.match(head):
        return "feed"
    if _PAGE_START.match(head):
        return "webpage"
    if len(_HTML_TAG.findall(head)) >= 3:
        return "html"
    start = text[:200_000]
    if sum(1 for sign, needle in _MD_SIGNS if _holds(start, needle) and sign.search(start)) >= 2:
        return "markdown"
    return "text"


def _holds(text: str, needle: str) -> bool:
    """Whether ``needle`` is in ``text``; one starting with a newline is also found at the
    start of ``text`` (a line start, as re.M's ^ sees it)."""
    return needle in text or (needle[0] == "\n" and text.startswith(needle[1:]))


def read(data: bytes) -> list[Document]:
    """Decode, detect and read ``data`` into documents."""
    text = decode(data)
    fmt = detect(text)
    try:
        if fmt == "feed":
            from importai_tui.core.readers.feed import read_feed

            return read_feed(data)
        if fmt == "webpage":
            from importai_tui.core.readers.webpage import read_webpage

            return read_webpage(text)
        if fmt == "html":
            from importai_tui.core.readers.html import read_html

            return read_html(text)
        if fmt == "markdown":
            from importai_tui.core.readers.markdown import read_markdown

            return read_markdown(text)
        from importai_tui.core.readers.text import read_text

        return read_text(text)
    except ReadError:
        raise
    except ValueError as exc:
        raise ReadError(str(exc)) from exc

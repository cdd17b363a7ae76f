"""Feed reader: RSS 2.0 and Atom files whose items carry post bodies in HTML."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import feedparser

from importai_tui.core.model import Document, Meta
from importai_tui.core.readers.html import html_to_blocks
from importai_tui.core.sanitize import clean_line, clean_url


class FeedError(ValueError):
    """The feed is not well-formed XML or has no items."""


def _date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def _body(entry: Any) -> str:
    contents = entry.get("content") or []
    html_parts = [c.get("value", "") for c in contents if "html" in c.get("type", "html")]
    if html_parts:
        return str(max(html_parts, key=len))
    return str(entry.get("summary", ""))


# The prolog of a feed: what comes before its root element. Entities declared there are
# expanded by feedparser's loose parser in pure Python (a 20 kB feed peaked at 68 MB); feeds in the
# wild declare none.
_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b")
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[|<!ENTITY", re.I)


def read_feed(data: bytes) -> list[Document]:
    """Read every item of a feed into a document with the item's title, date and link."""
    root = _ROOT.search(data)
    if _INTERNAL_SUBSET.search(data, 0, root.start() if root else len(data)):
        raise FeedError("the feed declares XML entities of its own; it is not read")
    # The HTML reader keeps only text, and skips script, style, template and the like
    # itself: feedparser's sanitizer would keep what is inside some of those as text.
    try:
        parsed = feedparser.parse(  # a stream: given bytes, it first tries them as a file name
            io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False, response_headers={}
        )
    except (ValueError, UnicodeError) as exc:
        # its loose parser turns out-of-range and surrogate character references into
        # chr() errors and strings that cannot be encoded
        raise FeedError("not a well-formed feed (a character reference to no character)") from exc
    if parsed.get("bozo") and not isinstance(
        parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride
    ):
        reason = str(parsed.get("bozo_exception") or "not well-formed")
        raise FeedError(f"not a well-formed feed ({clean_line(reason)})")
    docs = []
    for entry in parsed.entries:
        meta = Meta(
            title=clean_line(entry.get("title", "")) or None,
            date=_date(entry),
            url=clean_url(entry.get("link")),
        )
        blocks = html_to_blocks(_body(entry), strict=False)
        docs.append(Document(blocks, meta, format="feed", formatted=True))
    if not docs:
        raise FeedError("the feed has no items")
    return docs

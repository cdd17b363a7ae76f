"""Parse the dates and front matter that sources carry about an issue."""

from __future__ import annotations

import datetime as dt
import re

from importai_tui.core.sanitize import clean_line

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FRONT = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(?P<body>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)


def parse_date(value: str | None) -> dt.date | None:
    """A date from an ISO-8601 string or an RFC 822 one, or None."""
    if not value:
        return None
    m = _ISO.search(value)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError):
        return None


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split YAML front matter (simple ``key: value`` lines) from a Markdown document."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    fields: dict[str, str] = {}
    for line in m.group("body").splitlines():
        key, sep, value = line.partition(":")
        if not sep or line[:1].isspace():
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1].replace('\\"', '"').replace("''", "'")
        fields[key.strip().lower()] = clean_line(value)
    return fields, text[m.end() :]

"""Bytes in, issues out: detect the format, read it, split it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from importai_tui.core.readers import ReadError

if TYPE_CHECKING:
    from importai_tui.core.model import Issue

# Bump when parsing changes what it produces: libraries built by another version are rebuilt.
PARSER_VERSION = "2"  # 2: link targets and issue URLs sanitized; every section titled


def parse_bytes(data: bytes) -> list[Issue]:
    """Every issue in ``data``; raise ReadError with a short reason if there is none."""
    return list(parse_lazily(data))


def parse_lazily(data: bytes) -> Iterator[Issue]:
    """The issues of ``data`` as parse_bytes gives them, each as soon as it is split off (an
    archive's first issues can be stored while the rest are parsed); ReadError is raised
    before the first issue, or, for a source holding none, at the end."""
    for issue, _ in parse_with_texts(data):
        yield issue


def parse_with_texts(data: bytes) -> Iterator[tuple[Issue, list[str]]]:
    """parse_lazily's issues, each with its sections' texts (see split_with_texts)."""
    # here, not above: the reader opens a library by PARSER_VERSION without parsing, and
    # the splitter's patterns and the readers cost it 20-25 ms of start-up
    from importai_tui.core.readers import read
    from importai_tui.core.splitter import split_with_texts

    seen: set[str] = set()
    for doc in read(data):
        for issue, texts in split_with_texts(doc):
            if issue.id not in seen:  # one source holding the same issue twice keeps the first
                seen.add(issue.id)
                yield issue, texts
    if not seen:
        raise ReadError("holds no Import AI issue")

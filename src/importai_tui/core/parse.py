"""Bytes in, issues out: detect the format, read it, split it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from importai_tui.core.readers import ReadError

if TYPE_CHECKING:
    from importai_tui.core.model import Issue

# Bump when parsing changes what it produces: libraries built by another version are rebuilt.
PARSER_VERSION = "2"  # 2: link targets and issue URLs sanitized; every section titled


def parse_bytes(data: bytes) -> list[Issue]:
    """Every issue in ``data``; raise ReadError with a short reason if there is none."""
    # here, not above: the reader opens a library by PARSER_VERSION without parsing, and
    # the splitter's patterns and the readers cost it 20-25 ms of start-up
    from importai_tui.core.readers import read
    from importai_tui.core.splitter import NoIssueError, split

    issues: list[Issue] = []
    for doc in read(data):
        try:
            issues.extend(split(doc))
        except NoIssueError:
            continue
    if not issues:
        raise ReadError("holds no Import AI issue")
    merged: dict[str, Issue] = {}
    for issue in issues:  # one source holding the same issue twice keeps the first copy
        merged.setdefault(issue.id, issue)
    return list(merged.values())

"""Issues to and from plain JSON-able data (the library's storage and the --json output)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from importai_tui.core.model import Block, Inline, Issue, Link, Reference, Section

BOLD, ITALIC = 1, 2  # an inline's flags


def _inline_out(run: Inline) -> list[Any]:
    flags = (BOLD if run.bold else 0) | (ITALIC if run.italic else 0)
    return [run.text, flags, run.href] if run.href else [run.text, flags]


def _block_out(block: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"k": block.kind, "r": [_inline_out(r) for r in block.inlines]}
    if block.depth:
        out["d"] = block.depth
    if block.joined:
        out["j"] = 1
    return out


def _head(issue: Issue) -> dict[str, Any]:
    return {
        "id": issue.id,
        "number": issue.number,
        "title": issue.title,
        "date": issue.date.isoformat() if issue.date else None,
        "url": issue.url,
    }


def issue_to_data(issue: Issue) -> dict[str, Any]:
    """Everything about an issue, compactly, for storage."""
    return {
        **_head(issue),
        "format": issue.format,
        "references": [[r.number, r.section] for r in issue.references],
        "sections": [
            {
                "index": s.index,
                "kind": s.kind,
                "headline": s.headline,
                "subtitle": s.subtitle,
                "blocks": [_block_out(b) for b in s.blocks],
                "links": [[link.text, link.url] for link in s.links],
            }
            for s in issue.sections
        ],
    }


def _inline_in(raw: list[Any]) -> Inline:
    flags = raw[1]
    return Inline(
        raw[0], bool(flags & BOLD), bool(flags & ITALIC), raw[2] if len(raw) > 2 else None
    )


def issue_from_data(data: dict[str, Any]) -> Issue:
    """The inverse of :func:`issue_to_data`."""
    sections = tuple(
        Section(
            index=s["index"],
            kind=s["kind"],
            headline=s["headline"],
            subtitle=s["subtitle"],
            blocks=tuple(
                Block(b["k"], tuple(_inline_in(r) for r in b["r"]), b.get("d", 0), bool(b.get("j")))
                for b in s["blocks"]
            ),
            links=tuple(Link(t, u) for t, u in s["links"]),
        )
        for s in data["sections"]
    )
    return Issue(
        id=data["id"],
        number=data["number"],
        title=data["title"],
        date=dt.date.fromisoformat(data["date"]) if data["date"] else None,
        url=data["url"],
        sections=sections,
        references=tuple(Reference(n, s) for n, s in data["references"]),
        format=data["format"],
    )


def issue_summary(issue: Issue) -> dict[str, Any]:
    """The public JSON of an issue's index entry (``importai list --json``)."""
    return {**_head(issue), "sections": len(issue.sections)}


def issue_public(issue: Issue, only: int | None = None) -> dict[str, Any]:
    """The public JSON of a whole issue (``importai show --json``)."""
    out = issue_summary(issue)
    out["references"] = issue.referenced_numbers
    out["sections"] = [
        {
            "index": s.index,
            "kind": s.kind,
            "headline": s.headline,
            "subtitle": s.subtitle,
            "text": s.text,
            "links": [{"text": link.text, "url": link.url} for link in s.links],
        }
        for s in issue.sections
        if only is None or s.index == only
    ]
    return out

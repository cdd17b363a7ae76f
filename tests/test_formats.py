"""Markdown, feed and web page test files (made from corpus issues) parse like their source."""

from __future__ import annotations

import json

import pytest
from tests.conftest import EXPECTED, FIXTURES

from importai_tui.core.parse import parse_bytes
from importai_tui.core.readers import decode, detect

MANIFEST = json.loads((FIXTURES / "MANIFEST.json").read_text(encoding="utf-8"))
FORMAT_OF = {
    "markdown": "markdown",
    "text": "text",
    "rss": "feed",
    "atom": "feed",
    "webpage": "webpage",
}


def _expected_sections(corpus_file: str, number: int | None) -> list[dict[str, object]]:
    issues = EXPECTED[corpus_file]
    return next(i for i in issues if i["number"] == number)["sections"]


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_fixture_parses_like_its_source(entry: dict) -> None:  # type: ignore[type-arg]
    data = (FIXTURES / entry["file"]).read_bytes()
    assert detect(decode(data)) == FORMAT_OF[entry["format"]]
    issues = parse_bytes(data)
    assert len(issues) == len(entry["issues"])
    for issue, exp in zip(issues, entry["issues"], strict=True):
        assert issue.number == exp["number"]
        if exp["title"] is not None:
            assert issue.title == exp["title"]
        assert (issue.date.isoformat() if issue.date else None) == exp["date"]
        assert issue.url == exp["url"]
        got = [
            {"kind": s.kind, "headline": s.headline, "subtitle": s.subtitle} for s in issue.sections
        ]
        assert got == _expected_sections(exp["corpus_file"], exp["corpus_number"])
        for section in issue.sections:
            for phrase in ("Subscribe now", "Leave a comment", "Thanks for reading", "Related"):
                assert phrase not in section.text, (entry["file"], section.headline, phrase)


def test_web_page_drops_comments_quoting_other_titles() -> None:
    for name in ("webpages/substack-post-page.html", "webpages/wordpress-post-page.html"):
        issues = parse_bytes((FIXTURES / name).read_bytes())
        assert len(issues) == 1
        text = "\n".join(s.text for s in issues[0].sections)
        assert "Global MMLU; AI safety" not in text  # quoted by a commenter on the page


def test_markdown_keeps_formatting() -> None:
    [issue] = parse_bytes((FIXTURES / "markdown" / "stow-robots-html2text.md").read_bytes())
    first = issue.sections[0]
    assert any(
        r.bold and r.text.startswith("What they did") for b in first.blocks for r in b.inlines
    )
    assert any(link.url.startswith("https://arxiv.org/") for link in first.links)

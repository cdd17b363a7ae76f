"""Every corpus issue parses into the sections a careful reader finds in it (tests/expected)."""

from __future__ import annotations

import re

import pytest
from tests.conftest import CORPUS, EXPECTED

from importai_tui.core.model import Issue
from importai_tui.core.parse import parse_bytes

BOILERPLATE = ("Subscribe now", "Welcome to Import AI", "Thanks for reading", "by Jack Clark")


def parsed(name: str) -> list[Issue]:
    return parse_bytes((CORPUS / name).read_bytes())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sections_match_the_source(name: str) -> None:
    issues = parsed(name)
    expected = EXPECTED[name]
    assert [i.number for i in issues] == [e["number"] for e in expected]
    for issue, exp in zip(issues, expected, strict=True):
        got = [
            {"kind": s.kind, "headline": s.headline, "subtitle": s.subtitle} for s in issue.sections
        ]
        assert got == exp["sections"], issue.title
        assert [s.index for s in issue.sections] == list(range(1, len(got) + 1))
        if exp["title"] is not None:
            assert issue.title == exp["title"]
            assert issue.id == str(exp["number"])
        else:
            assert issue.title == exp["sections"][0]["headline"]
            assert re.fullmatch(r"u[0-9a-f]{12}", issue.id)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bodies_are_clean_and_complete(name: str) -> None:
    for issue in parsed(name):
        for section in issue.sections:
            text = section.text
            assert text.strip(), f"{issue.id} §{section.index} has an empty body"
            for phrase in BOILERPLATE:
                assert phrase not in text, f"{phrase!r} left in {issue.id} §{section.index}"
            assert not section.headline.endswith(":")
            if section.subtitle:
                assert not section.subtitle.startswith(("…", "."))
                assert not section.subtitle.endswith("…")
                assert section.subtitle not in text  # the subtitle is not repeated in the body
        tale = [s for s in issue.sections if s.kind == "tech_tale"]
        assert len(tale) == 1 and tale[0] is issue.sections[-1]
        assert tale[0].text.splitlines()[-1].startswith("Things that inspired this story")


def test_stories_keep_their_lead_ins_and_links() -> None:
    stow = parsed("substack-body-stow-robots.html")[0]
    first = stow.sections[0]
    assert "What they did:" in first.text
    assert "Why this matters - being bearish on bipedal robots" in first.text
    assert (
        "Stow: Robotic Packing of Items into Fabric Pods (arXiv)",
        "https://arxiv.org/abs/2505.04572",
    ) in [(k.text, k.url) for k in first.links]
    bold = [r.text for b in first.blocks for r in b.inlines if r.bold]
    assert "What they did:" in bold
    second = stow.sections[1]
    items = [b for b in second.blocks if b.kind == "list_item"]
    assert len(items) == 4 and all(b.depth == 1 for b in items)


def test_nested_lists_in_plain_text() -> None:
    issue = next(i for i in parsed("text-archive-386-395.txt") if i.number == 395)
    phi = issue.sections[1]
    depths = [b.depth for b in phi.blocks if b.kind == "list_item"]
    assert depths == [1, 1, 1, 2, 2]


def test_glued_subtitle_leaves_the_body_intact() -> None:
    issue = next(i for i in parsed("text-archive-386-395.txt") if i.number == 395)
    assert issue.sections[0].text.startswith("New research from UC Berkeley")


def test_references_to_other_issues() -> None:
    by_number = {i.number: i for i in parsed("text-archive-386-395.txt")}
    assert 393 in by_number[395].referenced_numbers  # "(Import AI 393)"
    assert {381, 349} <= set(by_number[387].referenced_numbers)  # "(Import AI #381)"
    assert all(n != 387 for n in by_number[387].referenced_numbers)
    misalignment = parsed("substack-body-misalignment-predictions.html")[0]
    # "(#401)" as a link to a jack-clark.net issue URL, and "Import AI #349".
    assert {401, 349} <= set(misalignment.referenced_numbers)
    section_of_401 = [r.section for r in misalignment.references if r.number == 401]
    assert section_of_401 == [1]


def test_untitled_ids_are_stable() -> None:
    a = parsed("substack-body-stow-robots.html")[0]
    b = parsed("substack-body-stow-robots.html")[0]
    c = parsed("substack-body-misalignment-predictions.html")[0]
    assert a.id == b.id != c.id

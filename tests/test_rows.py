"""rows.dump writes the stored JSON directly: it must be exactly what json.dumps gives for
issue_to_data, whatever the issue holds, or libraries built by it would differ."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import CORPUS, FIXTURES

from importai_tui.core.model import Block, Inline, Issue, Link, Reference, Section
from importai_tui.core.parse import parse_bytes
from importai_tui.core.readers import ReadError
from importai_tui.core.rows import dump, to_rows
from importai_tui.core.serialize import issue_from_data, issue_to_data


def _reference(issue: Issue) -> str:
    return json.dumps(issue_to_data(issue), ensure_ascii=False, separators=(",", ":"))


def _corpus_issues() -> list[Issue]:
    issues: list[Issue] = []
    for path in sorted([*CORPUS.rglob("*"), *FIXTURES.rglob("*")]):
        if path.is_file():
            try:
                issues.extend(parse_bytes(path.read_bytes()))
            except ReadError:
                continue
    return issues


def test_dump_matches_json_dumps_on_every_corpus_issue() -> None:
    issues = _corpus_issues()
    assert len(issues) >= 10
    formats = {issue.format for issue in issues}
    assert {"text", "markdown", "html"} <= formats
    for issue in issues:
        assert dump(issue) == _reference(issue), issue.id
        assert to_rows(issue).data == _reference(issue).encode()
        assert to_rows(issue).issue() == issue


# anything a reader might let through: quotes, backslashes, controls, surrogates, astral
_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
_runs = st.builds(Inline, _text, st.booleans(), st.booleans(), st.none() | _text.filter(bool))
_blocks = st.builds(
    Block,
    st.sampled_from(["paragraph", "list_item", "rule"]),
    st.lists(_runs, max_size=3).map(tuple),
    st.integers(0, 3),
    st.booleans(),
)
_sections = st.builds(
    Section,
    st.integers(1, 40),
    st.sampled_from(["story", "tech_tale"]),
    _text,
    st.none() | _text,
    st.lists(_blocks, max_size=4).map(tuple),
    st.lists(st.builds(Link, _text, _text), max_size=2).map(tuple),
)
_issues = st.builds(
    Issue,
    id=_text,
    number=st.none() | st.integers(0, 10**6),
    title=_text,
    date=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
    url=st.none() | _text,
    sections=st.lists(_sections, max_size=3).map(tuple),
    references=st.lists(
        st.builds(Reference, st.integers(0, 9999), st.integers(1, 40)), max_size=3
    ).map(tuple),
    format=st.sampled_from(["text", "markdown", "html", "feed", "webpage"]),
)


@settings(max_examples=300, deadline=None)
@given(_issues)
def test_dump_matches_json_dumps_on_any_issue(issue: Issue) -> None:
    out = dump(issue)
    assert out == _reference(issue)
    assert issue_from_data(json.loads(out)) == issue

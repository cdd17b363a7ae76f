"""The splitter's rules on small documents written for each rule (any format, one splitter)."""
# ruff: noqa: E501, W291

from __future__ import annotations

from typing import Any

import pytest

from importai_tui.core.parse import parse_bytes
from importai_tui.core.readers import ReadError, detect

ISSUE_TEXT = """Import AI 512: Robots; tests; and a tale

by Jack Clark

Welcome to Import AI, a newsletter about artificial intelligence. Forward this email to give your chums an AI upgrade. Subscribe here.

Robots learn to fold laundry:
…A new dataset makes folding tractable…
Researchers have built a dataset. See https://example.org/fold for more.
Why this matters: Laundry is hard.
Read more: Folding (arXiv).

A second story with no break before it:
…Headlines can follow stories directly…
Second body (Import AI 500) and (#498).

***

A story with no subtitle after a break:
Body of the third story, which mentions https://importai.substack.com/p/import-ai-450-stuff.

***

The Quiet Room
[Somewhere, 2040]
The tale itself. It has [bold red]markup-like[/] text and [0] brackets.
Things that inspired this story: rooms.

Thanks for reading!

Leave a comment
Import AI 511: this title is quoted in a comment and opens nothing
Great issue!
"""


def test_plain_text_rules() -> None:
    [issue] = parse_bytes(ISSUE_TEXT.encode())
    assert issue.number == 512
    heads = [(s.kind, s.headline, s.subtitle) for s in issue.sections]
    assert heads == [
        ("story", "Robots learn to fold laundry", "A new dataset makes folding tractable"),
        (
            "story",
            "A second story with no break before it",
            "Headlines can follow stories directly",
        ),
        ("story", "A story with no subtitle after a break", None),
        ("tech_tale", "The Quiet Room", None),
    ]
    first = issue.sections[0]
    assert "Why this matters: Laundry is hard." in first.text
    assert first.links[0].url == "https://example.org/fold"
    tale = issue.sections[-1]
    assert tale.text.startswith("[Somewhere, 2040]")
    assert "[bold red]markup-like[/] text and [0] brackets" in tale.text
    assert "Great issue" not in tale.text and "Leave a comment" not in tale.text
    assert issue.referenced_numbers == [450, 498, 500]


def test_title_in_a_comment_does_not_open_an_issue() -> None:
    issues = parse_bytes(ISSUE_TEXT.encode())
    assert [i.number for i in issues] == [512]


def test_several_issues_in_one_text() -> None:
    two = ISSUE_TEXT + "\n" + ISSUE_TEXT.replace("512", "513")
    assert [i.number for i in parse_bytes(two.encode())] == [512, 513]


HTML = (
    "<p>Welcome to Import AI, a newsletter about AI research.</p>"
    "<p><strong>First headline:<br></strong><em>…first subtitle…<br></em>Body one."
    "<br><br><strong>The three parts of it:</strong></p>"
    "<ul><li><p>part one</p><ul><li><p>nested</p></li></ul></li><li><p>part two</p></li></ul>"
    "<p><strong>Read more: </strong><a href='https://arxiv.org/abs/1'>Paper (arXiv)</a>.<br><br>"
    "<strong>Second headline, no break, no subtitle:<br></strong>Body two.<br><br>"
    "<strong>Tech Tales:<br><br>A tale<br></strong><em>[Setting]<br></em>Tale body.<br>"
    "<strong>Things that inspired this story:</strong> things.</p>"
    "<p><em>Thanks for reading!</em></p>"
)


def test_html_rules() -> None:
    [issue] = parse_bytes(HTML.encode())
    assert issue.number is None and issue.title == "First headline"
    heads = [(s.kind, s.headline, s.subtitle) for s in issue.sections]
    assert heads == [
        ("story", "First headline", "first subtitle"),
        ("story", "Second headline, no break, no subtitle", None),
        ("tech_tale", "A tale", None),
    ]
    first = issue.sections[0]
    assert [(b.text, b.depth) for b in first.blocks if b.kind == "list_item"] == [
        ("part one", 1),
        ("nested", 2),
        ("part two", 1),
    ]
    assert "The three parts of it:" in first.text
    assert issue.sections[2].text.startswith("[Setting]")


def test_control_characters_and_escapes_are_stripped() -> None:
    text = ISSUE_TEXT.replace("Robots learn", "Robots \x1b[31mlearn\x1b[0m\x07 \u202e").replace(
        "The tale itself.", "The tale \x1b]52;c;ZXZpbA==\x07itself."
    )
    [issue] = parse_bytes(text.encode())
    assert issue.sections[0].headline == "Robots learn to fold laundry"
    assert "The tale itself." in issue.sections[-1].text
    assert not any(ch in issue.sections[-1].text for ch in "\x1b\x07\u202e")


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        ("<?xml version='1.0'?><rss version='2.0'><channel></channel></rss>", "feed"),
        ("<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "feed"),
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", "webpage"),
        ("<p>a</p><p><strong>b</strong></p><br>", "html"),
        ("---\ntitle: x\n---\n**Head:**\n_…sub…_\n", "markdown"),
        ("_…an italic subtitle first…_\n**Head:**\n", "markdown"),  # a line start, no \n
        ("snake_case and _…not a line start…_\n**Head:**\n", "text"),
        (ISSUE_TEXT, "text"),
    ],
)
def test_detect_by_content(content: str, fmt: str) -> None:
    assert detect(content) == fmt


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02\x03binary\xff\xfe", "binary"),
        ("Import AI 5: x\n…".encode()[:-1], "truncated"),
        (
            b"<p><strong>Headline:<br></strong><em>\xe2\x80\xa6sub\xe2\x80\xa6</em>Body</p><p>cut",
            "truncated",
        ),
        (b"<rss><channel><item><title>Import AI 1: x</title>", "well-formed"),
        (
            b"<p>Just a page about cooking.</p><p>Add <b>salt</b>.</p><p>Stir.</p>",
            "no Import AI issue",
        ),
        (b"Dear diary,\n\nToday was fine.\n", "no Import AI issue"),
        (b"# Notes\n\n**Shopping:** eggs, [milk](https://example.org)\n", "no Import AI issue"),
    ],
)
def test_bad_input_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        parse_bytes(data)


STRAY = """Import AI 150: Robots; debate

Welcome to Import AI, subscribe here.

Programming note: Import AI will be off next week while I'm at a conference!

Cheaper robots are coming:
...Prices fall again...
Robots got cheaper.
Read more: Cheap robots (arXiv).

 * * * 

Debate helps models:
...Arguing makes answers better...
Debate works.
Read more: Debate (arXiv).

Ai2 releases a reading comprehension test:
The Allen Institute has released a test.
Get the test here: Test (GitHub).

Tech Tales:

The End
The tale. Things went on.
Things that inspired this story: endings.
"""


def test_found_by_stress_testing_unseen_shapes() -> None:
    [issue] = parse_bytes(STRAY.encode())
    assert [(s.kind, s.headline) for s in issue.sections] == [
        ("story", "Cheaper robots are coming"),  # the programming note is not a story
        ("story", "Debate helps models"),  # " * * * " is a break, not a bullet
        ("story", "Ai2 releases a reading comprehension test"),  # after "Read more:"
        ("tech_tale", "The End"),
    ]
    assert "* *" not in issue.sections[0].text
    md = STRAY.replace(" * * * ", "* * *").replace(
        "Debate helps models:\n...Arguing makes answers better...",
        "### Debate helps models\n_...Arguing makes answers better..._",
    )
    [from_md] = parse_bytes(("---\ntitle: x\n---\n" + md).encode())
    assert [s.headline for s in from_md.sections][:2] == [
        "Cheaper robots are coming",
        "Debate helps models",
    ]


def test_bold_lead_in_after_a_mid_story_link_stays_in_the_story() -> None:
    html = (
        "<p><strong>Debate works:<br></strong><em>…sub…<br></em>A model. "
        "<strong>Check out the demo here:</strong> <a href='https://x.org'>Demo</a>.<br><br>"
        "<strong>Results:</strong><br>The results are good.<br>"
        "<strong>Read more:</strong> <a href='https://arxiv.org/abs/1'>Paper</a>.</p>"
    )
    [issue] = parse_bytes(html.encode())
    assert [s.headline for s in issue.sections] == ["Debate works"]
    assert "Results:" in issue.sections[0].text


def test_reference_gates_are_sound() -> None:
    """The splitter runs a reference pattern only if its gate matches the lowered UTF-8
    text; that must hold wherever the pattern matches."""
    import itertools
    import re
    import sys

    from importai_tui.core import patterns as P

    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    for letter in "mportacl":
        found = set(re.findall(letter, every, re.IGNORECASE))
        assert found == {letter, letter.upper()}, letter
    assert set(re.findall("i", every, re.IGNORECASE)) == {"i", "I", "\u0130", "\u0131"}
    spaces = re.findall(r"\s", every)
    assert spaces == [c for c in every if c.isspace()]
    assert all(len(c.encode()) <= 3 and b"a" not in c.encode() for c in spaces)
    first = P.REFERENCE_GATES[0][1]
    for space, a, i in itertools.product(["", *spaces], "aA", "iI\u0130\u0131"):
        for word in ("Import", "IMPORT", "imPort"):
            text = f"see {word}{space}{a}{i} #12 now"
            assert P.REFERENCE_PATTERNS[0].search(text), repr(text)
            assert first.search(text.encode().lower()), repr(text)
    cases = [
        (1, "(#12)"),
        (1, "( #345 )"),
        (2, "jack-clark.net/2020/1/2/import-ai-5"),
        (2, "Jack-Clark.NET/2020/1/2/IMPORT-AI5"),
        (3, "importai.substack.com/p/import-ai-5"),
        (3, "IMPORTAI.SUBSTACK.COM/P/IMPORT-AI-5"),
    ]
    for k, text in cases:
        pattern, gate = P.REFERENCE_GATES[k]
        assert pattern.search(text) and gate.search(text.encode().lower()), text


@pytest.mark.parametrize(
    ("body", "numbers"),
    [
        ("As IMPORT ai #101 said.", [101]),
        ("As imPort\nAI\n\n102 said.", [102]),  # across lines of one paragraph, and paragraphs
        ("Nothing here mentions an issue, (# 12) or #13 or important 14.", []),
        ("See (#103) and ( #104 ).", [103, 104]),
        ("See https://jack-clark.net/2019/01/02/import-ai-105/ and", [105]),
        ("See HTTPS://IMPORTAI.SUBSTACK.COM/P/IMPORT-AI-106-x.", [106]),
        ("Ünïcödé text first … then Import AI No. 107 — “quoted”.", [107]),
    ],
)
def test_references_in_every_shape(body: str, numbers: list[int]) -> None:
    text = (
        f"Import AI 900: refs\n\nby Jack Clark\n\nA story:\n…A subtitle…\n{body}\nRead more: x.\n"
    )
    [issue] = parse_bytes(text.encode())
    assert issue.referenced_numbers == numbers
    assert all(r.section == 1 for r in issue.references)


def test_plain_text_lines_fold_every_kind_of_whitespace() -> None:
    from importai_tui.core.readers.text import text_to_blocks

    text = "a\u00a0b  c\u2009d \n   indented   line\u3000\n- bullet\u00a0 item  \nplain line\n"
    blocks = text_to_blocks(text)
    assert [b.text for b in blocks] == ["a b c d", "indented line", "bullet item", "plain line"]


def test_import_ai_references_found_where_they_can_start_are_all_of_them() -> None:
    import random

    from importai_tui.core import patterns as P
    from importai_tui.core.references import _find_all

    pattern = P.REFERENCE_PATTERNS[0]
    slots = [
        ["", "x", "_", "(", " ", "\n", "see ", "re", "7", "ImportAI 9"],
        ["Import", "IMPORT", "import", "\u0130mport", "\u0131mport", "Imp ort", "mport", "I"],
        ["", " ", "  ", "\u00a0", "\n", "-"],
        ["AI", "ai", "Ai", "A\u0130", "A", "AII", "AIImport"],
        ["", " ", "  ", "\t"],
        ["", "#", "No.", "no ", "issue", "Issue  ", "##"],
        ["", " ", "\u2009"],
        ["12", "345", "6789", "12345", "\u0663\u0664", "x1", ""],
        ["", "x", " ", ".", "Import AI 5", "import ai #77"],
    ]
    rnd = random.Random(7)
    hits = 0
    for _ in range(30_000):
        text = "".join(rnd.choice(slot) for slot in slots for _ in range(rnd.choice((1, 1, 1, 2))))
        expected = pattern.findall(text)
        hits += bool(expected)
        assert _find_all(pattern, text) == expected, repr(text)
    assert hits > 2_000  # 2,299 with this seed: the generator makes real matches often


def _first_elements(items: list[Any]) -> tuple[set[str], bool]:
    """The literal characters and whether a digit (\\d) can start a match of a parsed
    expression's ``items`` (leading whitespace and anchors skipped)."""
    from re import _constants as C  # type: ignore[attr-defined]

    op, arg = items[0]
    space = [(C.IN, [(C.CATEGORY, C.CATEGORY_SPACE)])]
    if op == C.AT or (op == C.MAX_REPEAT and arg[0] == 0 and list(arg[2]) == space):
        return _first_elements(items[1:])
    if op == C.LITERAL:
        return {chr(arg)}, False
    if op == C.BRANCH:
        chars: set[str] = set()
        digit = False
        for branch in arg[1]:
            more, d = _first_elements(list(branch))
            chars |= more
            digit |= d
        return chars, digit
    if op == C.MAX_REPEAT and arg[0] >= 1:
        return _first_elements(list(arg[2]))
    if op == C.IN and arg == [(C.CATEGORY, C.CATEGORY_DIGIT)]:
        return set(), True
    raise AssertionError(f"unexpected first element {op} {arg}")


def test_first_character_gates_let_every_match_through() -> None:
    """The splitter tries BOILERPLATE, TITLE and CLOSING_LINE only on lines whose first
    character (after any whitespace) passes their gate; every character a match can start
    with must."""
    import re
    import sys
    from re import _parser  # type: ignore[attr-defined]

    from importai_tui.core import patterns as P

    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    assert re.findall(r"\d", every) == [c for c in every if c.isdecimal()]
    gated = (
        (P.BOILERPLATE, P.BOILERPLATE_FIRST),
        (P.TITLE, P.TITLE_FIRST),
        (P.CLOSING_LINE, P.CLOSING_FIRST),
    )
    for pattern, gate in gated:
        chars, digit = _first_elements(list(_parser.parse(pattern.pattern, pattern.flags)))
        assert digit == (pattern is P.BOILERPLATE)
        folds = {c for ch in chars for c in re.findall(re.escape(ch), every, re.IGNORECASE)}
        assert folds == set(gate), pattern.pattern


def test_references_in_parts_joined_by_nul_are_those_of_each_part() -> None:
    """section_refs looks for references in a section's headline, subtitle, link targets
    and text joined by NULs, in one call per pattern: no match may span two parts."""
    import random

    from importai_tui.core import patterns as P

    pieces = ["Import AI", "Import", "AI", " ", "\n", "#", "(#", "(", ")", "12", "345", "(#12)",
              "#345)", "( #", "Import AI 7",
              "No.", "issue", "jack-clark.net/2020/1/2/import-ai-", "x", "\u0130mport",
              "importai.substack.com/p/import-ai-", "\u00a0", "\0"]  # fmt: skip
    rnd = random.Random(11)
    hits = [0] * len(P.REFERENCE_PATTERNS)
    for _ in range(20_000):
        parts = ["".join(rnd.choices(pieces, k=rnd.randint(0, 4))) for _ in range(3)]
        for k, pattern in enumerate(P.REFERENCE_PATTERNS):
            each = {m for part in parts for m in pattern.findall(part)}
            assert set(pattern.findall("\0".join(parts))) == each, (parts, pattern.pattern)
            hits[k] += bool(each)
    assert min(hits) > 150  # real matches of every pattern, often (190 with this seed)

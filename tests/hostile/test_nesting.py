"""HTML nested deeper than browsers nest it is flattened before parsing, losing no text.

The tree builder's time grows with the square of the depth (80,000 nested <div>: 13 s), so
readers.nesting caps the depth at MAX_DEPTH, as Blink and WebKit do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from tests.conftest import CORPUS

from importai_tui.core.readers.html import html_to_blocks
from importai_tui.core.readers.nesting import MAX_DEPTH, cap_nesting


def depth(html: str) -> int:
    """How deep the parsed tree of ``html`` nests."""
    deepest = 0
    stack = [(LexborHTMLParser(html).root, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        child = node.child if node is not None else None
        while child is not None:
            stack.append((child, level + 1))
            child = child.next
    return deepest


DEEP = {
    "<div>": lambda n: "<div>" * n + "<p>end</p>" + "</div>" * n,
    "<ul><li>": lambda n: "<ul><li>x" * n,
    "<b><i>": lambda n: "<b><i>x" * n,
    "<span> with attributes": lambda n: '<span class="a>b" title=x>' * n + "end",
}


@pytest.mark.parametrize("shape", list(DEEP))
def test_deep_html_is_capped_and_keeps_its_text(shape: str) -> None:
    html = "<p>Import AI 5: x</p>" + DEEP[shape](5 * MAX_DEPTH)
    capped = cap_nesting(html)
    assert depth(capped) <= MAX_DEPTH + 8, depth(capped)  # html, body and the like on top
    words = lambda h: "".join(b.text for b in html_to_blocks(h, strict=False))  # noqa: E731
    assert words(capped).replace(" ", "") == words(html).replace(" ", "")


SHALLOW = {
    "unclosed paragraphs": "<p>a" * 2000,
    "unclosed list items": "<ul>" + "<li>a" * 2000 + "</ul>",
    "unclosed cells": "<table>" + "<tr><td>a<td>b" * 1000 + "</table>",
    "paragraphs holding spans": "<p><span>a" * 2000,
    "tags inside scripts and comments": "<script>"
    + "<div>" * 2000
    + "</script><!--"
    + "<div>" * 2000
    + "--><p>a</p>",
    "a long flat document": "<div><p>a <b>b</b> <a href=x>c</a></p></div>" * 2000,
}


@pytest.mark.parametrize("case", list(SHALLOW))
def test_html_nested_as_browsers_nest_it_is_left_as_it_is(case: str) -> None:
    html = SHALLOW[case]
    assert cap_nesting(html) is html


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.html")), ids=lambda p: p.name)
def test_the_corpus_is_left_as_it_is(path: Path) -> None:
    html = path.read_text()
    assert cap_nesting(html) is html

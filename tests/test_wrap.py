"""The reading pane's wrapping: the same breaks as rich, the same lines as Textual's Content."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line
from rich.cells import get_character_cell_size
from rich.style import Style as RichStyle
from rich.text import Text
from tests.conftest import CORPUS
from textual.content import Content
from textual.geometry import Offset
from textual.selection import Selection
from textual.style import Style

from importai_tui.ui.wrap import ONE_CELL_RANGES, WrappedText, breaks, divide, split_lines

# letters, one-cell punctuation, every kind of space rich parts words at, wide and
# zero-width characters (which take rich's own path), and long runs of each
PIECES = ["a", "bc", "defghij", " ", "  ", "\xa0", "\t", "—", "“", "é", "漢", "字", "e\u0301", "…"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=3000, deadline=None)
@given(texts, st.integers(min_value=1, max_value=30))
def test_breaks_are_rich_s(text: str, width: int) -> None:
    assert breaks(text, width) == divide_line(text, width, fold=True)


def test_no_width_no_breaks() -> None:
    assert breaks("some words", 0) == [] == breaks("漢字", -1)


def test_breaks_are_rich_s_on_the_corpus() -> None:
    paragraphs = [
        line
        for path in sorted(CORPUS.iterdir())
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    ]
    assert len(paragraphs) > 500
    for width in (1, 7, 40, 79, 96):
        for paragraph in paragraphs:
            assert breaks(paragraph, width) == divide_line(paragraph, width), (width, paragraph)


def test_the_quick_path_s_characters_are_one_cell_each() -> None:
    for first, last in ONE_CELL_RANGES:
        for code in range(first, last + 1):
            character = chr(code)
            assert get_character_cell_size(character) == 1, hex(code)
            assert not character.isspace() or character == " ", hex(code)


def page() -> Content:
    text = Text()
    for i in range(12):
        text.append(f"Heading {i}\n", style="bold")
        text.append(f"“Quoted” words and a link {i} ", style="italic")
        text.append("https://example.com/" + "x" * (30 + i), style=RichStyle(underline=True))
        text.append(" then 漢字 wide text, a tab\tand more words. " * (i % 4))
        text.append("\n\n  • an indented item\n")
    return Content.from_rich_text(text)


def formatted(lines: list, style: Style) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
    return [(ln.x, ln.y, ln.line_end, ln.to_strip(style)) for ln in lines]


def test_wrapped_lines_are_content_s_lines() -> None:
    content = page()
    style = Style()
    selection = Selection(Offset(2, 3), Offset(5, 9))
    for width in (9, 33, 80):
        for options in ({}, {"selection": selection, "selection_style": Style(reverse=True)}):
            expected = content._wrap_and_format(width, get_style=Style.parse, **options)
            wrapped = WrappedText(content, width, Style.parse, **options)
            assert wrapped.height == len(expected)
            assert formatted(wrapped.lines(0, wrapped.height), style) == formatted(expected, style)
            # any window, asked for in any order, is the same slice
            for start in range(0, wrapped.height, 7):
                window = wrapped.lines(start, start + 11)
                assert formatted(window, style) == formatted(expected[start : start + 11], style)
            assert wrapped.lines(wrapped.height, wrapped.height + 5) == []


def pieces(contents: list[Content]) -> list[tuple[str, list[object], int]]:
    return [(c.plain, list(c.spans), c.cell_length) for c in contents]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2000), max_size=12))
def test_divide_and_split_are_content_s(cuts: list[int]) -> None:
    content = page()
    offsets = sorted({min(cut, len(content.plain)) for cut in cuts} | set(cuts[:2]))
    assert pieces(divide(content, offsets)) == pieces(content.divide(offsets))
    assert pieces(split_lines(content)) == pieces(content.split(allow_blank=True))
    # one paragraph of one-cell characters, as the reading pane divides its lines
    plain = content.plain.replace("漢字", "ab").replace("\t", " ").replace("\n", " ")
    narrow = Content(plain, list(content.spans))
    assert pieces(divide(narrow, offsets, one_cell=True)) == pieces(narrow.divide(offsets))

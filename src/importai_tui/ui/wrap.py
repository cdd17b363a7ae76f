"""A page's text wrapped to a width: every line's position known, lines formatted when drawn.

Textual's ``Content`` wraps a whole text at once, formatting every line, and finds its
line breaks with rich's ``divide_line``, word by word. Opening a long section then spends
4 ms wrapping lines of which a screenful is drawn. Here the breaks come from
:func:`breaks` (the same positions as ``divide_line``, found a line at a time for text of
one-cell characters), and a paragraph's lines are formatted the first time one is drawn.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import pairwise

from rich._wrap import divide_line
from rich.cells import get_character_cell_size
from textual.content import Content, Span, _FormattedLine
from textual.selection import Selection
from textual.style import Style

TAB_SIZE = 8
# Characters one cell wide (by rich's tables) that make up most newsletter text: ASCII,
# Latin, Greek and Cyrillic letters, dashes, quotes, bullets, arrows, box drawing.
ONE_CELL_RANGES = (
    (0x20, 0x7E),
    (0xA1, 0xAC),
    (0xAE, 0x2FF),
    (0x370, 0x482),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x2190, 0x21FF),
    (0x2500, 0x25FC),
)
_ONE_CELL_TEXT = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ONE_CELL_RANGES) + "]*")


def breaks(text: str, width: int) -> list[int]:
    """Where to break ``text`` (one paragraph) to fit ``width`` cells, folding words
    longer than the width: exactly what ``rich._wrap.divide_line(text, width)`` returns
    (for a width of at least 1)."""
    if width < 1:
        return []  # nothing fits (rich's own divide_line fails on a width of 0)
    text = text.replace("\xa0", " ")  # rich parts words at no-break spaces too
    if not _one_cell_each(text):
        return divide_line(text, width, fold=True)
    found: list[int] = []
    n = len(text)
    first = _next_word(text, 0)  # the first word keeps the spaces before it
    if first == n:
        return found  # no word at all
    start = 0  # where the current line starts
    while n - start > width:
        limit = start + width  # text[limit] is the first character past the line
        if start == 0 and first >= limit:
            word = 0  # the spaces before the first word fill the line
        elif text[limit] == " ":
            word = _next_word(text, limit)  # the words ending before the limit fit
            if word == n:
                break  # only spaces are left: they end the last line
        else:
            space = text.rfind(" ", start, limit)
            word = space + 1  # the word across the limit goes to the next line...
            if space < start or (start == 0 and first > space):
                word = start  # ...unless it starts the line: a word longer than a line
        if word > start:
            found.append(word)
            start = word
            continue
        # fold the long word, with the spaces after it, into lines of ``width`` cells
        end = _next_word(text, _space_after(text, first if start == 0 else start))
        while start + width < end:
            start += width
            found.append(start)
    return found


def _next_word(text: str, position: int) -> int:
    """The first character from ``position`` on that is not a space (or the length)."""
    return len(text) - len(text[position:].lstrip(" "))


def _space_after(text: str, position: int) -> int:
    """The first space from ``position`` on (or the length)."""
    space = text.find(" ", position)
    return len(text) if space < 0 else space


def _one_cell_each(text: str) -> bool:
    """Whether every character of ``text`` is one cell wide and the only space is " "
    (so a position in the text is a position on screen, and words part at " ")."""
    if _ONE_CELL_TEXT.fullmatch(text):
        return True
    return all(_simple(character) for character in set(text))


@lru_cache(maxsize=4096)
def _simple(character: str) -> bool:
    if character.isspace():
        return character == " "
    return get_character_cell_size(character) == 1 and character not in "\u200d\ufe0f"


class WrappedText:
    """``content`` wrapped to ``width`` as ``Content._wrap_and_format`` wraps it (left
    aligned, folding long words), its lines formatted a paragraph at a time when asked."""

    def __init__(
        self,
        content: Content,
        width: int,
        get_style: Callable[[str | Style], Style],
        selection: Selection | None = None,
        selection_style: Style | None = None,
        post_style: Style | None = None,
    ) -> None:
        self.width = width
        self._get_style = get_style
        self._selection = selection
        self._selection_style = selection_style
        self._post_style = post_style
        self._paragraphs = split_lines(content)
        plains = [p.expand_tabs(TAB_SIZE).plain for p in self._paragraphs]
        self._breaks = [breaks(plain, width) for plain in plains]
        self._one_cell = [_one_cell_each(plain.replace("\xa0", " ")) for plain in plains]
        self._first: list[int] = []  # the first line of each paragraph
        height = 0
        for found in self._breaks:
            self._first.append(height)
            height += len(found) + 1
        self.height = height
        self._formatted: dict[int, list[_FormattedLine]] = {}

    def lines(self, start: int, end: int) -> list[_FormattedLine]:
        """Lines ``start`` up to ``end`` (fewer at the end of the text)."""
        end = min(end, self.height)
        if start >= end:
            return []
        first = bisect_right(self._first, start) - 1
        last = bisect_right(self._first, end - 1) - 1
        lines: list[_FormattedLine] = []
        for y in range(first, last + 1):
            lines.extend(self._paragraph(y))
        offset = start - self._first[first]
        return lines[offset : offset + end - start]

    def _paragraph(self, y: int) -> list[_FormattedLine]:
        formatted = self._formatted.get(y)
        if formatted is None:
            formatted = self._formatted[y] = self._format(y)
        return formatted

    def _format(self, y: int) -> list[_FormattedLine]:
        """As ``Content._wrap_and_format`` formats one line of its text (with wrapping)."""
        line = self._paragraphs[y]
        if self._post_style is not None:
            line = line.stylize(self._post_style)
        if self._selection_style is not None and self._selection is not None:
            span = self._selection.get_span(y)
            if span is not None:
                start, end = span
                end = len(line.plain) if end == -1 else end
                line = line.stylize(self._selection_style, start, end)
        line = line.expand_tabs(TAB_SIZE)  # after styling, whose offsets count a tab as one
        offsets = self._breaks[y]
        width = self.width
        one_cell = self._one_cell[y]
        parts = divide(line, offsets, one_cell=one_cell)
        cut = [_rstrip(part, one_cell).truncate(width) for part in parts[:-1]]
        cut.append(parts[-1].truncate(width))
        lines = [
            _FormattedLine(self._get_style, part.rstrip_end(width), width, x, y)
            for part, x in zip(cut, [0, *offsets], strict=True)
        ]
        lines[-1].line_end = True
        return lines


def split_lines(content: Content) -> list[Content]:
    """What ``content.split(allow_blank=True)`` returns (via :func:`divide`)."""
    text = content.plain
    if "\n" not in text:
        return [content]
    cuts = [cut for m in re.finditer("\n", text) for cut in m.span()]
    return [line for line in divide(content, cuts) if line.plain != "\n"]


def divide(content: Content, offsets: Sequence[int], *, one_cell: bool = False) -> list[Content]:
    """What ``content.divide(offsets)`` returns, without stripping control codes from
    every piece again (a ``Content`` has none: they go when it is made; on text with
    curly quotes that costs about 1 ms a pass over a long section), and with each piece's
    cell length known when every character is ``one_cell`` wide."""
    if not offsets:
        return [content]
    text = content.plain
    length = len(text)
    bounds = [0, *sorted(offsets), length]
    spans: list[list[Span]] = [[] for _ in bounds[1:]]
    for start, end, style in content.spans:
        if start >= length:
            continue
        end = min(end, length)
        line = bisect_right(bounds, start) - 1
        while line < len(spans) and bounds[line] < end:
            line_start, line_end = bounds[line], bounds[line + 1]
            new_start, new_end = max(0, start - line_start), min(end, line_end) - line_start
            if new_end > new_start:
                spans[line].append(Span(new_start, new_end, style))
            line += 1
    pieces = []
    for (start, end), piece_spans in zip(pairwise(bounds), spans, strict=True):
        piece = text[start:end]
        cells = len(piece) if one_cell else None
        pieces.append(Content(piece, piece_spans, cells, strip_control_codes=False))
    return pieces


def _rstrip(content: Content, one_cell: bool) -> Content:
    """``content.rstrip()``, as :func:`divide` makes its pieces."""
    text = content.plain.rstrip()
    end = len(text)
    spans = [
        span if span.end < end else Span(span.start, min(end, span.end), span.style)
        for span in content.spans
        if span.start < end
    ]
    return Content(text, spans, end if one_cell else None, strip_control_codes=False)

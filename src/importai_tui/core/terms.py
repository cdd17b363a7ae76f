"""The words of a full-text query, and which of them match as the start of a word.

Every word must occur. A word typed with a '*' after it ("robot*") also matches the words
it starts (robots, robotics); so does the last word while it is being typed, once it has
MIN_PREFIX letters: a search shows what the letters so far start. The search narrows that
last word to itself, though, once it is a whole word so common that the words it starts
would cost more than they add (see fulltext.COMMON).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# As a prefix, a letter or two match most of the index, and FTS5 merges the lists of every
# word they start before anything can stop it: at 10,000 issues 's*' took 1.7 s, 'th*'
# 0.8 s, 'syn*' 0.06 s. Shorter words are searched as whole words, '*' or not.
MIN_PREFIX = 3

_WORD = re.compile(r"(\w+)(\*?)")


@dataclass(frozen=True)
class Term:
    """A word of a query, and whether it also matches the words it starts."""

    word: str
    prefix: bool


@dataclass(frozen=True)
class Query:
    """A query's terms, and whether its last word's prefix was the typing's (no '*')."""

    terms: tuple[Term, ...]
    typed_prefix: bool  # the last term is a prefix only because it is the last

    def narrowed(self) -> Query:
        """The query with its typed prefix searched as the whole word."""
        *rest, last = self.terms
        return Query((*rest, Term(last.word, False)), False)


def parse(query: str) -> Query:
    """The words of ``query`` (runs of letters and digits) and which are prefixes."""
    found = _WORD.findall(query)
    terms = [Term(w, bool(star) and len(w) >= MIN_PREFIX) for w, star in found]
    typed = bool(terms) and not found[-1][1] and len(terms[-1].word) >= MIN_PREFIX
    if typed:
        terms[-1] = Term(terms[-1].word, True)
    return Query(tuple(terms), typed)


def expression(terms: Sequence[Term]) -> str:
    """A safe FTS5 query for ``terms``: each quoted, every one required."""
    return " AND ".join(f'"{t.word}"' + ("*" if t.prefix else "") for t in terms)

"""Fuzzy jump: a typo-tolerant, per-word matcher over section headlines and subtitles.

Each query word is matched against the vocabulary of words that occur in headlines and
subtitles (exact prefix, misspelt word, misspelt prefix, infix), using rapidfuzz's C scorers.
An inverted index then carries those word scores to the sections holding the words, so a
query costs about the number of sections containing a matching word. A section's score is
the mean of its best score for each query word; the best hundred or so are reranked with a
small bonus for headlines holding the words in query order. The character spans the UI
highlights are found only for the results it draws, when it first asks for them.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from importai_tui.core.topk import top, within_reach
from importai_tui.core.vocabulary import Vocabulary

if TYPE_CHECKING:
    from importai_tui.core.library import Library

# Combining accents belong to the word they decorate, even in text that was never NFC'd.
WORD = re.compile(r"\w[\w\u0300-\u036f]*")
CUTOFF = 75.0  # rapidfuzz score a vocabulary word needs to count as a match at all
PREFIX_SCORE = 97.0  # an exact prefix of a longer word, which must still lose to the word
FUZZY_PREFIX_PENALTY, INFIX_PENALTY = 3.0, 8.0
SUBTITLE_WEIGHT = 0.85  # a subtitle word counts a little less than a headline word
ORDER_BONUS, ADJACENT_BONUS = 1.0, 2.0  # small: they order equals, never beat a better match
MAX_BONUS = ORDER_BONUS + ADJACENT_BONUS
RERANK = 100  # most candidates rescored with word positions, in Python
VOCAB_LIMIT = 300  # most vocabulary words a query word matches fuzzily, per way of matching
CACHE_SIZE = 256  # query words whose vocabulary matches are remembered while the user types

Spans = tuple[tuple[int, int], ...]
_Query = tuple[list[str], list["_WordMatches"]]  # a query's words and their vocabulary matches


@dataclass(frozen=True)
class Entry:
    """One section as the fuzzy jump sees it."""

    issue_id: str
    number: int | None
    section: int  # 1-based index within the issue
    kind: str  # "story" | "tech_tale"
    headline: str
    subtitle: str  # "" when none


class Match:
    """A ranked result with the character spans that matched (read-only).

    The spans are found on first use: most results are never drawn (those of the command
    palette and the notes filter, the jump's rows nobody scrolls to), and aligning them costs
    more than ranking them. A plain class with slots: a query makes fifty of them, and a
    frozen dataclass (or a functools.partial for the spans) costs several times as much.
    """

    __slots__ = ("entry", "score", "_index", "_eid", "_query", "_spans")

    def __init__(
        self, entry: Entry, score: float, index: HeadlineIndex, eid: int, query: _Query
    ) -> None:
        self.entry = entry
        self.score = score  # 0..100
        self._index, self._eid, self._query = index, eid, query
        self._spans: tuple[Spans, Spans] | None = None

    def __repr__(self) -> str:
        return f"Match({self.entry!r}, score={self.score!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Match):
            return NotImplemented
        return (self.entry, self.score) == (other.entry, other.score)

    def __hash__(self) -> int:
        return hash((self.entry, self.score))

    @property
    def headline_spans(self) -> Spans:
        """The matched characters of the headline, sorted and disjoint."""
        return self._found_spans()[0]

    @property
    def subtitle_spans(self) -> Spans:
        """The matched characters of the subtitle, sorted and disjoint."""
        return self._found_spans()[1]

    def _found_spans(self) -> tuple[Spans, Spans]:
        if self._spans is None:
            self._spans = self._index._spans(self._eid, *self._query)
        return self._spans


@dataclass(frozen=True)
class _WordMatches:
    """The vocabulary words that one query word matches."""

    scores: dict[str, float]
    partial: frozenset[str]  # matched by a part only (misspelt prefix, infix): align a window
    initial: str = ""  # a lone letter: every word starting with it matches, found by initial


def fold(text: str) -> str:
    """``text`` casefolded and without accents, so that "Émile" and "emile" compare equal."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold_words(text: str, folded: dict[str, str]) -> tuple[str, ...]:
    """The folded words of ``text``, in order, folding each new token once into ``folded``."""
    tokens = WORD.findall(text)
    new = set(tokens).difference(folded)
    folded.update(zip(new, map(fold, new), strict=True))
    return tuple(map(folded.__getitem__, tokens))


class HeadlineIndex:
    """Every section headline and subtitle, indexed by word for fuzzy, per-word matching.

    Immutable once built, apart from a cache of word matches, so ``match`` may run in
    several threads at once (a cancelled worker finishing while the next one starts).
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        # Ids follow the tie-break order (newer issue first, then section): lower id wins a tie.
        self._entries = sorted(
            entries, key=lambda e: (e.number is None, -(e.number or 0), e.section)
        )
        # Each section's folded headline and subtitle words, in order, and its ids by word.
        folded: dict[str, str] = {}
        fields = [
            (_fold_words(e.headline, folded), _fold_words(e.subtitle, folded))
            for e in self._entries
        ]
        # A query comes after a keystroke's worth of other work, when little of the index
        # is in the CPU's caches: what it reads is made afresh, side by side in memory (the
        # words shortest first, as the vocabulary filter reads them; the ids in order),
        # rather than strewn among the objects made while folding.
        words = sorted(set(folded.values()), key=lambda w: (len(w), w))
        packed = dict(zip(words, ["".join((w, "")) for w in words], strict=True))
        ids = list(range(len(self._entries)))
        # (the old tuples and lists are let go as their copies are made: the build's peak
        # memory stays that of one copy)
        fields.reverse()
        self._words: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        while fields:
            h, s = fields.pop()
            self._words.append(
                (tuple(map(packed.__getitem__, h)), tuple(map(packed.__getitem__, s)))
            )
        growing: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        for eid, pair in zip(ids, self._words, strict=True):
            for by_word, field in zip(growing, pair, strict=True):
                for word in set(field) - {""}:  # "ﾞ" folds to nothing
                    by_word.setdefault(word, []).append(eid)
        head, sub = ({w: by.pop(w)[:] for w in packed.values() if w in by} for by in growing)
        self._postings = (head, sub)
        # Sections by the first letters of their words: what a lone typed letter matches, at
        # query time in one pass instead of a pass over the lists of hundreds of words.
        self._initials: tuple[dict[str, list[int]], ...] = ({}, {})
        for postings, initials in zip(self._postings, self._initials, strict=True):
            by_letter: dict[str, list[list[int]]] = {}
            for word, ids in postings.items():
                by_letter.setdefault(word[0], []).append(ids)
            for letter, lists in by_letter.items():
                initials[letter] = list(set(chain.from_iterable(lists)))
        vocab = self._postings[0].keys() | self._postings[1].keys()
        self._vocab = Vocabulary(vocab, CUTOFF, VOCAB_LIMIT)
        self._cache: dict[str, _WordMatches] = {}

    @classmethod
    def from_library(cls, library: Library) -> HeadlineIndex:
        """An index of every section in ``library``."""
        return cls([Entry(i, n, s, k, h, sub or "") for i, n, s, k, h, sub in library.headlines()])

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, query: str, limit: int = 50) -> list[Match]:
        """The ``limit`` best sections for ``query``, best first."""
        words = [w for w in map(fold, WORD.findall(query)) if w]
        if not words or limit <= 0:
            return []
        found = [self._word_matches(w) for w in words]
        bests = sorted(map(self._best_per_entry, found), key=len, reverse=True)
        total = bests[0]
        every: set[int] = set()  # the sections matching every query word
        for i, best in enumerate(bests[1:]):
            # summed in Python only where the sections overlap: the rest is a dict update
            shared = best.keys() & total.keys()
            sums = [(eid, total[eid] + best[eid]) for eid in shared]
            total.update(best)
            total.update(sums)
            every = shared if i == 0 else every & shared
        if not total:
            return []
        n = len(words)
        pool = top(total, limit) if n == 1 else within_reach(total, limit, MAX_BONUS * n, RERANK)
        # The bonus wants every query word in the headline: only those sections are looked
        # at. (A word scores at most 100: only a bonus can take a section past it.)
        ranked = sorted(self._scored(pool, total, every, found, n))
        asked = (words, found)
        return [Match(self._entries[eid], -neg, self, eid, asked) for neg, eid in ranked[:limit]]

    def _word_matches(self, q: str) -> _WordMatches:
        """The vocabulary words that query word ``q`` matches, with their scores."""
        if (cached := self._cache.get(q)) is not None:
            return cached
        scores: dict[str, float] = {}
        partial: set[str] = set()

        def offer(word: str, score: float, by_part: bool) -> None:
            if score > scores.get(word, 0.0):
                scores[word] = score
                if by_part:
                    partial.add(word)
                else:
                    partial.discard(word)

        def stretch(word: str) -> float:
            return min(8.0, 0.5 * (len(word) - len(q)))  # "gen" is more "gene" than "generative"

        if len(q) == 1:  # one letter says nothing of the word's length
            scores = dict.fromkeys(self._vocab.starting_with(q), PREFIX_SCORE)
            if q in scores:
                scores[q] = 100.0  # the word "a" itself
            return self._remember(q, _WordMatches(scores, frozenset(), initial=q))
        # Every word with the prefix: most are rare, and the common ones must not be cut off.
        for word in self._vocab.starting_with(q):
            offer(word, 100.0 if word == q else PREFIX_SCORE - stretch(word), False)
        if len(q) > 2:  # one or two letters are too little to guess a typo from
            for word, score in _extract(q, self._vocab.near(q), fuzz.ratio):
                offer(word, score, False)
            # partial_ratio is the slow scorer: only longer words sharing the first letter,
            # where it finds misspelt prefixes ("distrbut" -> "distributed").
            for word, score in _extract(q, self._vocab.longer_with_initial(q), fuzz.partial_ratio):
                offer(word, score - FUZZY_PREFIX_PENALTY - stretch(word), True)
            for word in self._vocab.containing(q):
                offer(word, 100.0 - INFIX_PENALTY - stretch(word), True)
        return self._remember(q, _WordMatches(scores, frozenset(partial)))

    def _remember(self, q: str, found: _WordMatches) -> _WordMatches:
        """``found`` for query word ``q``, kept for the next keystrokes."""
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[q] = found
        return found

    def _best_per_entry(self, found: _WordMatches) -> dict[int, float]:
        """Each section's best score for one query word, over headline and subtitle words."""
        pairs: list[tuple[float, list[int]]] = []
        # For a lone letter, the word itself; the initials list stands for all the others.
        scored = [(found.initial, 100.0)] if found.initial else found.scores.items()
        for field, weight in enumerate((1.0, SUBTITLE_WEIGHT)):
            get = self._postings[field].get
            pairs += [(score * weight, ids) for word, score in scored if (ids := get(word))]
            if found.initial and (ids := self._initials[field].get(found.initial)):
                pairs.append((PREFIX_SCORE * weight, ids))
        pairs.sort(key=itemgetter(0))
        best: dict[int, float] = {}
        for score, ids in pairs:  # ascending, so every section ends with its best; in C
            best.update(zip(ids, repeat(score)))
        return best

    def _scored(
        self,
        pool: list[int],
        total: dict[int, float],
        every: set[int],
        found: list[_WordMatches],
        n: int,
    ) -> list[tuple[float, int]]:
        """(minus the rounded score, id) for each section of ``pool``: its mean word score, with
        a bonus for a headline holding every query word in query order, more if side by side.

        One loop with the bonus inline: a call per section cost as much as the bonus itself.
        """
        heads = self._words
        scores = [f.scores for f in found]
        out = []
        for eid in pool:
            x = total[eid] / n
            if eid in every:
                words = heads[eid][0]
                last = first = -1
                for by_word in scores:
                    # The headline's best word for this query word (the first of equals),
                    # found through the few words the two share rather than by scoring each.
                    shared = by_word.keys() & words
                    if len(shared) == 1:
                        (word,) = shared
                        at = words.index(word)
                    elif shared:
                        best = max(map(by_word.__getitem__, shared))
                        at = min(words.index(w) for w in shared if by_word[w] == best)
                    else:
                        break
                    if at <= last:
                        break
                    if first < 0:
                        first = at
                    last = at
                else:  # in order; side by side when the positions leave no gap
                    adjacent = last - first == n - 1
                    bonus = ORDER_BONUS + (ADJACENT_BONUS if adjacent else 0.0)
                    x = min(100.0, x + bonus)  # (added as one number, as it always was)
            # round(x, 1) goes through a decimal string (two thirds of a microsecond): unless
            # 10x is within a hair of a half, the nearest integer of 10x over 10 is the same
            # float, as both are the float nearest the one-decimal number.
            y = x * 10.0
            k = (y + 0.5) // 1.0
            out.append((-(k / 10.0) if abs(y - k) < 0.4999 else -round(x, 1), eid))
        return out

    def _spans(self, eid: int, words: list[str], found: list[_WordMatches]) -> tuple[Spans, Spans]:
        """The spans of the characters of a section's headline and subtitle that matched."""
        entry = self._entries[eid]
        texts, folded = (entry.headline, entry.subtitle), self._words[eid]
        spans: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
        for q, f in zip(words, found, strict=True):
            # The same choice the index made: the best word, the headline winning ties.
            field_scores = [list(map(f.scores.get, field, repeat(0.0))) for field in folded]
            head, sub = (max(scores, default=0.0) for scores in field_scores)
            if head == sub == 0.0:
                continue
            field = 0 if head >= sub * SUBTITLE_WEIGHT else 1
            at = field_scores[field].index(sub if field else head)
            word = next(islice(WORD.finditer(texts[field]), at, None))
            spans[field].extend(_aligned(q, word, folded[field][at] in f.partial))
        return _merge(spans[0]), _merge(spans[1])


def _extract(q: str, words: list[str], scorer: Callable[..., float]) -> list[tuple[str, float]]:
    """The ``VOCAB_LIMIT`` words scoring at least ``CUTOFF``, ties going alphabetically (each
    word once, however often it comes)."""
    hits = process.extract(q, words, scorer=scorer, score_cutoff=CUTOFF, limit=None)
    found = list(dict((word, score) for word, score, _ in hits).items())
    if len(found) > VOCAB_LIMIT:
        found = heapq.nsmallest(VOCAB_LIMIT, found, key=lambda f: (-f[1], f[0]))
    return found


def _aligned(q: str, word: re.Match[str], partial: bool) -> list[tuple[int, int]]:
    """Spans, in the original text, of the characters of ``word`` that line up with ``q``."""
    token = word.group()
    folded = token.lower()
    origin: Sequence[int] = range(len(token))
    if not token.isascii():
        chars = [fold(c) for c in token]
        folded = "".join(chars)
        # Which original character each folded one came from: "ß" folds to two, accents to none.
        origin = [i for i, f in enumerate(chars) for _ in f]
    lo, hi = 0, len(folded)
    window = fuzz.partial_ratio_alignment(q, folded) if partial else None
    if window is not None:
        # Align within the best window (or letters scatter over a long word), leaving room
        # for a couple of letters the typist skipped ("distrbut" in "distributional").
        lo, hi = window.dest_start, window.dest_end + 2
    spans = []
    for op in Indel.opcodes(q, folded[lo:hi]):
        if op.tag == "equal":
            first, last = origin[lo + op.dest_start], origin[lo + op.dest_end - 1]
            spans.append((word.start() + first, word.start() + last + 1))
    return spans


def _merge(spans: list[tuple[int, int]]) -> Spans:
    """Sorted, non-overlapping spans, touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)

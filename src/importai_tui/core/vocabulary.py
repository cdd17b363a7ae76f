"""The words of the fuzzy jump's headlines, arranged so that a query word's candidates are
found without scoring the whole vocabulary.

rapidfuzz scores a word in tens of nanoseconds once it is in the CPU's caches, but a query
comes after a keystroke's worth of other work, when the word objects are not: reading them
then costs more than scoring them. So the candidates handed to rapidfuzz are cut down first, with
bounds that can only leave out words that could not reach the cutoff anyway.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from itertools import accumulate, chain


class Vocabulary:
    """Distinct words (non-empty), by prefix, infix, length and opening letters."""

    def __init__(self, words: set[str], cutoff: float, limit: int) -> None:
        self.cutoff, self.limit = cutoff, limit
        self.words = sorted(words)
        # One newline-joined string lets str.find look for infixes in C.
        self._joined = "\n".join(self.words)
        self._starts = list(accumulate((len(w) + 1 for w in self.words), initial=0))
        # By first letter then length (alphabetical within a length).
        by_initial: dict[str, list[str]] = {}
        # A word close enough to a query word shares a letter with it near the start of
        # both: by (length, letter), the words holding the letter in their first few
        # letters, in the order of where it first comes.
        openings: dict[tuple[int, str], list[tuple[int, str]]] = {}
        depths: dict[int, int] = {}
        for word in sorted(self.words, key=len):
            by_initial.setdefault(word[0], []).append(word)
            n = len(word)
            if (depth := depths.get(n)) is None:
                depth = depths[n] = self._depth(n)
            first: dict[str, int] = {}
            for i, c in enumerate(word[: depth + 1]):
                first.setdefault(c, i)
            for c, i in first.items():
                openings.setdefault((n, c), []).append((i, word))
        # Looked up by letter, then by length: a one-letter string and a small int are the
        # very objects the keys are, so a query reads no key object (and little else) cold.
        self._openings: dict[str, dict[int, tuple[list[int], list[str]]]] = {}
        for (n, c), found in sorted(openings.items()):
            found.sort()
            self._openings.setdefault(c, {})[n] = ([i for i, _ in found], [w for _, w in found])
        self._by_initial = {letter: _Lengths(ws) for letter, ws in by_initial.items()}
        self._plans: dict[int, list[tuple[int, list[tuple[int, int]]]]] = {}  # by query length

    def starting_with(self, prefix: str) -> list[str]:
        """The words starting with ``prefix``, which sit together in the sorted list."""
        lo = bisect_left(self.words, prefix)
        return self.words[lo : bisect_left(self.words, prefix + "\U0010ffff", lo)]

    def containing(self, q: str) -> list[str]:
        """Up to ``limit`` words containing ``q`` after their first letter (by str.find)."""
        found: list[str] = []
        at = self._joined.find(q)
        while at != -1 and len(found) < self.limit:
            i = bisect_right(self._starts, at) - 1
            if at > self._starts[i]:
                found.append(self.words[i])
            at = self._joined.find(q, self._starts[i + 1])  # on to the next word
        return found

    def longer_with_initial(self, q: str) -> list[str]:
        """The words longer than ``q`` that start with its first letter."""
        same_start = self._by_initial.get(q[0])
        return same_start.between(len(q) + 1, None) if same_start else []

    def near(self, q: str) -> list[str]:
        """Every word that fuzz.ratio may score at least ``cutoff`` against ``q``, and fewer
        others; a word may come more than once.

        fuzz.ratio is 200 * s / (len(q) + len(word)), s the length of the longest common
        subsequence, so s must be at least ``_shared`` of the two lengths: that bounds the
        word's length, and the subsequence's first letter lies within the first
        len(word) - s + 1 letters of the word and len(q) - s + 1 letters of ``q``.
        """
        if (plan := self._plans.get(len(q))) is None:
            plan = self._plans[len(q)] = self._plan(len(q))
        openings = self._openings
        lists = []
        for j, spots in plan:
            for c in set(q[:j]):
                if (by_length := openings.get(c)) is not None:
                    for length, last in spots:
                        if (found := by_length.get(length)) is not None:
                            positions, words = found
                            lists.append(words[: bisect_right(positions, last)])
        return list(chain.from_iterable(lists))

    def _plan(self, n: int) -> list[tuple[int, list[tuple[int, int]]]]:
        """For query words of ``n`` letters: (j, spots) where a word's first shared letter is
        one of the query word's first j letters, for each of the (length, last position)
        spots."""
        plan: dict[int, list[tuple[int, int]]] = {}
        for length in range(self._shortest(n), self._longest(n) + 1):
            s = self._shared(n, length)
            if s <= min(n, length):
                plan.setdefault(n - s + 1, []).append((length, length - s))
        return list(plan.items())

    def _shared(self, a: int, b: int) -> int:
        """The fewest letters two words of lengths a and b share (in order) at the cutoff."""
        return math.ceil(self.cutoff * (a + b) / 200 - 1e-9)

    def _shortest(self, n: int) -> int:
        return math.floor(n * self.cutoff / (200 - self.cutoff))

    def _longest(self, n: int) -> int:
        return math.ceil(n * (200 - self.cutoff) / self.cutoff)

    def _depth(self, length: int) -> int:
        """The last position at which a word of ``length`` may share its first letter with
        some query word close enough (with the shortest such query word)."""
        return max(
            (length - s for n in range(1, length + 1) if (s := self._shared(n, length)) <= n),
            default=-1,
        )


class _Lengths:
    """Words sorted by length, sliced by length."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.lengths = [len(w) for w in words]

    def between(self, shortest: int, longest: int | None) -> list[str]:
        """The words of ``shortest`` to ``longest`` characters (no limit if None)."""
        lo = bisect_left(self.lengths, shortest)
        hi = len(self.words) if longest is None else bisect_right(self.lengths, longest, lo)
        return self.words[lo:hi]

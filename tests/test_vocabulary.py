"""The fuzzy jump's vocabulary: its cuts never leave out a word the scorers would keep."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from importai_tui.core.vocabulary import Vocabulary

ALPHABET = "abcdeéß数"  # few letters, so that many words are near misses of each other


def random_words(rnd: random.Random, count: int) -> set[str]:
    """Words of 1 to 16 letters of the small alphabet."""
    return {"".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(1, 16))) for _ in range(count)}


def typo(rnd: random.Random, word: str) -> str:
    """``word`` with a letter dropped, swapped, changed or added, anywhere (the first too)."""
    i = rnd.randrange(len(word))
    kind = rnd.randrange(4)
    if kind == 0 and len(word) > 1:
        return word[:i] + word[i + 1 :]
    if kind == 1 and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 2:
        return word[:i] + rnd.choice(ALPHABET) + word[i + 1 :]
    return word[:i] + rnd.choice(ALPHABET) + word[i:]


@pytest.mark.parametrize("cutoff", [60.0, 75.0, 90.0])
def test_near_holds_every_word_that_fuzz_ratio_keeps(cutoff: float) -> None:
    rnd = random.Random(int(cutoff))
    words = random_words(rnd, 3000)
    vocab = Vocabulary(words, cutoff, limit=300)
    ordered = sorted(words)
    offered = found = queries = 0
    for _ in range(300):
        q = typo(rnd, rnd.choice(ordered))
        if len(q) < 3:
            continue
        near = set(vocab.near(q))
        kept = {w for w in words if fuzz.ratio(q, w, score_cutoff=cutoff)}
        assert kept <= near, (q, sorted(kept - near))
        offered, found, queries = offered + len(near), found + len(kept), queries + 1
    assert found > queries / 2  # the typos do find words
    # and the cut is worth making, even with this alphabet of eight letters
    assert offered < queries * len(words) * (0.4 if cutoff >= 75 else 0.7)


def test_prefix_infix_and_longer_words_with_the_initial() -> None:
    rnd = random.Random(3)
    words = random_words(rnd, 2000)
    vocab = Vocabulary(words, 75.0, limit=10_000)
    for q in ["ab", "éß", "数a", "cab", "e"]:
        assert vocab.starting_with(q) == sorted(w for w in words if w.startswith(q))
        # (a word starting with q is a prefix match, whether or not q comes again)
        infixes = sorted(w for w in words if q in w[1:] and not w.startswith(q))
        assert vocab.containing(q) == infixes
        longer = vocab.longer_with_initial(q)
        assert sorted(longer) == sorted(w for w in words if w[0] == q[0] and len(w) > len(q))
    assert len(Vocabulary(words, 75.0, limit=5).containing("a")) == 5

"""The best-scoring ids of a fuzzy jump's sections, picked with as little Python as may be."""

from __future__ import annotations

import heapq
from bisect import bisect_left
from itertools import compress


def top(total: dict[int, float], k: int, cut: float | None = None) -> list[int]:
    """The ``k`` best-scoring ids, equal scores going to the lower id; ``cut`` is the k-th best
    score, if known."""
    if len(total) > k:
        if cut is None:
            # nlargest loops in Python: sorting in C is quicker up to a few thousand scores
            values = total.values()
            small = len(total) <= 20 * k
            cut = sorted(values, reverse=True)[k - 1] if small else heapq.nlargest(k, values)[-1]
        ids = [eid for eid, score in total.items() if score >= cut]
    else:
        ids = list(total)
    ids.sort()
    ids.sort(key=total.__getitem__, reverse=True)  # stable: equal scores stay in id order
    return ids[:k]


def within_reach(total: dict[int, float], limit: int, reach: float, most: int) -> list[int]:
    """The ids that a bonus of up to ``reach`` (on the summed score) could take into the
    ``limit`` best: those within ``reach`` of the limit-th score, at most ``most`` of them
    (the best, equal scores going to the lower id), in no set order: the caller sorts them."""
    values = sorted(total.values())
    n, k = len(values), max(most, limit)
    floor = values[n - min(limit, n)] - reach
    if n - bisect_left(values, floor) > k:
        return top(total, k, values[n - k])
    return list(compress(total, map(floor.__le__, total.values())))

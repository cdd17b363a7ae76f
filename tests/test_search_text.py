"""Full-text search ranks in one query and fetches snippets for the shown rows in another;
its hits must be exactly those of the one-query reference, in the same order."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import CORPUS, FIXTURES

from importai_tui.core import fulltext
from importai_tui.core.collection import Collection
from importai_tui.core.fulltext import SPAN, Ranker, SearchCancelled
from importai_tui.core.library import Library, TextHit, fts_query
from importai_tui.core.terms import Term, expression, parse
from importai_tui.ui.page import find_matches

REFERENCE = (
    "SELECT s.issue_id, i.number, s.idx, s.kind, s.headline, "
    "snippet(sections_fts, 2, '\x02', '\x03', '…', 12), "
    "snippet(sections_fts, -1, '\x02', '\x03', '…', 12), "
    "bm25(sections_fts, 5.0, 3.0, 1.0) "
    "FROM sections_fts JOIN sections s ON s.rowid = sections_fts.rowid "
    "JOIN issues i ON i.id = s.issue_id "
    "WHERE sections_fts MATCH ? ORDER BY bm25(sections_fts, 5.0, 3.0, 1.0) LIMIT ?"
)


def reference(
    library: Library, query: str, limit: int, terms: tuple[Term, ...] | None = None
) -> list[TextHit]:
    """Every match ranked, with its snippets, in a single query (the way it used to be),
    of ``terms`` if given, else of the query's as typed."""
    terms = parse(query).terms if terms is None else terms
    match = expression(terms)
    rows = library.conn.execute(REFERENCE, (match, limit)).fetchall() if match else []
    return [
        TextHit(i, n, idx, kind, head, body if "\x02" in body else best, rank, terms)
        for i, n, idx, kind, head, body, best, rank in rows
    ]


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Collection]:
    coll = Collection.open(tmp_path / "data", tmp_path / "cache", seed=False)
    text = (Path(__file__).parent / "data" / "issue-512.txt").read_text()
    for number in (512, 612, 712):  # the same sections three times: equal scores
        path = tmp_path / f"{number}.txt"
        path.write_text(text.replace("Import AI 512:", f"Import AI {number}:"))
        coll.add_file(path)
    for path in [*CORPUS.iterdir(), *(FIXTURES / "feeds").iterdir()]:
        coll.add_file(path)
    yield coll
    coll.close()


QUERIES = ["robot", "robots learn", "the", "a", "AI", "laundry", "data", "tale", "Import AI",
           "fold", "researchers dataset", "(#498)", "nothing-matches-this", "   "]  # fmt: skip


@pytest.mark.parametrize("limit", [1, 3, 20, 500])
def test_hits_and_their_order_are_the_reference_ones(library: Collection, limit: int) -> None:
    lib = library.library
    for query in QUERIES:
        assert lib.search_text(query, limit=limit) == reference(lib, query, limit), query
    ranker = lib._ranker
    assert ranker is not None and ranker.snippets._conn is None  # small: the index's own


def test_equal_scores_keep_the_reference_order(library: Collection) -> None:
    hits = library.library.search_text("laundry", limit=50)
    ranks = [h.rank for h in hits]
    assert len(ranks) > len(set(ranks)), "the three copies of issue 512 tie"
    assert hits == reference(library.library, "laundry", 50)


@pytest.mark.parametrize("limit", [1, 20, 500])
def test_ranking_split_across_threads_gives_the_same_hits(
    library: Collection, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A big library's ranking is split by rowid between connections in threads; this one
    # is small, so split it however small it is (into two parts, on any machine).
    monkeypatch.setattr(Ranker, "MIN_SPAN", 0)
    monkeypatch.setattr(Ranker, "HELPERS", 1)
    helped: list[int] = []  # rows whose snippets a helper made from the index itself

    def snippets_helping(*args: Any) -> dict[int, str]:
        found = index_snippets_helping(*args)
        helped.extend(found)
        return found

    index_snippets_helping = fulltext._snippets_helping
    monkeypatch.setattr(fulltext, "_snippets_helping", snippets_helping)
    lib = library.library
    for query in [*QUERIES, "laundry", "robots* learn"]:
        assert lib.search_text(query, limit=limit) == reference(lib, query, limit), query
    ranker = lib._ranker
    assert ranker is not None and ranker._pool is not None  # the split really ran
    assert ranker.snippets._conn is not None  # a prefix's from their own index
    assert helped or limit == 1  # and a query's without one from the index, shared


@pytest.mark.parametrize("large", [True, False])
def test_searches_in_threads_at_once_each_get_their_own_snippets(
    library: Collection, large: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reader searches from worker threads, and a large index's snippets come from
    # one shared in-memory index of the rows shown: searches must not mix their rows.
    if large:
        monkeypatch.setattr(Ranker, "MIN_SPAN", 0)
    lib = library.library
    queries = ["robot", "laundry", "data", "researchers dataset", "fold", "tale"]
    expected = {query: reference(lib, query, 20) for query in queries}

    def search(query: str) -> bool:
        return all(lib.search_text(query) == expected[query] for _ in range(15))

    with ThreadPoolExecutor(len(queries)) as pool:
        assert all(pool.map(search, queries))


def test_the_span_of_the_index_reads_its_two_ends_only(library: Collection) -> None:
    # Every search asks for it: a scan of the sections would cost 10 ms at 10,000 issues.
    plan = library.library.conn.execute(f"EXPLAIN QUERY PLAN {SPAN}").fetchall()
    steps = [step[-1] for step in plan]
    assert not any(step.startswith("SCAN") and "sections" in step for step in steps), steps
    assert sum(step.startswith("SEARCH sections") for step in steps) == 2, steps
    assert (
        library.library.conn.execute(SPAN).fetchone()
        == library.library.conn.execute("SELECT min(rowid), max(rowid) FROM sections").fetchone()
    )


@pytest.mark.parametrize("split", [False, True])
def test_a_cancelled_search_stops_mid_query_and_the_next_goes_on(
    library: Collection, split: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A reader typing on cancels the search for what the box held before: its SQL stops
    # at SQLite's next look at cancelled() (every CHECK_STEPS steps), in every thread.
    monkeypatch.setattr(fulltext, "CHECK_STEPS", 100)
    if split:
        monkeypatch.setattr(Ranker, "MIN_SPAN", 0)
        monkeypatch.setattr(Ranker, "HELPERS", 1)
    lib = library.library
    asked: list[int] = []

    def cancelled() -> bool:  # wanted at the first look, given up at the second
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(SearchCancelled):
        lib.search_text("the", cancelled=cancelled)
    assert len(asked) >= 2
    # the same connections go on serving searches nobody cancels, and reads
    assert lib.search_text("the") == reference(lib, "the", 20)
    assert lib.search_text("robot", cancelled=lambda: False) == reference(lib, "robot", 20)
    assert lib.get("512") is not None


def test_cancellable_searches_in_threads_at_once_with_others(
    library: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Statements that call back into Python (the cancel check) must not share a
    # connection with another thread's reads: the two would wait for each other for good.
    monkeypatch.setattr(fulltext, "CHECK_STEPS", 50)
    monkeypatch.setattr(Ranker, "MIN_SPAN", 0)
    lib = library.library
    queries = ["robot", "laundry", "data", "the", "fold", "tale"]
    expected = {query: reference(lib, query, 20) for query in queries}

    def search(i: int) -> bool:
        query = queries[i % len(queries)]
        cancelled = (lambda: False) if i % 2 else None
        return all(lib.search_text(query, cancelled=cancelled) == expected[query] for _ in range(8))

    with ThreadPoolExecutor(8) as pool:
        done = [pool.submit(search, i) for i in range(12)]
        assert all(future.result(timeout=120) for future in done)


def test_the_last_word_is_a_prefix_from_its_third_letter(library: Collection) -> None:
    # one or two letters as a prefix match most of a big index: they are whole words
    assert fts_query("robots la") == '"robots" AND "la"'
    assert fts_query("robots lau") == '"robots" AND "lau"*'
    lib = library.library
    assert lib.search_text("lau") == reference(lib, "lau", 20)
    assert any("laundry" in hit.headline.lower() for hit in lib.search_text("lau"))
    assert lib.search_text("la") == reference(lib, "la", 20)
    assert not any("laundry" in hit.headline.lower() for hit in lib.search_text("la"))
    # the reading pane highlights what the search matched
    text = "AI aims at laundry; ai"
    assert find_matches(text, [Term("ai", False)]) == [(0, 2), (20, 22)]
    assert find_matches(text, [Term("lau", True)]) == [(11, 18)]
    assert find_matches(text, [Term("lau", False)]) == []


def test_a_star_makes_any_word_of_three_letters_or_more_a_prefix(library: Collection) -> None:
    assert fts_query("robot* lau") == '"robot"* AND "lau"*'
    assert fts_query("ro* laundry*") == '"ro" AND "laundry"*'
    lib = library.library
    hits = lib.search_text("robo* laundry", limit=500)
    assert hits and hits == reference(lib, "robo* laundry", 500)
    assert not lib.search_text("robo laundry")  # "robo" alone is no word of theirs


def count(library: Library, match: str) -> int:
    sql = "SELECT count(*) FROM sections_fts WHERE sections_fts MATCH ?"
    return int(library.conn.execute(sql, (match,)).fetchone()[0])


def test_a_last_word_in_common_sections_is_searched_as_itself(
    library: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its prefix would merge the lists of every word it starts, for hits that the word
    # alone has too many of already; 'robot*' still asks for them.
    lib = library.library
    alone, started = count(lib, '"robot"'), count(lib, '"robot"*')
    assert started > alone > 0  # robots, robotics, ...: narrowing leaves some out
    monkeypatch.setattr(fulltext, "COMMON", alone + 1)
    assert len(lib.search_text("robot", limit=500)) == started  # not yet common
    monkeypatch.setattr(fulltext, "COMMON", alone)
    whole = (Term("robot", False),)
    hits = lib.search_text("robot", limit=500)
    assert len(hits) == alone and hits == reference(lib, "robot", 500, whole)
    assert all(hit.terms == whole for hit in hits)
    assert len(lib.search_text("robot*", limit=500)) == started
    assert lib.search_text("rob", limit=500) == reference(lib, "rob", 500)  # no word

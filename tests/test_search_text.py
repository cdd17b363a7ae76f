"""Full-text search ranks in one query and fetches snippets for the shown rows in another;
its hits must be exactly those of the one-query reference, in the same order."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tests.conftest import CORPUS, FIXTURES

from importai_tui.core import fulltext
from importai_tui.core.collection import Collection
from importai_tui.core.fulltext import SPAN, STEM_SLACK, Ranker, SearchCancelled, fts_queries
from importai_tui.core.library import Library, TextHit, fts_query
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
HAS = "SELECT 1 FROM sections_fts WHERE sections_fts MATCH ? LIMIT 1"


def reference(library: Library, query: str, limit: int) -> list[TextHit]:
    """Every match ranked, with its snippets, in a single query (the way it used to be),
    of the first of the query's forms that finds anything."""

    def whole(word: str) -> bool:
        found = library.conn.execute(HAS, (f'"{word}"',)).fetchone()
        return found is not None

    rows = []
    for match in fts_queries(query, whole) if fts_query(query) else []:
        rows = library.conn.execute(REFERENCE, (match, limit)).fetchall()
        if rows:
            break
    return [
        TextHit(i, n, idx, kind, head, body if "\x02" in body else best, rank)
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
    lib = library.library
    for query in [*QUERIES, "laundry"]:
        assert lib.search_text(query, limit=limit) == reference(lib, query, limit), query
    ranker = lib._ranker
    assert ranker is not None and ranker._pool is not None  # the split really ran
    assert ranker.snippets._conn is not None  # and the snippets came from their own index


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
    assert find_matches(text, ["ai"]) == [(0, 2), (20, 22)]
    assert find_matches(text, ["lau"]) == [(11, 18)]


STEMS_ISSUE = """Import AI 900: Stems; starts; and words

by Jack Clark

Welcome to Import AI, a newsletter about artificial intelligence.

Evaluations of machines in kitchens:
…Researchers evaluated the robotic arms…
The robotic arms were evaluated for a week. Why this matters: kitchens are hard.
Read more: Kitchen work (arXiv).

A ledger of everything:
…Keeping a database of parts…
The team keeps a database of every part it ordered, and the suppliers' names.
Read more: Parts (arXiv).

Thanks for reading!
"""


@pytest.fixture
def stems(tmp_path: Path) -> Iterator[Library]:
    coll = Collection.open(tmp_path / "data", tmp_path / "cache", seed=False)
    path = tmp_path / "900.txt"
    path.write_text(STEMS_ISSUE)
    coll.add_file(path)
    yield coll.library
    coll.close()


def headlines(lib: Library, query: str) -> list[str]:
    return [hit.headline for hit in lib.search_text(query)]


def test_a_word_finds_its_other_forms(stems: Library) -> None:
    # the index holds stems: 'robot' finds 'robotic', 'evaluation' finds 'evaluated'
    assert headlines(stems, "robot") == ["Evaluations of machines in kitchens"]
    assert headlines(stems, "evaluation") == ["Evaluations of machines in kitchens"]
    assert headlines(stems, "robots evaluating") == ["Evaluations of machines in kitchens"]
    for query in ["robot", "evaluation", "robots evaluating", "suppliers", "databases"]:
        assert stems.search_text(query) == reference(stems, query, 20), query


def test_a_whole_last_word_is_not_a_start_but_one_being_typed_is(stems: Library) -> None:
    def whole(word: str) -> bool:
        return stems.conn.execute(HAS, (f'"{word}"',)).fetchone() is not None

    # 'data' is no word of this issue: as a start it finds 'database'
    assert list(fts_queries("data", whole))[0] == '"data"*'
    assert headlines(stems, "data") == ["A ledger of everything"]
    # 'part' is one (of 'parts'): a whole word, it no longer finds 'partner' and the like
    assert list(fts_queries("the part", whole)) == ['"the" AND "part"']
    assert headlines(stems, "the part") == ["A ledger of everything"]
    # 'evaluat' runs past the stem 'evalu' that 'evaluated' is indexed as: its last letters
    # are let go one at a time until it starts a word of the index (the search stops there)
    assert list(fts_queries("evaluat", whole))[:3] == ['"evaluat"*', '"evalua"*', '"evalu"*']
    assert headlines(stems, "evaluat") == ["Evaluations of machines in kitchens"]
    assert stems.search_text("evaluat") == reference(stems, "evaluat", 20)
    # never more than STEM_SLACK letters, nor below MIN_PREFIX
    tried = list(fts_queries("zzzzzzzzz", whole))
    assert len(tried) == STEM_SLACK + 1 and tried[-1] == '"zzzzz"*'
    assert list(fts_queries("zzzz", whole)) == ['"zzzz"*', '"zzz"*']
    assert stems.search_text("zzzzzzzzz") == []


def test_the_reading_pane_marks_the_forms_the_search_found() -> None:
    text = "We evaluated the robotic arms. Evaluations matter; robots too."
    marked = [text[a:b] for a, b in find_matches(text, ["robot"])]
    assert marked == ["robotic", "robots"]
    # a word still being typed past its stem marks what the search found for it
    marked = [text[a:b] for a, b in find_matches(text, ["arm", "evaluat"])]
    assert marked == ["evaluated", "arms", "Evaluations"]
    # not a word's start unless it is the last word
    assert [text[a:b] for a, b in find_matches(text, ["rob", "the"])] == ["the"]
    assert find_matches(text, []) == [] and find_matches(text, ["zebra"]) == []

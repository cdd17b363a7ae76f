"""The fuzzy jump's matcher: typo-tolerant, per-word ranking of headlines, with match spans."""

from __future__ import annotations

import random

import pytest

from importai_tui.core.collection import Collection
from importai_tui.core.fuzzy import VOCAB_LIMIT, Entry, HeadlineIndex, Match

TARGET = "Drop-in AdamW replacement makes distributed training possible"


def entry(
    headline: str, subtitle: str = "", number: int | None = 1, section: int = 1, issue: str = ""
) -> Entry:
    """An entry with defaults for what a test does not care about."""
    return Entry(issue or str(number), number, section, "story", headline, subtitle)


def matched(text: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    """The pieces of ``text`` that ``spans`` point at."""
    return [text[a:b] for a, b in spans]


def by_headline(matches: list[Match]) -> dict[str, Match]:
    """Matches keyed by headline."""
    return {m.entry.headline: m for m in matches}


@pytest.fixture
def index() -> HeadlineIndex:
    """A small library of headlines where several share words with the target."""
    return HeadlineIndex(
        [
            entry("Distributed systems are hard to debug", number=9),
            entry("Training a robot dog to fetch", number=8),
            entry(TARGET, "With technologies like this, big blobs of compute matter less", 7),
            entry("Chip embargo hits the training budget", number=6, section=2),
            entry("Trains run late across Europe", number=6, section=3),
            entry("A distributed training run finishes", number=3),
            entry("Everything becomes a game – DeepMind demos Genie 2", number=4),
            entry("Genie 2: a world model you can play", number=2),
            entry("RLHF considered harmful", number=10),
            entry("RL agents learn to use computers", number=1),
            entry("He said no to the AI safety bill", "Aid for the aiming", number=5),
        ]
    )


def test_typo_and_partial_word_rank_the_headline_first_and_above_single_words(
    index: HeadlineIndex,
) -> None:
    matches = index.match("distrib trainng")
    scores = by_headline(matches)
    assert scores[TARGET].score == matches[0].score
    both = {TARGET, "A distributed training run finishes"}
    assert {m.entry.headline for m in matches[:2]} == both
    single = [m for m in matches if m.entry.headline not in both]
    assert single and all(m.score < scores[TARGET].score for m in single)
    assert "Distributed systems are hard to debug" in scores
    assert "Training a robot dog to fetch" in scores


def test_word_order_does_not_matter(index: HeadlineIndex) -> None:
    forward = index.match("distrib trainng")
    backward = index.match("trainng distrib")
    both = {TARGET, "A distributed training run finishes"}
    assert {m.entry.headline for m in backward[:2]} == both
    # Words found in the query's order earn a little more, never less.
    assert forward[0].score >= backward[0].score


def test_the_last_word_counts_as_a_prefix(index: HeadlineIndex) -> None:
    assert index.match("adamw repl")[0].entry.headline == TARGET
    gen = index.match("gen")
    assert [m.entry.number for m in gen[:2]] == [4, 2]  # both Genie headlines, newer first
    assert all(matched(m.entry.headline, m.headline_spans) == ["Gen"] for m in gen[:2])


def test_an_exact_word_beats_a_longer_one_it_prefixes(index: HeadlineIndex) -> None:
    matches = index.match("rl")
    assert matches[0].entry.headline == "RL agents learn to use computers"
    assert matches[1].entry.headline == "RLHF considered harmful"
    assert matches[0].score > matches[1].score


def test_short_words_match_whole_word_prefixes_only(index: HeadlineIndex) -> None:
    matches = index.match("ai")
    assert [m.entry.headline for m in matches] == ["He said no to the AI safety bill"]
    # "AI" in the headline, not the "ai" inside "said", and nothing from the subtitle.
    assert matched(matches[0].entry.headline, matches[0].headline_spans) == ["AI"]
    assert matches[0].subtitle_spans == ()
    assert [m.entry.headline for m in index.match("z")] == []


def test_infixes_and_misspelt_prefixes_match_but_below_prefixes() -> None:
    index = HeadlineIndex(
        [
            entry("DeepSeek talks about compute", number=9),
            entry("Seekers of truth", number=1),
            entry("Distributional shift, again", number=5),
        ]
    )
    seek = index.match("seek")
    assert [m.entry.number for m in seek] == [1, 9]
    assert matched(seek[1].entry.headline, seek[1].headline_spans) == ["Seek"]
    typo = index.match("distrbut")[0]
    assert typo.entry.number == 5
    assert matched(typo.entry.headline, typo.headline_spans) == ["Distr", "but"]


def test_a_lone_letter_matches_word_starts_with_the_letter_as_a_word_first() -> None:
    index = HeadlineIndex(
        [
            entry("A game of chess", number=1),
            entry("Apples and oranges", number=5),
            entry("Bananas", number=6),
            entry("Distributed arrays", number=4),
        ]
    )
    matches = index.match("a")
    assert [m.entry.number for m in matches] == [1, 5, 4]
    assert matches[0].score > matches[1].score == matches[2].score
    assert matched("Apples and oranges", matches[1].headline_spans) == ["A"]


def test_a_subtitle_match_ranks_below_the_same_headline_match() -> None:
    index = HeadlineIndex(
        [
            entry("Something else entirely", "Genie 2 arrives", number=9),
            entry("Genie 2 arrives", number=1),
        ]
    )
    first, second = index.match("genie arrives")
    assert first.entry.headline == "Genie 2 arrives"
    assert first.score > second.score
    assert second.headline_spans == ()
    assert matched(second.entry.subtitle, second.subtitle_spans) == ["Genie", "arrives"]


def test_spans_point_at_the_matched_characters(index: HeadlineIndex) -> None:
    genie = by_headline(index.match("genie"))
    assert genie["Genie 2: a world model you can play"].headline_spans == ((0, 5),)
    demo = "Everything becomes a game – DeepMind demos Genie 2"
    assert matched(demo, genie[demo].headline_spans) == ["Genie"]
    target = by_headline(index.match("distrib trainng"))[TARGET]
    # Every letter typed lines up with a letter of the headline; the missing "i" is not lit.
    assert "".join(matched(TARGET, target.headline_spans)) == "distribtrainng"
    assert matched(TARGET, target.headline_spans) == ["distrib", "train", "ng"]


def test_spans_found_later_still_answer_their_own_query(index: HeadlineIndex) -> None:
    # Spans are worked out when first read: by then the index has run other queries and
    # forgotten this one's word matches.
    matches = index.match("distrib trainng")
    for i in range(300):
        index.match(f"genie robot {i}")
    target = by_headline(matches)[TARGET]
    assert matched(TARGET, target.headline_spans) == ["distrib", "train", "ng"]
    assert target.subtitle_spans == ()


def test_a_misspelt_prefix_is_not_crowded_out_by_shorter_lookalikes() -> None:
    # Only words longer than the query word can hold a misspelt prefix of it: the shorter
    # ones, however close, must not take the places of the misspelt-prefix pass.
    lookalikes = [entry(f"qwertyui{chr(0x4E00 + i)}", number=i) for i in range(VOCAB_LIMIT + 1)]
    longer = "qwertyxxiopzzzzzzzzzz stands alone"
    index = HeadlineIndex([*lookalikes, entry(longer, number=VOCAB_LIMIT + 1)])
    assert longer in by_headline(index.match("qwertyuiop", limit=VOCAB_LIMIT + 2))


def test_spans_are_sorted_disjoint_and_inside_the_text() -> None:
    texts = [
        "[bold red]x[/] marks the spot",
        "Émile Borel’s monkeys type Shakespeare",
        "Straße ﬁnds naïve café owners",
        "E\u0301mile, decomposed",
        "Ünïcödé everywhere: ÄÖÜ äöü ß",
        "\x1b[31mred\x1b[0m and tabs\tand newlines\n",
        "",
        "   ",
        "数据 中心 电力",
        "ﾞ folds to nothing ﾟ",
    ]
    index = HeadlineIndex([entry(t, t[::-1], number=i) for i, t in enumerate(texts)])
    queries = ["x", "bold red", "emile", "Émile", "strasse", "fi", "naive cafe", "unicode"]
    queries += ["aou", "ss", "red", "31m", "数据", "中心 电", "spot marks", "e", "ﾞ", "nothing"]
    for query in queries:
        for m in index.match(query):
            fields = [(m.entry.headline, m.headline_spans), (m.entry.subtitle, m.subtitle_spans)]
            for text, spans in fields:
                assert all(0 <= a < b <= len(text) for a, b in spans), (query, text, spans)
                ends = [edge for span in spans for edge in span]
                assert ends == sorted(ends) and len(set(ends)) == len(ends), (query, spans)


def test_markup_and_accents_are_just_text() -> None:
    index = HeadlineIndex(
        [
            entry("[bold red]x[/] marks the spot", number=3),
            entry("Émile Borel’s monkeys type Shakespeare", number=2),
            entry("E\u0301mile, decomposed", number=1),
            entry("Straße ﬁnds", number=0),
        ]
    )
    markup = index.match("[bold red]")
    assert markup[0].entry.headline.startswith("[bold red]")
    assert matched(markup[0].entry.headline, markup[0].headline_spans) == ["bold", "red"]
    for query in ("emile", "Émile", "EMILE"):
        found = by_headline(index.match(query))
        composed, decomposed = "Émile Borel’s monkeys type Shakespeare", "E\u0301mile, decomposed"
        assert found[composed].headline_spans == ((0, 5),)
        assert found[decomposed].headline_spans == ((0, 6),)  # the accent goes with its letter
    strasse = index.match("strasse finds")[0]
    assert strasse.entry.headline == "Straße ﬁnds"
    assert matched(strasse.entry.headline, strasse.headline_spans) == ["Straße", "ﬁnds"]


@pytest.mark.parametrize("query", ["", "   ", "?!", "–…"])
def test_a_query_without_words_matches_nothing(index: HeadlineIndex, query: str) -> None:
    assert index.match(query) == []


def test_limit_is_honoured() -> None:
    index = HeadlineIndex([entry(f"Model number {i} released", number=i) for i in range(40)])
    assert len(index) == 40
    assert len(index.match("model")) == 40
    assert len(index.match("model", limit=5)) == 5
    assert [m.entry.number for m in index.match("model", limit=3)] == [39, 38, 37]
    assert index.match("model", limit=0) == []


def test_ties_go_to_the_newest_issue_then_the_first_section() -> None:
    entries = [
        entry("Scaling laws for robots", number=None, section=1, issue="u1"),
        entry("Scaling laws for robots", number=7, section=3),
        entry("Scaling laws for robots", number=7, section=2),
        entry("Scaling laws for robots", number=12, section=5),
        entry("Scaling laws for robots", number=3, section=1),
    ]
    order = [(m.entry.number, m.entry.section) for m in HeadlineIndex(entries).match("scaling")]
    assert order == [(12, 5), (7, 2), (7, 3), (3, 1), (None, 1)]


def test_ranking_is_deterministic(index: HeadlineIndex) -> None:
    entries = [
        entry(f"{a} {b} {c}", number=i % 7, section=i)
        for i, (a, b, c) in enumerate(
            zip(
                ["distributed", "training", "robots", "genie", "chips"] * 8,
                ["training", "scaling", "distributed", "robots", "laws"] * 8,
                ["run", "laws", "training", "train", "distrib"] * 8,
                strict=True,
            )
        )
    ]
    shuffled = entries[:]
    random.Random(7).shuffle(shuffled)
    for query in ("distrib trainng", "train", "robots laws", "d"):
        runs = [HeadlineIndex(e).match(query) for e in (entries, shuffled, entries)]
        assert runs[0] == runs[1] == runs[2]
    assert index.match("distrib trainng") == index.match("distrib trainng")


def test_the_bundled_issues() -> None:
    coll = Collection.open()
    try:
        rows = coll.library.headlines()
        index = HeadlineIndex.from_library(coll.library)
    finally:
        coll.close()
    assert len(index) == len(rows) > 0
    top = index.match("distrib trainng")[0]
    assert "distributed training" in top.entry.headline.lower()
    assert "".join(matched(top.entry.headline, top.headline_spans)).lower() == "distribtrainng"
    genie = index.match("genie")[0]
    assert "Genie" in genie.entry.headline
    assert matched(genie.entry.headline, genie.headline_spans) == ["Genie"]


def test_scores_are_rounded_as_round_rounds_them() -> None:
    # The ranking rounds without round() where that is safe: it must still give round()'s
    # float, next to halves too (0.15 is a little under, 0.25 exactly, 2.675 under).
    index = HeadlineIndex([Entry("a", 1, 1, "story", "Robots", "")])
    rnd = random.Random(5)
    values = [i / 20 for i in range(2100)] + [i / 20 + 1e-12 for i in range(2100)]
    values += [rnd.uniform(0, 103) for _ in range(2000)] + [2.675, 76.25, 99.95, 0.0]
    for n in (1, 2, 3):
        for x in values:
            assert index._scored([0], {0: x}, set(), [], n) == [(-round(x / n, 1), 0)], (x, n)

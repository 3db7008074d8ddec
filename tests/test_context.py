"""The model's context: a token budget filled by story or by rank (qa/llm/context.py), questions split
by outlet, name or date and merged (qa/retrieval/decompose.py), and a story's follow-ups
(qa/dated/continuity.py). Pure functions, with words as tokens."""

from __future__ import annotations

from index.types import Chunk
from qa.dated.continuity import candidates, continues, story_entities, story_query
from qa.llm.context import (
    Budget,
    by_rank,
    lower_bound,
    newest_first_among_the_best,
    open_context,
    story_context,
)
from qa.llm.decompose import clean_searches
from qa.llm.prompt import format_passage
from qa.retrieval.decompose import merged, named_in, parts
from qa.types import Filters, Passage

SOURCES = ["The Verge", "TechCrunch", "CBS Sports", "CBS", "Fortune"]


def passage(article: str, index: int, words: int = 20, score: float = 0.0, **kw) -> Passage:  # type: ignore[no-untyped-def]
    text = " ".join(f"{article}{index}w{n}" for n in range(words)) + "."
    chunk = Chunk(f"{article}:{index}", article, "v1", index, text, 0, len(text), None, article)
    return Passage(chunk=chunk, score=score, **kw)


def words(text: str) -> int:
    return len(text.split())


def budget_for(passages: list[Passage]) -> int:
    return sum(words(format_passage(0, p)) for p in passages)


def keys(passages: list[Passage]) -> list[tuple[str, int]]:
    return [(p.chunk.article_id, p.chunk.index) for p in passages]


def test_a_story_that_fits_goes_in_whole_in_article_order_with_the_question_scores() -> None:
    story = [passage("a", i) for i in range(5)]
    ranked = [passage("a", 3, score=0.9), passage("a", 1, score=0.5)]
    chosen = story_context(story, ranked, Budget(budget_for(story), words))
    assert keys(chosen) == [("a", i) for i in range(5)]
    assert [p.score for p in chosen] == [0.0, 0.5, 0.0, 0.9, 0.0]


def test_a_story_too_long_keeps_its_lede_and_best_passages_in_article_order() -> None:
    story = [passage("a", i) for i in range(6)]
    ranked = [passage("a", 4, score=0.9), passage("a", 2, score=0.8), passage("a", 5, score=0.1)]
    chosen = story_context(story, ranked, Budget(budget_for(story[:3]), words))
    assert keys(chosen) == [("a", 0), ("a", 2), ("a", 4)]  # lede, then the two best, as written


def test_a_wide_scope_gives_its_best_passages_room_before_the_ledes_of_other_pages() -> None:
    # ten pages of four passages; room for five: the two best passages and their pages' ledes
    # come before the eight other ledes, and what is kept is read in article order
    story = [passage(a, i) for a in "abcdefghij" for i in range(4)]
    ranked = [passage("c", 3, score=0.9), passage("h", 2, score=0.8), passage("c", 1, score=0.7)]
    chosen = story_context(story, ranked, Budget(budget_for(story[:5]), words))
    assert keys(chosen) == [("c", 0), ("c", 1), ("c", 3), ("h", 0), ("h", 2)]
    # room left after every ranked passage goes to the other pages' ledes, first page first
    chosen = story_context(story, ranked[:1], Budget(budget_for(story[:4]), words))
    assert keys(chosen) == [("a", 0), ("b", 0), ("c", 0), ("c", 3)]


def test_only_the_passages_that_may_go_in_are_counted() -> None:
    counted: list[str] = []

    def count(text: str) -> int:
        counted.append(text)
        return words(text)

    story = [passage(a, i) for a in "abcdefghij" for i in range(20)]
    ranked = [passage("e", i, score=1.0 - i / 10) for i in range(6)]
    chosen = story_context(story, ranked, Budget(budget_for(story[:4]), count))
    assert keys(chosen) == [("e", 0), ("e", 1), ("e", 2), ("e", 3)]
    # words alone rule the whole story out; then each candidate until the budget is full
    assert len(counted) == 4


def test_follow_ups_get_what_the_story_leaves_lede_first() -> None:
    story = [passage("a", i) for i in range(2)]
    later = [passage("b", i) for i in range(4)]
    later_ranked = [passage("b", 3, score=0.7)]
    chosen = story_context(
        story, [], Budget(budget_for(story + later[:2]), words), later, later_ranked
    )
    assert keys(chosen) == [("a", 0), ("a", 1), ("b", 0), ("b", 3)]


def test_open_questions_fill_the_budget_in_rank_order_and_skip_what_does_not_fit() -> None:
    ranked = [passage("a", 0), passage("b", 0, words=400), passage("c", 0), passage("d", 0)]
    chosen = by_rank(ranked, Budget(budget_for([ranked[0], ranked[2]]) + 5, words))
    assert keys(chosen) == [("a", 0), ("c", 0)]
    assert Budget(6000, words).open_passages(200, 50) == 25
    assert Budget(120_000, words).open_passages(200, 50) == 50


def test_after_the_best_the_passages_nearly_as_good_go_newest_article_first() -> None:
    ranked = [
        passage("old", 0, score=1.0, published=20220913),
        passage("older", 0, score=0.9, published=20220615),
        passage("new", 0, score=0.8, published=20230214),  # 0.8 of the best: nearly as good
        passage("newest", 0, score=0.5, published=20230301),  # not nearly as good: keeps its rank
        passage("undated", 0, score=0.95),
    ]
    order = newest_first_among_the_best(ranked)
    assert [p.chunk.article_id for p in order] == ["old", "new", "older", "undated", "newest"]


def test_when_the_budget_must_choose_the_newer_report_is_kept() -> None:
    # three reports on one topic, room for two: by rank the newest would be left out
    ranked = [
        passage("june", 0, score=1.0, published=20220615),
        passage("sept", 0, score=0.95, published=20220913),
        passage("feb", 0, score=0.9, published=20230214),
    ]
    chosen = open_context(ranked, Budget(budget_for(ranked[:2]), words))
    assert keys(chosen) == [("june", 0), ("feb", 0)]  # the best, then the newest
    story = [passage(a, i, published=p.published) for p in ranked for a in [p.chunk.article_id]
             for i in range(3)]  # fmt: skip
    chosen = story_context(story, ranked, Budget(budget_for(story[:2]), words))
    assert keys(chosen) == [("june", 0), ("feb", 0)]  # in article order; by rank: june, sept


def test_an_open_questions_best_passage_comes_with_its_ledes_and_next_passage() -> None:
    ranked = [passage("a", 3, score=1.0), passage("b", 0, score=0.9), passage("c", 1, score=0.8)]
    around = [passage("a", 0), passage("a", 4)]
    chosen = open_context(ranked, Budget(budget_for([*ranked[:2], *around]), words), around)
    # lede, best and the passage after it, in article order, then by rank as the budget holds
    assert keys(chosen) == [("a", 0), ("a", 3), ("a", 4), ("b", 0)]
    # a lede ranked already is not given twice
    ranked = [passage("a", 3, score=1.0), passage("a", 0, score=0.9), passage("c", 1, score=0.8)]
    chosen = open_context(ranked, Budget(10_000, words), around)
    assert keys(chosen) == [("a", 0), ("a", 3), ("a", 4), ("c", 1)]
    assert [p.score for p in chosen] == [0.9, 1.0, 0.0, 0.8]


def test_outlets_are_found_as_the_index_spells_them_longest_first() -> None:
    named = named_in("Did CBS Sports and the Verge report that Apple sued Google?", SOURCES)
    assert [s for s, _ in named.sources] == ["CBS Sports", "The Verge"]
    assert "CBS" not in [s for s, _ in named.sources]


def test_two_outlets_give_one_retrieval_each_besides_the_whole_question() -> None:
    q = "Does the TechCrunch article report a rise in sales, while The Verge reports a fall?"
    split = parts(q, Filters(), SOURCES)
    assert [p.filters.sources for p in split] == [(), ("TechCrunch",), ("The Verge",)]
    assert all(p.text == q for p in split)
    # a caller's own outlet filter is kept as it is
    assert len(parts(q, Filters(sources=("Fortune",)), SOURCES)) == 1


def test_a_comparison_of_reports_splits_by_name_and_a_plain_question_does_not() -> None:
    q = "Was the report on Pfizer published before the article about Moderna?"
    split = parts(q, Filters(), [])
    assert len(split) == 3
    assert "Moderna" not in split[1].text and "Pfizer" in split[1].text
    assert "Pfizer" not in split[2].text and "Moderna" in split[2].text
    assert len(parts("What did Pfizer and Moderna announce?", Filters(), [])) == 1


def test_merged_takes_each_rankings_best_new_story_first_then_round_robin() -> None:
    whole = [passage("a", 0), passage("a", 1), passage("b", 0)]
    verge = [passage("a", 0), passage("c", 0), passage("c", 1)]
    crunch = [passage("d", 0), passage("a", 1)]
    out = merged([whole, verge, crunch])
    assert keys(out)[:3] == [("a", 0), ("c", 0), ("d", 0)]
    assert sorted(keys(out)) == sorted({*keys(whole), *keys(verge), *keys(crunch)})
    # copies of one story (one group) count as one story
    grouped = merged([whole, [passage("e", 0), passage("f", 0)]], lambda a: "g" if a in "ae" else a)
    assert keys(grouped)[:2] == [("a", 0), ("f", 0)]


def news(article: str, text: str, score: float, published: int | None) -> Passage:
    chunk = Chunk(f"{article}:0", article, "v", 0, text, 0, len(text), None, "news")
    return Passage(chunk=chunk, score=score, published=published)


def test_candidates_are_later_and_name_the_story_and_continue_it_when_it_finds_them_back() -> None:
    found = [
        news("seed", "Rebels entered Aleppo.", 2.0, 20241129),
        news("toll", "Fighting in Aleppo killed 412.", 0.2, 20241201),
        news("older", "Aleppo in November.", 0.9, 20241101),  # before the story
        news("other", "On Monday a storm hit Florida.", 0.9, 20241203),  # names nothing of it
        news("later", "The Syrian government said on Friday.", 0.1, 20241210),
    ]
    entities = story_entities(
        ["Rebels launch offensive on Aleppo", "Syrian rebels entered Aleppo."]
    )
    assert "monday" not in entities[1] and "aleppo" in entities[1]
    assert candidates(["seed"], {"seed": 20241129}, found, entities) == ["toll", "later"]
    assert candidates(["seed"], {"seed": None}, found, entities) == []  # undated: no "later"
    assert continues("toll", {"seed"}, ["toll", "seed", "older"])
    assert not continues("toll", {"seed"}, ["toll", "older", "seed"])
    assert not continues("toll", {"seed"}, ["toll"])
    assert story_query([("Title", "Lede.")]) == "Title. Lede."


def test_the_models_searches_are_used_only_when_two_to_four_sane_lines() -> None:
    assert clean_searches("1. The Verge on FTX\n2. TechCrunch on FTX\n") == [
        "The Verge on FTX",
        "TechCrunch on FTX",
    ]
    assert clean_searches("- a\n- a\n") is None  # one search, repeated
    assert clean_searches("\n".join(f"search {n}" for n in range(6))) is None
    assert clean_searches("x" * 400 + "\nshort one") is None
    assert clean_searches("") is None


def test_a_texts_words_never_exceed_its_tokens(embedder) -> None:  # type: ignore[no-untyped-def]
    # the bound that rules passages out without counting (qa/llm/context.py `lower_bound`)
    texts = [
        "U.S. state-of-the-art don't e.g. 3.5% $18bn — “quoted” Zürich 東京 naïve",
        "A \u200b zero-width space, a soft\u00adhyphen, tabs\tand\nnewlines; emoji 🎉 and ‹tags›.",
        "Hayat Tahrir al-Sham's offensive on Aleppo killed 412 people, the monitor said.",
    ]
    for text in texts:
        p = Passage(chunk=Chunk("a:0", "a", "v1", 0, text, 0, len(text), None, "a"), score=0.0)
        assert lower_bound(p) <= embedder.count_tokens(text), text

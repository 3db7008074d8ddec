"""Time-aware answers over a real engine and real Wikinews threads (Samoa measles, Puerto Rico's
governor, Navalny, the New Hampshire crash): dates in the JSON, "As of" the newest evidence with the
older figure, questions bounded by a date, and story timelines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.formats.loaders import load_paths
from index.types import Article
from qa.asking.asked import read
from qa.extractive.recency import as_of_newest
from qa.types import Answer, Citation, Passage

THREADS = Path(__file__).parent / "data" / "wikinews_threads.jsonl"
SAMOA_OLD = "wn-samoan-government-temporarily-shuts-d8190e"  # 2019-12-07
SAMOA_NEW = "wn-samoan-government-ends-state-of-e1cc1c"  # 2020-01-01
NAVALNY = (
    "wn-russia-s-navalny-airlifted-to-germany-5f59f3",
    "wn-germany-says-alexei-navalny-poisoned-5793d7",
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("time") / "data")
    engine = Engine(settings, Store.open(settings.data_dir, None, settings.collection), embedder)
    assert len(engine.ingest_paths([THREADS]).added) == 9
    yield engine
    engine.close()


def bodies() -> dict[str, str]:
    return {a.id: a.body for a in load_paths([THREADS]).articles}


def test_citations_and_sentences_carry_dates(engine) -> None:  # type: ignore[no-untyped-def]
    answer = engine.ask("When did Navalny fall ill?").to_json()
    assert not answer["refused"]
    published = {"wn-russia-s-navalny-airlifted-to-germany-5f59f3": "2020-08-22",
                 "wn-germany-says-alexei-navalny-poisoned-5793d7": "2020-09-05"}  # fmt: skip
    for citation in answer["citations"]:
        if citation["article_id"] in published:
            assert citation["published"] == published[citation["article_id"]]
    # "On Thursday" in the 22 August (Saturday) article is 20 August.
    dates = [d for s in answer["sentences"] for d in s["dates"]]
    assert "2020-08-20" in dates, answer


def test_now_question_is_led_by_the_newest_figure_with_the_older_one(engine) -> None:  # type: ignore[no-untyped-def]
    answer = engine.ask("How many measles cases has Samoa recorded to date?")
    assert answer.answer.startswith("As of 1 January 2020"), answer.answer
    lead = answer.citations[answer.sentences[0].refs[0] - 1]
    assert lead.article_id == SAMOA_NEW and "5667" in lead.quote
    older = [
        s
        for s in answer.sentences
        if s.text.startswith("Up from 3,728 reported on 7 December 2019")
    ]
    assert older, answer.answer
    cited = answer.citations[older[0].refs[0] - 1]
    assert cited.article_id == SAMOA_OLD and "3,728" in cited.quote
    text = bodies()
    for citation in answer.citations:  # every quote is still the exact span of its article
        assert text[citation.article_id][citation.start : citation.end] == citation.quote


def test_as_of_a_date_answers_from_articles_up_to_it(engine) -> None:  # type: ignore[no-untyped-def]
    answer = engine.ask(
        "How many measles cases had Samoa reported as of 7 December 2019?"
    ).to_json()
    assert answer["citations"] and all(c["published"] <= "2019-12-07" for c in answer["citations"])
    assert "3,728" in answer["citations"][0]["quote"]


def test_a_dated_question_is_not_refused_for_the_day_it_names(engine) -> None:  # type: ignore[no-untyped-def]
    # The day of the date ("29") is in no article: it bounds the search, it is no figure to repeat.
    answer = engine.ask(
        "How many measles cases had Samoa reported as of 29 January 2020?"
    ).to_json()
    assert not answer["refused"], answer["answer"]
    assert any(
        c["article_id"] == SAMOA_NEW and "5667" in c["quote"] for c in answer["citations"]
    ), answer["citations"]


def test_since_and_after_answer_from_the_right_side(engine) -> None:  # type: ignore[no-untyped-def]
    after = engine.ask(
        "What did the Puerto Rico Supreme Court decide after 5 August 2019?"
    ).to_json()
    assert after["citations"] and all(c["published"] > "2019-08-05" for c in after["citations"])
    before = engine.ask(
        "What did the governor of Puerto Rico announce before 1 August 2019?"
    ).to_json()
    assert before["citations"] and all(c["published"] < "2019-08-01" for c in before["citations"])


def test_timeline_of_articles_is_dated_ordered_and_exact(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.timeline(None, NAVALNY)
    days = [d["date"] for d in result["days"]]
    assert days == sorted(days) and days[0] == "2020-08-20" and "2020-09-02" in days
    text = bodies()
    for day in result["days"]:
        for event in day["events"]:
            assert text[event["article_id"]][event["start"] : event["end"]] == event["quote"]
            assert event["date"] == day["date"]
    first = result["days"][0]["events"][0]
    assert first["mention"] == "Thursday" and first["published"] == "2020-08-22"


def test_timeline_from_a_query_finds_the_story(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.timeline("Puerto Rico governor Rosselló resignation")
    assert set(result["article_ids"]) >= {"wn-puerto-rico-governor-announces-0a99d4",
                                          "wn-puerto-rico-supreme-court-removes-131a01"}  # fmt: skip
    days = [d["date"] for d in result["days"]]
    assert "2019-07-24" in days and "2019-08-07" in days  # resignation announced; court ruling


def test_timeline_shows_a_syndicated_copy_once(engine) -> None:  # type: ignore[no-untyped-def]
    original = next(a for a in load_paths([THREADS]).articles if a.id == NAVALNY[1])
    copy = Article(id="copy-of-navalny", title=original.title, body=original.body,
                   source="Other Outlet", published=20200906)  # fmt: skip
    engine.ingest_articles([copy])
    try:
        result = engine.timeline(None, (*NAVALNY, copy.id))
        quotes = [e["quote"] for d in result["days"] for e in d["events"]]
        assert len(quotes) == len(set(quotes))
        german = [
            e for d in result["days"] for e in d["events"] if "German government" in e["quote"]
        ]
        assert [e["article_id"] for e in german] == [NAVALNY[1]]  # the older report is kept
    finally:
        engine.delete(copy.id)


def _passage(article: str, text: str, published: int, score: float = 1.0) -> Passage:
    from index.types import Chunk

    chunk = Chunk(id=f"{article}:0", article_id=article, version="v", index=0, text=text, start=0,
                  end=len(text), section=None, title=article, sentences=((0, len(text)),))  # fmt: skip
    return Passage(chunk=chunk, score=score, published=published)


def test_same_day_disagreement_is_shown_not_merged() -> None:
    """Two outlets of the same day with different tolls: both cited, side by side."""
    passages = [
        _passage("a", "At least 345 pilgrims were killed in the stampede.", 20241130, 1.0),
        _passage("b", "Officials said 362 pilgrims were killed in the stampede.", 20241130, 0.9),
        _passage("c", "At least 311 pilgrims were killed in the stampede.", 20241129, 0.8),
    ]

    def compose(some: list[Passage]) -> Answer:  # the first passage's sentence, cited
        if not some:
            return Answer("", True, "extractive")
        p = some[0]
        return Answer(p.text, False, "extractive", [Citation.of(1, p.chunk, 0, p.chunk.end, p.score)],
                      [__import__("qa.types").types.AnswerSentence(p.text, [1], True)], passages=some)  # fmt: skip

    def analyse(text: str) -> list[str]:
        return [
            w.lower().rstrip("s")
            for w in text.replace(".", " ").split()
            if len(w) > 3 or w.isdigit()
        ]

    answer = as_of_newest(
        read("How many pilgrims have been killed so far?"),
        passages,
        compose,
        analyse,
        lambda t: 1.0,
    )
    texts = [s.text for s in answer.sentences]
    assert texts[0].startswith("As of 30 November 2024, at least 345 pilgrims")
    assert any(t.startswith("A report of the same day gives 362") for t in texts), texts
    assert any(t == "Up from 311 reported on 29 November 2024." for t in texts), texts
    assert {c.article_id for c in answer.citations} == {"a", "b", "c"}


def test_time_questions_data_is_well_formed() -> None:
    rows = [
        json.loads(line)
        for line in (Path(__file__).parents[1] / "eval" / "data" / "time_questions.jsonl")
        .read_text()
        .splitlines()
    ]
    assert len(rows) >= 60 and {r["kind"] for r in rows} == {
        "latest",
        "as_of",
        "before",
        "after",
        "since",
    }
    gold = json.loads(
        (Path(__file__).parents[1] / "eval" / "data" / "timeline_gold.json").read_text()
    )
    assert len(gold["stories"]) >= 5


def test_llm_prompt_passages_carry_resolved_dates() -> None:
    from qa.llm.prompt import format_passage

    framed = format_passage(1, _passage("a", "On Wednesday 345 died; last week 311 had.", 20241129))
    assert "published: 2024-11-29" in framed
    assert 'dates: "Wednesday" = 2024-11-27; "last week" = 2024-11-18/2024-11-24' in framed
    assert "dates:" not in format_passage(1, _passage("b", "No dates here.", 20241129))

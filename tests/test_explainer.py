"""Explainer answers inside a conversation, end to end on a real index (real Chroma, real model):
question kinds, the story carried by the history (`focus`), refusal by unmet constraints, a bare
question with no story (`needs`), and the LLM path with the same focus (fake server, real client)."""

from __future__ import annotations

import json

import pytest

from index.formats.loaders import parse_jsonl
from index.news.aliases import entity_keys
from qa.asking.constraints import question_constraints
from qa.asking.kinds import classify
from qa.engine import QuestionError
from qa.types import CANNOT_ANSWER, NEEDS_STORY, Answer, Filters, Turn
from tests.conftest import SEEDS
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import fake_fixture  # noqa: F401 (fixture)

PORT = {
    "id": "port-strike",
    "title": "Rotterdam dock workers end week-long strike",
    "published_at": "2024-03-08",
    "body": (
        "Dock workers at the port of Rotterdam ended a week-long strike on Friday after the port "
        "authority agreed to a pay rise of 6 percent.\n\n"
        "The strike began after talks on pay broke down in February, amid rising living costs.\n\n"
        '"This is a victory for every worker on the docks," union leader Anja de Vries said. '
        '"We did not want to strike, but we had no choice."\n\n'
        "The port authority said about 300 ships had been delayed during the strike.\n\n"
        "Talks on working hours will resume next month, and a vote on the deal is scheduled for "
        "March 20."
    ),
}
QUAKE = {
    "id": "quake",
    "title": "Earthquake shakes southern Peru",
    "published_at": "2024-03-02",
    "body": (
        "A magnitude 6.1 earthquake struck southern Peru on Saturday, damaging dozens of homes.\n\n"
        "The national emergency office said no deaths had been reported.\n\n"
        "Aftershocks are expected over the coming days, the geophysical institute warned."
    ),
}
SEED_AS_JSONL = {"id": "aleppo-jsonl", "title": "Syrian rebels' offensive on Aleppo"}


@pytest.fixture
def newsroom(engine):  # type: ignore[no-untyped-def]
    lines = "\n".join(json.dumps(r) for r in (PORT, QUAKE))
    report = engine.ingest_loaded(parse_jsonl(lines, "news.jsonl"))
    assert sorted(report.added) == ["port-strike", "quake"]
    engine.ingest_paths([SEEDS])
    return engine


PORT_TURN = (Turn("user", "What is going on with the strike at the port of Rotterdam?"),)


def _cited(answer: Answer) -> set[str]:
    return {c.article_id for c in answer.citations}


@pytest.mark.parametrize(
    ("question", "kind", "subject"),
    [
        ("Why now?", "why", None),
        ("What happened?", "happened", None),
        ("Who is involved?", "involved", None),
        ("What did Turkey say?", "said", "Turkey"),
        ("What did the Kremlin say about Aleppo?", "said", "the Kremlin"),
        # any verb of saying the speaker tagger knows; any other verb asks for something else
        ("What did Judge Ana Ruiz write?", "said", "Judge Ana Ruiz"),
        ("What did the senator tweet?", "said", "the senator"),
        ("What did the company buy?", "other", None),
        ("What is at stake?", "stakes", None),
        ("What happens next?", "next", None),
        ("And now?", "next", None),
        ("How many people died?", "count", None),
        ("What major powers are at play?", "powers", None),
    ],
)
def test_question_kinds(question: str, kind: str, subject: str | None) -> None:
    asked = classify(question)
    assert (asked.kind, asked.subject) == (kind, subject)


def test_hard_constraints_of_a_question() -> None:
    found = question_constraints("How many Syrian refugees did Ankara take in 2019?")
    assert found.entities == ("Turkey",) and found.years == ("2019",)
    assert question_constraints("What did Lindsey Graham say?").names == ("Lindsey Graham",)
    assert question_constraints("Why now?").empty


def test_why_now_works_on_the_seed_posted_as_json_lines(engine) -> None:  # type: ignore[no-untyped-def]
    body = (SEEDS / "aleppo-offensive.txt").read_text().split("\n", 1)[1].rsplit("\n", 1)[0]
    record = {**SEED_AS_JSONL, "body": body}
    engine.ingest_loaded(parse_jsonl(json.dumps(record), "seed.jsonl"))
    answer = engine.ask("Why now?")
    assert not answer.refused
    assert any("truce" in c.quote or "weakened" in c.quote for c in answer.citations)
    assert answer.focus is not None and answer.focus.article_ids == ("aleppo-jsonl",)


def test_major_powers_are_named(seeded) -> None:  # type: ignore[no-untyped-def]
    answer = seeded.ask("What major powers are at play?")
    assert {"Russia", "Iran", "Turkey"} <= entity_keys(answer.answer)


def test_the_story_carries_through_the_conversation(newsroom) -> None:  # type: ignore[no-untyped-def]
    answer = newsroom.ask("Why now?", history=PORT_TURN)
    assert not answer.refused and _cited(answer) == {"port-strike"}
    assert answer.focus is not None and answer.focus.article_ids == ("port-strike",)
    assert "conversation" in answer.focus.reason
    said = newsroom.ask("What did the union leader say?", history=PORT_TURN)
    assert _cited(said) == {"port-strike"} and "victory" in said.answer
    happened = newsroom.ask("What happened?", history=PORT_TURN)
    assert "ended a week-long strike" in happened.citations[0].quote
    later = newsroom.ask("What happens next?", history=PORT_TURN)
    assert any("scheduled" in c.quote or "resume" in c.quote for c in later.citations)
    payload = later.to_json()
    assert payload["focus"] == {"article_ids": ["port-strike"], "reason": later.focus.reason}


def test_the_history_can_be_an_earlier_answer(newsroom) -> None:  # type: ignore[no-untyped-def]
    history = (
        Turn("user", "Tell me about the earthquake"),
        Turn("assistant", "A magnitude 6.1 earthquake struck southern Peru on Saturday [1]."),
    )
    answer = newsroom.ask("What happens next?", history=history)
    assert _cited(answer) == {"quake"} and "Aftershocks" in answer.answer


def test_a_bare_question_without_a_story_says_what_is_missing(newsroom) -> None:  # type: ignore[no-untyped-def]
    for question in ("Why?", "And now?", "Why now?"):
        answer = newsroom.ask(question)
        assert answer.refused and answer.needs == NEEDS_STORY and not answer.citations
        assert "story" in answer.answer and answer.answer != CANNOT_ANSWER
        assert answer.to_json()["needs"] == "story"


def test_unmet_constraints_are_refused(newsroom) -> None:  # type: ignore[no-untyped-def]
    scoped = Filters(article_ids=("port-strike",))
    for question in (
        "What did the Pentagon say?",  # an entity the story never mentions
        "What did Lindsey Graham say?",
        "What happened at the port in 2031?",  # later than every article
        "How much did the strike cost?",  # no amount of money in the story
    ):
        answer = newsroom.ask(question, filters=scoped)
        assert answer.refused and answer.answer == CANNOT_ANSWER, question
    assert (
        newsroom.ask("How many ships were delayed?", filters=scoped).citations[0].quote.count("300")
    )


def test_odd_questions_get_clear_answers_or_errors(newsroom) -> None:  # type: ignore[no-untyped-def]
    for question in ("Strike", "?!?", "..."):
        answer = newsroom.ask(question)
        assert isinstance(answer.answer, str) and answer.answer
    with pytest.raises(QuestionError):
        newsroom.ask("why " * 600)


def test_the_llm_gets_the_same_focus_and_the_structure(newsroom, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    from qa.settings import LLMSettings

    fake.reset()
    newsroom.settings = newsroom.settings.model_copy(
        update={"llm": LLMSettings(base_url=fake.url, model="good", timeout=2.0)}
    )
    answer = newsroom.ask("What did the union leader say?", history=PORT_TURN, backend="openai")
    assert answer.backend == "openai" and answer.degraded is None
    assert answer.focus is not None and answer.focus.article_ids == ("port-strike",)
    prompt = fake.requests[-1]["messages"][1]["content"]
    assert "part: lede" in prompt and "speakers: union leader Anja de Vries (quoted)" in prompt
    assert "Earthquake" not in prompt and "Aleppo" not in prompt  # only the story's passages
    bare = newsroom.ask("Why?", backend="openai")
    assert bare.needs == NEEDS_STORY

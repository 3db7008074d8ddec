"""The engine's openai backend end to end: real index, real model, real openai client, fake server.

Each script of the fake server, with the behaviour the service promises: verified sentences and
exact spans, dropped ids, flagged or (strict) dropped sentences, the refusal, streaming, retries,
and for every fault the extractive answer flagged `degraded` (never an exception)."""

from __future__ import annotations

import time

import pytest

from qa.engine import QuestionError
from qa.llm.answer import NOTHING_CITED
from qa.types import CANNOT_ANSWER, Answer, Turn
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import (  # noqa: F401 (fixtures)
    assert_exact_spans,
    fake_fixture,
    llm_engine_fixture,
    seeded_store_fixture,
)

QUESTION = "What has Turkey demanded?"
TURKEY = "Turkey has demanded an end to"


def run(engine, question: str = QUESTION, **kwargs) -> tuple[list[str], Answer]:  # type: ignore[no-untyped-def]
    events = list(engine.ask_stream(question, backend="openai", **kwargs))
    *deltas, answer = events
    assert isinstance(answer, Answer) and all(isinstance(d, str) for d in deltas)
    return deltas, answer


def test_a_good_answer_is_streamed_then_verified(
    llm_engine, seeded_store, fake: FakeOpenAI
) -> None:  # type: ignore[no-untyped-def]
    deltas, answer = run(llm_engine("good"))
    assert len(deltas) > 3
    assert "".join(deltas) == fake.replies[-1][1].text  # the model's draft, as it came
    assert answer.backend == "openai" and answer.degraded is None and not answer.refused
    assert answer.sentences and all(s.supported for s in answer.sentences)
    assert any(TURKEY in c.quote for c in answer.citations)
    for sentence in answer.sentences:
        assert sentence.refs and all(f"[{r}]" in answer.answer for r in sentence.refs)
    assert_exact_spans(answer, seeded_store[1])
    assert answer.to_json()["sentences"][0] == {
        "text": answer.sentences[0].text,
        "refs": answer.sentences[0].refs,
        "supported": True,
        "problems": [],  # reason codes and texts of a flagged sentence (issue 13)
        "reasons": [],
        "dates": answer.sentences[
            0
        ].dates,  # the dates it mentions, resolved (qa/dated/answer_dates.py)
    }
    prompt = fake.requests[-1]["messages"][1]["content"]
    assert f"<question>{QUESTION}</question>" in prompt and 'passage n="1"' in prompt


def test_a_passage_that_was_not_given_is_dropped(llm_engine) -> None:  # type: ignore[no-untyped-def]
    _, answer = run(llm_engine("bad-ref"))
    first, second = answer.sentences
    assert first.supported and first.refs == [1]
    assert not second.supported and second.refs == []
    assert [c.ref for c in answer.citations] == [1]


def test_an_unsupported_sentence_is_flagged_or_dropped_in_strict_mode(llm_engine) -> None:  # type: ignore[no-untyped-def]
    _, relaxed = run(llm_engine("unsupported"))
    assert [s.supported for s in relaxed.sentences] == [True, False]
    assert "Norwegian" in relaxed.answer
    _, strict = run(llm_engine("unsupported", strict=True))
    assert [s.supported for s in strict.sentences] == [True]
    assert "Norwegian" not in strict.answer and strict.degraded is None


def test_a_fabricated_quote_is_not_supported(llm_engine) -> None:  # type: ignore[no-untyped-def]
    _, answer = run(llm_engine("fake-quote"))
    assert [s.supported for s in answer.sentences] == [True, False]
    assert "Damascus by Christmas" in answer.sentences[1].text


def test_the_sentinel_is_a_refusal(llm_engine) -> None:  # type: ignore[no-untyped-def]
    _, answer = run(llm_engine("sentinel"), "Who won the 2022 World Cup?")
    assert answer.refused and answer.answer == CANNOT_ANSWER and answer.citations == []
    assert answer.backend == "openai" and answer.degraded is None


def test_a_500_is_retried(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    _, answer = run(llm_engine("flaky-500"))
    assert answer.backend == "openai" and answer.degraded is None
    assert fake.attempts["flaky-500"] == 2


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("hang", "sent nothing for 0.3 s"),
        ("garbage", "malformed"),
        ("broken", "dropped the connection"),
        ("stall", "stopped for 0.3 s mid-answer"),
        ("always-500", "failed with 500"),
        ("auth", "refused the API key"),
        ("uncited", NOTHING_CITED),
    ],
)
def test_faults_degrade_to_the_extractive_answer(
    llm_engine, seeded_store, script: str, reason: str
) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    _, answer = run(llm_engine(script, timeout=0.3, max_retries=1))
    assert time.perf_counter() - started < 5.0
    assert answer.backend == "extractive" and reason in (answer.degraded or "")
    assert not answer.refused and any(TURKEY in c.quote for c in answer.citations)
    assert_exact_spans(answer, seeded_store[1])


def test_an_unreachable_server_degrades(llm_engine) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import free_port

    engine = llm_engine("good", base_url=f"http://127.0.0.1:{free_port()}/v1", max_retries=0)
    _, answer = run(engine)
    assert answer.backend == "extractive" and "cannot reach" in (answer.degraded or "")


def test_no_llm_configured_degrades_with_the_reason(llm_engine) -> None:  # type: ignore[no-untyped-def]
    engine = llm_engine("good", base_url=None)
    answer = engine.ask(QUESTION, backend="openai")
    assert answer.backend == "extractive" and "NEWSDESK_LLM_BASE_URL" in (answer.degraded or "")
    assert engine.ask(QUESTION).degraded is None  # the default backend is untouched


def test_a_follow_up_is_condensed_by_the_model(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    history = [
        Turn("user", "What major powers are at play?"),
        Turn("assistant", "The main powers have refrained from escalatory remarks [1]."),
    ]
    _, answer = run(llm_engine("good"), "and Turkey?", history=history)
    condense_request, answer_request = fake.requests[-2:]
    assert "standalone question" in condense_request["messages"][0]["content"]
    assert (
        "<question>What major powers are at play, regarding Turkey?</question>"
        in answer_request["messages"][1]["content"]
    )
    assert answer.degraded is None and any("Turkey" in c.quote for c in answer.citations)


def test_a_follow_up_offline_uses_the_rule(llm_engine) -> None:  # type: ignore[no-untyped-def]
    history = [Turn("user", "What major powers are at play?")]
    answer = llm_engine().ask("and Turkey?", history=history)
    assert answer.backend == "extractive"
    assert any("Turkey" in c.quote for c in answer.citations)
    assert any(c.section == "What major powers are at play?" for c in answer.citations)


def test_an_unknown_backend_is_a_question_error(llm_engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QuestionError):
        llm_engine().ask(QUESTION, backend="gpt")

"""The optional LLM judge (verification.judge) through the real LLM path and the fake server: off by
default, asked once per sentence that passed the code checks, it can only reject, and a judge that
answers nonsense leaves the code's verdict standing."""

from __future__ import annotations

import pytest

from qa.llm.answer import NOTHING_SUPPORTED
from qa.llm.judge import judge_messages, parse_verdict
from qa.settings import Settings, VerificationSettings
from qa.types import Answer
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import (  # noqa: F401 (fixtures)
    fake_fixture,
    llm_engine_fixture,
    seeded_store_fixture,
)

QUESTION = "What has Turkey demanded?"


def judged(fake: FakeOpenAI) -> list[str]:
    """The user prompts of the judge requests the fake received."""
    return [
        r["messages"][-1]["content"]
        for r in fake.requests
        if "entailed, contradicted, not_stated" in r["messages"][0]["content"]
    ]


def ask(llm_engine, script: str, judge: bool) -> Answer:  # type: ignore[no-untyped-def]
    engine = llm_engine(script)
    engine.settings = engine.settings.model_copy(
        update={"verification": VerificationSettings(judge=judge)}
    )
    *_, answer = engine.ask_stream(QUESTION, backend="openai")
    assert isinstance(answer, Answer)
    return answer


def test_the_judge_is_off_by_default(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    assert Settings().verification.judge is False
    answer = ask(llm_engine, "good", judge=False)
    assert answer.sentences and all(s.supported for s in answer.sentences)
    assert judged(fake) == []


def test_the_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_VERIFICATION__JUDGE", "true")
    assert Settings().verification.judge is True


def test_an_entailing_judge_keeps_every_verified_sentence(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    answer = ask(llm_engine, "good", judge=True)
    assert answer.backend == "openai" and answer.degraded is None
    assert answer.sentences and all(s.supported for s in answer.sentences)
    prompts = judged(fake)
    assert len(prompts) == len(answer.sentences)
    for prompt, sentence in zip(prompts, answer.sentences, strict=True):
        assert f"<claim>\n{sentence.text}\n</claim>" in prompt and "<passage>\n" in prompt


def test_a_rejecting_judge_removes_support(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    answer = ask(llm_engine, "judge-no", judge=True)
    # every sentence rejected: the service falls back to the extractive answer, as for any
    # LLM answer with no supported sentence
    assert answer.backend == "extractive" and answer.degraded == NOTHING_SUPPORTED
    assert len(judged(fake)) == 2


def test_a_judge_without_a_verdict_leaves_the_code_verdict(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    answer = ask(llm_engine, "judge-junk", judge=True)
    assert answer.backend == "openai" and all(s.supported for s in answer.sentences)
    assert len(judged(fake)) == len(answer.sentences)


def test_the_judge_reason_is_in_the_sentence(fake: FakeOpenAI, seeded_store, embedder) -> None:  # type: ignore[no-untyped-def]
    from qa.checks.verify import verify
    from qa.engine import Engine
    from qa.llm.client import make_llm
    from qa.llm.judge import judge
    from qa.settings import LLMSettings

    settings, store = seeded_store
    engine = Engine(settings, store, embedder)
    passages = engine.retrieve(QUESTION)
    first = passages[0].chunk
    a, b = first.sentences[0]
    sentence = first.text[a - first.start : b - first.start]
    checked = verify(f"{sentence} [1]", passages, engine._checker())
    assert checked.sentences[0].supported
    llm = make_llm(LLMSettings(base_url=fake.url, model="judge-no", timeout=2.0))
    out = judge(checked, llm).sentences[0]
    assert not out.supported and out.codes == ["judge"]
    assert out.problem == "the LLM judge finds the passage does not state this"


def test_verdicts_are_parsed_leniently() -> None:
    assert parse_verdict("Entailed.") == "entailed"
    assert parse_verdict("not stated") == "not_stated"
    assert parse_verdict("Verdict: CONTRADICTED") == "contradicted"
    assert parse_verdict("I think so") is None
    system, user = judge_messages("A claim.", "A span.")
    assert system["role"] == "system" and "<claim>\nA claim.\n</claim>" in user["content"]

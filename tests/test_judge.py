"""The optional LLM judge (verification.judge) through the real LLM path and the fake server: off by
default, asked once per answer about every sentence that passed the code checks, it can only reject,
and a judge that answers nonsense leaves the code's verdict standing."""

from __future__ import annotations

import pytest

from qa.llm.answer import NOTHING_SUPPORTED
from qa.llm.judge import judge_messages, parse_verdict, parse_verdicts
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


def ask(llm_engine, script: str, judge: bool, strict: bool = False) -> Answer:  # type: ignore[no-untyped-def]
    engine = llm_engine(script, strict=strict)
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
    assert len(answer.sentences) == 2 and len(prompts) == 1  # one call for the whole answer
    for n, sentence in enumerate(answer.sentences, start=1):
        item = prompts[0].split(f'<item n="{n}">\n', 1)[1].split("</item>", 1)[0]
        assert f"<claim>\n{sentence.text}\n</claim>" in item and "<passage>\n" in item


def test_a_rejecting_judge_removes_support(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    answer = ask(llm_engine, "judge-no", judge=True)
    # every sentence rejected: the answer is still the model's, each sentence marked with the
    # judge's reason and cited nowhere
    assert answer.backend == "openai" and answer.degraded is None
    assert len(answer.sentences) == 2 and not answer.citations
    for sentence in answer.sentences:
        assert not sentence.supported and sentence.problems == ["judge"]
        assert sentence.reasons == ["the LLM judge finds the cited passages do not state this"]
    assert len(judged(fake)) == 1


def test_strict_mode_falls_back_when_the_judge_rejects_everything(
    llm_engine, fake: FakeOpenAI
) -> None:  # type: ignore[no-untyped-def]
    answer = ask(llm_engine, "judge-no", judge=True, strict=True)
    assert answer.backend == "extractive" and answer.degraded == NOTHING_SUPPORTED
    assert len(judged(fake)) == 1


def test_a_judge_without_a_verdict_leaves_the_code_verdict(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    answer = ask(llm_engine, "judge-junk", judge=True)
    assert answer.backend == "openai" and all(s.supported for s in answer.sentences)
    assert len(judged(fake)) == 1


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
    assert out.problem == "the LLM judge finds the cited passages do not state this"


def test_verdicts_are_parsed_leniently() -> None:
    assert parse_verdict("Entailed.") == "entailed"
    assert parse_verdict("not stated") == "not_stated"
    assert parse_verdict("Verdict: CONTRADICTED") == "contradicted"
    assert parse_verdict("I think so") is None
    system, user = judge_messages([("A claim.", ["A span."]), ("Another <b>.", ["x", "y"])])
    assert system["role"] == "system"
    assert (
        '<item n="1">\n<passage>\nA span.\n</passage>\n<claim>\nA claim.\n</claim>'
        in user["content"]
    )
    assert "<b>" not in user["content"]  # the claim cannot open a tag in the prompt
    assert user["content"].count("<passage>") == 3


def test_batched_verdicts_are_read_per_claim() -> None:
    reply = "1: entailed\n2. Not stated\nClaim 3 - CONTRADICTED\n9: not_stated\n1: contradicted"
    assert parse_verdicts(reply, 3) == {1: "entailed", 2: "not_stated", 3: "contradicted"}
    assert parse_verdicts("Entailed.", 1) == {1: "entailed"}  # one claim: the bare word will do
    assert parse_verdicts("Entailed.", 2) == {}  # two claims: a bare word names neither
    assert parse_verdicts("2: entailed", 2) == {2: "entailed"}  # claim 1 keeps the code verdict

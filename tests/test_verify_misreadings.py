"""The issue's five misreadings of the seed article, through the real LLM path: a real engine over the
seed, the real `openai` client, the fake OpenAI-compatible server on loopback (script `misreader`).

Each misreading was marked supported before the claim checks; each must now be flagged with its reason
code in the answer's JSON, dropped in strict mode, and not rescued by an approving judge."""

from __future__ import annotations

from qa.checks.claim_checks import NOTES
from qa.types import Answer
from tests.fake_openai import MISREADINGS, FakeOpenAI
from tests.llm_fixtures import (  # noqa: F401 (fixtures)
    fake_fixture,
    llm_engine_fixture,
    seeded_store_fixture,
)

QUESTION = "What major powers are at play and what did the Kremlin say?"


def ask(engine) -> Answer:  # type: ignore[no-untyped-def]
    *_, answer = engine.ask_stream(QUESTION, top_k=20, backend="openai")
    assert isinstance(answer, Answer) and answer.backend == "openai" and not answer.degraded
    return answer


def test_each_misreading_is_flagged_with_its_reason(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    answer = ask(llm_engine("misreader"))
    assert fake.replies[-1][1].truth["planted"] == [kind for _, _, kind in MISREADINGS]
    by_text = {s.text: s for s in answer.sentences}
    assert answer.sentences[0].supported  # the true sentence copied from a passage
    for claim, _, kind in MISREADINGS:
        sentence = by_text[claim]
        assert not sentence.supported and sentence.refs == [], claim
        assert kind in sentence.problems, (claim, sentence.problems)
        assert sentence.reasons and all(r.strip() for r in sentence.reasons)
    speaker = by_text[MISREADINGS[1][0]]
    assert "speaker differs: the passage attributes this to Dareen Khalifa" in speaker.reasons
    out = {s["text"]: s for s in answer.to_json()["sentences"]}
    # the error's own code comes first (the speaker swap also adds a name the passage lacks), unless
    # the fit on third-party labels made it a note (qa/checks/calibration.json): then the blocking
    # code comes first and the note follows
    for claim, _, kind in MISREADINGS:
        codes = out[claim]["problems"]
        assert codes[0] == kind if kind not in NOTES else codes.index(kind) > 0, (claim, codes)


def test_strict_mode_drops_the_misreadings(llm_engine) -> None:  # type: ignore[no-untyped-def]
    answer = ask(llm_engine("misreader", strict=True))
    assert [s.supported for s in answer.sentences] == [True]
    for claim, _, _ in MISREADINGS:
        assert claim.rstrip(".") not in answer.answer


def test_an_approving_judge_never_overrules_a_code_failure(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    from qa.settings import VerificationSettings

    engine = llm_engine("misreader")
    engine.settings = engine.settings.model_copy(
        update={"verification": VerificationSettings(judge=True)}
    )
    answer = ask(engine)
    judged = [r for r in fake.requests if "not_stated" in r["messages"][0]["content"]]
    assert len(judged) == 1  # only the sentence that passed the code checks is judged
    assert [s.supported for s in answer.sentences] == [True] + [False] * len(MISREADINGS)


def test_the_reasons_reach_the_openai_compatible_reply(llm_engine) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient
    from openai import OpenAI

    from ui.api import create_app

    engine = llm_engine("misreader")
    with TestClient(create_app(engine.settings, engine)) as client:
        reply = OpenAI(
            base_url="http://testserver/v1", api_key="unused", http_client=client
        ).chat.completions.create(
            model="newsdesk",
            messages=[{"role": "user", "content": QUESTION}],
            extra_body={"backend": "openai", "top_k": 20},
        )
    sentences = {s["text"]: s for s in reply.model_extra["newsdesk"]["sentences"]}
    for claim, _, kind in MISREADINGS:
        assert sentences[claim]["supported"] is False and kind in sentences[claim]["problems"]
        assert sentences[claim]["problems"][0] == kind or kind in NOTES
        assert len(sentences[claim]["reasons"]) == len(sentences[claim]["problems"])

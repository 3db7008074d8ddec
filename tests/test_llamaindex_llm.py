"""Any llama-index LLM as newsdesk's answering model (ui/llamaindex_llm.py): the same prompt, the same
citation checks and the same fallback as with our own openai client. llama-index's MockLLM, and its
OpenAILike with the real openai client against the fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.llms import MockLLM
from llama_index.core.llms.mock import (
    MockLLMWithChatMemoryOfLastCall,
    MockLLMWithNonyieldingChatStream,
)
from llama_index.llms.openai_like import OpenAILike

from qa.llm.answer import NOTHING_SUPPORTED
from qa.llm.client import LLMError
from tests.conftest import SEEDS, free_port
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import (  # noqa: F401 (fixtures)
    assert_exact_spans,
    fake_fixture,
    seeded_store_fixture,
)
from ui.llamaindex import LlamaIndexLLM, NewsdeskQueryEngine

QUESTION = "What has Turkey demanded?"
TURKEY = "Turkey has demanded an end to"
MESSAGES = [{"role": "user", "content": "Say nothing."}]


def openai_like(url: str, model: str, **options: Any) -> LlamaIndexLLM:
    settings: dict[str, Any] = {"max_retries": 0, "timeout": 5.0}
    settings.update(options)
    return LlamaIndexLLM(
        OpenAILike(
            model=model,
            api_base=url,
            api_key="unused",
            is_chat_model=True,  # the fake serves chat completions (OpenAILike's default: not)
            context_window=8000,
            max_tokens=512,
            **settings,
        )
    )


@pytest.fixture(name="engine_with")
def engine_with_fixture(seeded_store, embedder):  # type: ignore[no-untyped-def]
    from qa.engine import Engine

    settings, store = seeded_store
    return lambda llm: Engine(settings, store, embedder, llm=llm)


def test_mock_llm_answers_are_checked_like_any_other(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    from qa.engine import Engine
    from qa.settings import LLMSettings, Settings

    mock = MockLLMWithChatMemoryOfLastCall()
    settings = Settings(data_dir=tmp_path / "data")
    engine = Engine.from_settings(settings, llm=LlamaIndexLLM(mock))
    strict = Engine(
        settings.model_copy(update={"llm": LLMSettings(strict=True)}),
        engine.store,
        engine.embedder,
        LlamaIndexLLM(mock),
    )
    try:
        engine.ingest_paths([SEEDS])
        answer = engine.ask(QUESTION, backend="openai")
        strict_answer = strict.ask(QUESTION, backend="openai")
        offline = engine.ask(QUESTION, backend="extractive")
    finally:
        strict.retriever.close()
        engine.close()
    # MockLLM was given our prompt (the question, the numbered passages) ...
    prompt = mock.last_chat_messages[-1].content  # type: ignore[index]
    assert f"<question>{QUESTION}</question>" in prompt and '<passage n="1">' in prompt
    # ... and echoes it: checked like any model's answer, no sentence of the echo is supported and
    # each is shown marked with its reason (issue 21: not silently replaced) ...
    assert answer.degraded is None and answer.sentences
    assert not any(s.supported for s in answer.sentences)
    assert all(s.problems for s in answer.sentences)
    # ... while strict mode drops them and falls back to the offline answer.
    assert strict_answer.degraded == NOTHING_SUPPORTED
    assert strict_answer.answer == offline.answer and TURKEY in strict_answer.answer


def test_a_verified_answer_from_openai_like(engine_with, seeded_store, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    engine = engine_with(openai_like(fake.url, "good"))
    response = NewsdeskQueryEngine(engine=engine, backend="openai").query(QUESTION)
    meta = response.metadata
    assert meta["backend"] == "openai" and meta["degraded"] is None and not meta["refused"]
    assert meta["sentences"] and all(s["supported"] for s in meta["sentences"])
    assert any(TURKEY in n.node.metadata["quote"] for n in response.source_nodes)
    assert [n.node.metadata["ref"] for n in response.source_nodes] == [
        c["ref"] for c in meta["citations"]
    ]
    answer = engine.ask(QUESTION, backend="openai")
    assert_exact_spans(answer, seeded_store[1])
    assert fake.requests[-1]["model"] == "good"


def test_an_unsupported_sentence_from_openai_like_is_flagged_uncited(engine_with, fake) -> None:  # type: ignore[no-untyped-def]
    engine = engine_with(openai_like(fake.url, "unsupported"))
    response = NewsdeskQueryEngine(engine=engine, backend="openai").query(QUESTION)
    sentences = response.metadata["sentences"]
    assert [s["supported"] for s in sentences] == [True, False] and sentences[1]["refs"] == []
    assert "Norwegian" in response.response
    assert all("Norwegian" not in n.node.metadata["quote"] for n in response.source_nodes)


def test_openai_like_streams_then_the_checked_answer(engine_with, fake) -> None:  # type: ignore[no-untyped-def]
    engine = engine_with(openai_like(fake.url, "good"))
    response = NewsdeskQueryEngine(engine=engine, backend="openai", streaming=True).query(QUESTION)
    deltas = list(response.response_gen)
    draft = fake.replies[-1][1].text
    assert len(deltas) > 3 and "".join(deltas).startswith(draft)
    final = response.metadata["answer"]
    # The checked answer renumbers citations; when it differs from the draft it comes last.
    assert "".join(deltas) in (draft, f"{draft}\n\nCorrected answer: {final}")
    assert str(response) == final and response.source_nodes


@pytest.mark.parametrize(
    ("model", "options", "reason"),
    [
        ("always-500", {}, "failed with 500"),
        ("auth", {}, "refused the credentials (401)"),
        ("garbage", {}, "malformed response"),
        ("hang", {"timeout": 0.5}, "timed out before answering"),
        ("broken", {}, "dropped the connection mid-answer"),
    ],
)
def test_a_failing_model_degrades_to_the_extractive_answer(
    engine_with, fake, model: str, options: dict[str, Any], reason: str
) -> None:  # type: ignore[no-untyped-def]
    engine = engine_with(openai_like(fake.url, model, **options))
    answer = engine.ask(QUESTION, backend="openai")
    assert answer.degraded is not None and reason in answer.degraded, answer.degraded
    assert f"{model} through llama-index OpenAILike" in answer.degraded
    assert TURKEY in answer.answer and answer.backend == "extractive"


def test_an_unreachable_model_degrades(engine_with) -> None:  # type: ignore[no-untyped-def]
    engine = engine_with(openai_like(f"http://127.0.0.1:{free_port()}/v1", "good"))
    answer = engine.ask(QUESTION, backend="openai")
    assert answer.degraded is not None and "cannot reach the LLM" in answer.degraded


def test_only_llama_index_llms_are_wrapped() -> None:
    with pytest.raises(TypeError, match="llama-index LLM"):
        LlamaIndexLLM(object())  # type: ignore[arg-type]
    with pytest.raises(LLMError, match="returned no text"):
        list(LlamaIndexLLM(MockLLMWithNonyieldingChatStream()).stream(MESSAGES))
    assert LlamaIndexLLM(MockLLM(max_tokens=2)).complete(MESSAGES) == "text text"

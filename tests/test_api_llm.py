"""The API over the openai backend (the fake OpenAI-compatible server as the model): answers stream
through /v1/chat/completions delta by delta, and a model that fails is a degraded answer, never an
error status."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import (  # noqa: F401 (fixtures)
    fake_fixture,
    llm_engine_fixture,
    seeded_store_fixture,
)

QUESTION = "What has Turkey demanded?"


def api(engine) -> TestClient:  # type: ignore[no-untyped-def]
    from ui.api import create_app

    return TestClient(create_app(engine.settings, engine))


def openai_over(client: TestClient):  # type: ignore[no-untyped-def]
    from openai import OpenAI

    # The official client, speaking HTTP to the app through Starlette's httpx-based TestClient.
    return OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=client)


def test_llm_answers_stream_delta_by_delta(llm_engine, fake: FakeOpenAI) -> None:  # type: ignore[no-untyped-def]
    with api(llm_engine("good")) as client:
        chunks = list(
            openai_over(client).chat.completions.create(
                model="newsdesk",
                messages=[{"role": "user", "content": QUESTION}],
                stream=True,
                extra_body={"backend": "openai"},
            )
        )
    answer = chunks[-1].model_extra["newsdesk"]
    assert answer["backend"] == "openai" and answer["degraded"] is None
    texts = [c.choices[0].delta.content or "" for c in chunks if c.choices]
    assert sum(1 for t in texts if t) > 3  # the model's deltas, passed on as they came
    streamed = "".join(texts)
    assert streamed.startswith(fake.replies[-1][1].text)
    assert "Sources:\n[1] " in streamed and any("Turkey" in c["quote"] for c in answer["citations"])


@pytest.mark.parametrize("script", ["always-500", "broken", "garbage", "auth"])
def test_a_failing_model_is_a_degraded_answer_not_an_error(llm_engine, script: str) -> None:  # type: ignore[no-untyped-def]
    with api(llm_engine(script, max_retries=0)) as client:
        asked = client.post("/v1/ask", json={"question": QUESTION, "backend": "openai"})
        assert asked.status_code == 200
        assert asked.json()["backend"] == "extractive" and asked.json()["degraded"]
        streamed = client.post(
            "/v1/chat/completions",
            json={
                "model": "newsdesk",
                "messages": [{"role": "user", "content": QUESTION}],
                "stream": True,
                "backend": "openai",
            },
        )
    assert streamed.status_code == 200 and streamed.text.endswith("data: [DONE]\n\n")
    events = [line.removeprefix("data: ") for line in streamed.text.split("\n\n") if line]
    final = json.loads(events[-2])
    assert final["newsdesk"] == asked.json()
    text = "".join(
        (json.loads(e)["choices"] or [{}])[0].get("delta", {}).get("content") or ""
        for e in events[:-1]
    )
    # Whatever the model managed to send first, the client ends with the answer that stands.
    assert asked.json()["answer"] in text
    if script == "broken":  # part of a draft went out: the answer that stands is marked as such
        assert "\n\nCorrected answer: " + asked.json()["answer"] in text

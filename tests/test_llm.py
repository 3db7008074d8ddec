"""OpenAIChat with the real `openai` client against the fake server over real HTTP: each fault maps to
one LLMError, retries are bounded, and settings reach the request."""

from __future__ import annotations

import time

import pytest

from qa.llm.client import LLMError, OpenAIChat, make_llm
from qa.settings import LLMSettings, Settings
from tests.conftest import free_port
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import fake_fixture  # noqa: F401 (the `fake` fixture)

MESSAGES = [
    {"role": "system", "content": "Answer from the passages."},
    {
        "role": "user",
        "content": '<passage n="1">\ntitle: T\ntext: Rebels attacked Aleppo on Wednesday. '
        "They took most of the city.\n</passage>\n\n<question>When did rebels attack Aleppo?</question>",
    },
]
EXPECTED = "Rebels attacked Aleppo on Wednesday [1]. They took most of the city [1]."


def chat(fake: FakeOpenAI, model: str, **options: object) -> OpenAIChat:
    fake.reset()
    settings = {"timeout": 2.0, "max_retries": 2, **options}
    return OpenAIChat(model, fake.url, "sk-test", **settings)  # type: ignore[arg-type]


def failure(call) -> LLMError:  # type: ignore[no-untyped-def]
    with pytest.raises(LLMError) as caught:
        call()
    return caught.value


def test_complete_sends_the_settings_and_returns_the_text(fake: FakeOpenAI) -> None:
    llm = chat(fake, "good", max_tokens=77, temperature=0.3)
    assert llm.complete(MESSAGES) == EXPECTED
    body, headers = fake.requests[0], fake.headers[0]
    assert body["model"] == "good" and body["max_tokens"] == 77 and body["temperature"] == 0.3
    assert body["messages"] == MESSAGES and not body.get("stream")
    assert headers["authorization"] == "Bearer sk-test"


def test_stream_yields_deltas_that_add_up_to_the_answer(fake: FakeOpenAI) -> None:
    deltas = list(chat(fake, "stream").stream(MESSAGES))
    assert len(deltas) > 3 and "".join(deltas) == EXPECTED
    assert fake.requests[0]["stream"] is True


@pytest.mark.parametrize("script", ["flaky-500", "flaky-429"])
def test_a_500_or_429_is_retried_then_succeeds(fake: FakeOpenAI, script: str) -> None:
    llm = chat(fake, script)
    assert llm.complete(MESSAGES) == EXPECTED
    assert fake.attempts[script] == 2
    assert "".join(chat(fake, script).stream(MESSAGES)) == EXPECTED


def test_retries_are_bounded(fake: FakeOpenAI) -> None:
    err = failure(lambda: chat(fake, "always-500", max_retries=2).complete(MESSAGES))
    assert err.kind == "server_error" and "500" in err.reason and "3 attempts" in err.reason
    assert fake.attempts["always-500"] == 3


def test_a_hanging_server_times_out_within_the_bound(fake: FakeOpenAI) -> None:
    started = time.perf_counter()
    err = failure(lambda: "".join(chat(fake, "hang", timeout=0.3, max_retries=1).stream(MESSAGES)))
    elapsed = time.perf_counter() - started
    assert err.kind == "timeout" and "0.3 s" in err.reason
    assert fake.attempts["hang"] == 2
    assert elapsed < 0.3 * 2 + 3.0  # two attempts and one backoff, never the server's 60 s


@pytest.mark.parametrize("streaming", [False, True])
def test_garbage_is_a_malformed_response(fake: FakeOpenAI, streaming: bool) -> None:
    llm = chat(fake, "garbage")
    err = failure(lambda: "".join(llm.stream(MESSAGES)) if streaming else llm.complete(MESSAGES))
    assert err.kind == "malformed"


def test_an_empty_answer_is_malformed(fake: FakeOpenAI) -> None:
    assert failure(lambda: chat(fake, "empty").complete(MESSAGES)).kind == "malformed"
    assert failure(lambda: list(chat(fake, "empty").stream(MESSAGES))).kind == "malformed"


def test_a_connection_dropped_mid_stream_is_reported_after_the_deltas(fake: FakeOpenAI) -> None:
    got: list[str] = []
    with pytest.raises(LLMError) as caught:
        for delta in chat(fake, "broken").stream(MESSAGES):
            got.append(delta)
    assert caught.value.kind == "broken" and got and EXPECTED.startswith("".join(got))


def test_a_server_that_stalls_mid_stream_times_out(fake: FakeOpenAI) -> None:
    got: list[str] = []
    with pytest.raises(LLMError) as caught:
        for delta in chat(fake, "stall", timeout=0.3).stream(MESSAGES):
            got.append(delta)
    assert caught.value.kind == "timeout" and "mid-answer" in caught.value.reason and got
    assert fake.attempts["stall"] == 1  # text had gone out: no retry


def test_a_refused_key_is_not_retried(fake: FakeOpenAI) -> None:
    err = failure(lambda: chat(fake, "auth").complete(MESSAGES))
    assert err.kind == "auth" and fake.attempts["auth"] == 1


def test_an_unreachable_server(fake: FakeOpenAI) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    llm = OpenAIChat("good", url, None, timeout=1.0, max_retries=0)
    err = failure(lambda: llm.complete(MESSAGES))
    assert err.kind == "unreachable" and url in err.reason


def test_missing_settings_are_an_error_before_any_request() -> None:
    err = failure(lambda: make_llm(LLMSettings()))
    assert err.kind == "not_configured" and "NEWSDESK_LLM_BASE_URL" in err.reason
    assert make_llm(LLMSettings(api_key="sk-x")).base_url == "https://api.openai.com/v1"
    assert failure(lambda: make_llm(LLMSettings(base_url="http://h/v1", model=" "))).kind


def test_settings_from_the_flat_names_and_the_openai_fallbacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("NEWSDESK_LLM_BASE_URL", "NEWSDESK_LLM_API_KEY", "NEWSDESK_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://fallback/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fallback")
    llm = Settings().llm
    assert llm.base_url == "http://fallback/v1" and llm.api_key
    assert llm.api_key.get_secret_value() == "sk-fallback"
    monkeypatch.setenv("NEWSDESK_LLM_BASE_URL", "http://ours/v1")
    monkeypatch.setenv("NEWSDESK_LLM_API_KEY", "sk-ours")
    monkeypatch.setenv("NEWSDESK_LLM_MODEL", "qwen")
    monkeypatch.setenv("NEWSDESK_LLM__TIMEOUT", "7")
    monkeypatch.setenv("NEWSDESK_BACKEND", "openai")
    settings = Settings()
    assert settings.backend == "openai"
    assert (settings.llm.base_url, settings.llm.model, settings.llm.timeout) == (
        "http://ours/v1",
        "qwen",
        7.0,
    )
    assert settings.llm.api_key and settings.llm.api_key.get_secret_value() == "sk-ours"
    assert "sk-ours" not in repr(settings)  # the key never shows in logs
    monkeypatch.setenv("NEWSDESK_LLM__MODEL", "nested-wins")
    assert Settings().llm.model == "nested-wins"

"""`newsdesk ask --backend openai`: settings from the environment, a clear error when the LLM is
missing or fails, and the JSON contract's `sentences` and `degraded`."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEEDS
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import fake_fixture  # noqa: F401 (the `fake` fixture)
from ui.cli import main

LLM_NAMES = (
    "NEWSDESK_LLM_BASE_URL",
    "NEWSDESK_LLM_API_KEY",
    "NEWSDESK_LLM_MODEL",
    "OPENAI_BASE_URL",
    "OPENAI_API_KEY",
    "NEWSDESK_BACKEND",
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli-llm") / "data")
    assert main(["--data-dir", path, "ingest", str(SEEDS)]) == 0
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI):  # type: ignore[no-untyped-def]
    """Point the LLM settings at the fake; `env("hang", NEWSDESK_LLM__TIMEOUT="0.3")`."""
    for name in LLM_NAMES:
        monkeypatch.delenv(name, raising=False)

    def point(model: str, **more: str) -> None:
        monkeypatch.setenv("NEWSDESK_LLM_BASE_URL", fake.url)
        monkeypatch.setenv("NEWSDESK_LLM_MODEL", model)
        for name, value in more.items():
            monkeypatch.setenv(name, value)

    return point


def ask(data_dir: str, *args: str) -> int:
    return main(["--data-dir", data_dir, "ask", "What has Turkey demanded?", *args])


def test_missing_llm_settings_are_a_clear_error(data_dir: str, env, capsys) -> None:  # type: ignore[no-untyped-def]
    assert ask(data_dir, "--backend", "openai") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "openai backend is not usable" in err and "NEWSDESK_LLM_BASE_URL" in err


def test_the_json_contract_has_verified_sentences(data_dir: str, env, capsys) -> None:  # type: ignore[no-untyped-def]
    env("good")
    assert ask(data_dir, "--backend", "openai", "--json") == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["backend"] == "openai" and answer["degraded"] is None
    assert answer["sentences"] and all(s["supported"] for s in answer["sentences"])
    # problems, reasons: issue 13; dates: issue 15
    keys = {"text", "refs", "supported", "problems", "reasons", "dates"}
    assert all(set(s) == keys and s["problems"] == [] for s in answer["sentences"])
    refs = {r for s in answer["sentences"] for r in s["refs"]}
    assert refs == {c["ref"] for c in answer["citations"]}


def test_the_backend_comes_from_settings_too(data_dir: str, env, capsys) -> None:  # type: ignore[no-untyped-def]
    env("good", NEWSDESK_BACKEND="openai")
    assert ask(data_dir, "--json") == 0
    assert json.loads(capsys.readouterr().out)["backend"] == "openai"
    assert ask(data_dir, "--json", "--backend", "extractive") == 0
    assert json.loads(capsys.readouterr().out)["backend"] == "extractive"


def test_a_failing_llm_prints_why_and_exits_1(data_dir: str, env, capsys) -> None:  # type: ignore[no-untyped-def]
    env("hang", NEWSDESK_LLM__TIMEOUT="0.3", NEWSDESK_LLM__MAX_RETRIES="0")
    assert ask(data_dir, "--backend", "openai", "--json") == 1
    out, err = capsys.readouterr()
    answer = json.loads(out)
    assert answer["backend"] == "extractive" and "sent nothing for 0.3 s" in answer["degraded"]
    assert "newsdesk: extractive answer instead: the LLM" in err


def test_unsupported_sentences_are_pointed_out(data_dir: str, env, capsys) -> None:  # type: ignore[no-untyped-def]
    env("unsupported")
    assert ask(data_dir, "--backend", "openai") == 0
    out = capsys.readouterr().out
    assert "! not supported by the passages it cites: The offensive was financed" in out
    assert "  [1] " in out


def test_interactive_follow_ups_are_not_needed_for_a_bad_config(  # type: ignore[no-untyped-def]
    data_dir: str, env, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("builtins.input", lambda _prompt: pytest.fail("asked for input"))
    assert main(["--data-dir", data_dir, "ask", "--backend", "openai"]) == 2
    assert "NEWSDESK_LLM_API_KEY" in capsys.readouterr().err

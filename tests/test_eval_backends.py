"""Comparing backends on the same questions: the LLM backend against the fake OpenAI-compatible server
(real HTTP, real `openai` client), scored like the offline one."""

from __future__ import annotations

from pathlib import Path

from eval.configs import expand
from eval.runner import run_in_process
from eval.suites import load_suite
from eval.summary import degraded_reasons, summarise
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import fake_fixture  # noqa: F401 (the `fake` fixture)


def test_backends_compared_on_the_same_questions(
    tmp_path: Path, embedder, fake: FakeOpenAI
) -> None:  # type: ignore[no-untyped-def]
    from qa.settings import LLMSettings, Settings

    # "unsupported": every answer carries a fabricated sentence cited to passage 1
    llm = LLMSettings(base_url=fake.url, model="unsupported", timeout=5.0)
    settings = Settings(data_dir=tmp_path / "data", llm=llm)
    suite = load_suite("seed", limit=4)
    extractive, openai = run_in_process(
        suite, expand(["backends"]), settings, embedder, progress=False
    )
    assert [r.backend for r in extractive.results] == ["extractive"] * 4
    assert {r.backend for r in openai.results} == {"openai"} and not degraded_reasons(
        openai.results
    )
    assert [r.id for r in openai.results] == [r.id for r in extractive.results]
    # the verifier's verdicts reach the score: fabricated sentences count as unsupported
    assert summarise(extractive.results)["supported"] == 1.0
    assert summarise(openai.results)["supported"] < 0.9
    assert openai.setup["backend"] == "openai" and extractive.setup["backend"] == "extractive"


def test_an_unreachable_llm_is_reported_as_degraded(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from qa.settings import LLMSettings, Settings
    from tests.conftest import free_port

    llm = LLMSettings(base_url=f"http://127.0.0.1:{free_port()}/v1", timeout=2.0, max_retries=0)
    settings = Settings(data_dir=tmp_path / "data", llm=llm, backend="openai")
    [run] = run_in_process(
        load_suite("seed", limit=2), expand(["k=5"]), settings, embedder, progress=False
    )
    assert summarise(run.results)["degraded"] == 1.0
    assert all(r.backend == "extractive" and not r.error for r in run.results)

"""Fixtures for the LLM tests: one fake OpenAI-compatible server per session (`fake`), one seeded
index per module (`seeded_store`), and engines whose LLM settings point at the fake (`llm_engine`;
the model name picks the fake's script). Import the `*_fixture` names to use them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import SEEDS
from tests.fake_openai import FakeOpenAI


@pytest.fixture(scope="session", name="fake")
def fake_fixture() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(scope="module", name="seeded_store")
def seeded_store_fixture(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("llm") / "data")
    store = Store.open(settings.data_dir, None, settings.collection)
    report = Engine(settings, store, embedder).ingest_paths([SEEDS])
    assert report.added == ["aleppo-offensive"]
    yield settings, store
    store.close()


@pytest.fixture(name="llm_engine")
def llm_engine_fixture(seeded_store, embedder, fake: FakeOpenAI) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """llm_engine("good", timeout=0.5, strict=True) -> an Engine over the seeded index."""
    from qa.engine import Engine
    from qa.settings import LLMSettings

    settings, store = seeded_store

    def make(model: str = "good", **llm: Any) -> Engine:
        options: dict[str, Any] = {"base_url": fake.url, "model": model, "timeout": 2.0}
        options.update(llm)
        configured = settings.model_copy(update={"llm": LLMSettings(**options)})
        return Engine(configured, store, embedder)

    fake.reset()
    return make


def assert_exact_spans(answer, store) -> None:  # type: ignore[no-untyped-def]
    """Every citation's quote is exactly body[start:end] of its article, inside the cited passage."""
    bodies = store.bodies([c.article_id for c in answer.citations])
    for citation in answer.citations:
        assert bodies[citation.article_id][citation.start : citation.end] == citation.quote
        assert citation.quote in citation.text

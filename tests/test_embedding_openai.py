"""The OpenAI-compatible embeddings backend, through the real `openai` client and real HTTP."""

from __future__ import annotations

from pathlib import Path

from qa.engine import Engine
from qa.settings import EmbeddingSettings, Settings
from tests.conftest import SEEDS
from tests.fake_openai import FakeOpenAI


def test_ingest_and_ask_with_an_openai_compatible_embeddings_endpoint(tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        settings = Settings(
            data_dir=tmp_path / "data",
            embedding=EmbeddingSettings(
                kind="openai", model="fake-minilm", base_url=fake.url, api_key="k", dimension=384
            ),
        )
        engine = Engine.from_settings(settings)
        try:
            report = engine.ingest_paths([SEEDS])
            assert report.added == ["aleppo-offensive"] and not report.failed
            assert engine.embedder.name == "openai:fake-minilm"
            answer = engine.ask("Why now?")
            assert any("Hezbollah-Israel truce" in c.text for c in answer.citations)
            # The passages' sentence vectors came over HTTP too, one per sentence.
            passage = engine.retrieve("Hezbollah-Israel truce", 1)[0]
            assert passage.sentence_vectors is not None
            assert passage.sentence_vectors.shape == (len(passage.chunk.sentences), 384)
            assert engine.ask("Who won the 2022 World Cup?").refused
        finally:
            engine.close()

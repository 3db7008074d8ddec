"""The same engine against a real `chroma run` server on a free loopback port."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SEEDS, free_port


def start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    """`chroma run` on 127.0.0.1:port, returned once its heartbeat answers."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    server = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError("chroma run did not start")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    server = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_engine_over_a_chroma_server(chroma_url: str, embedder, tmp_path: Path) -> None:
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings

    settings = Settings(
        data_dir=tmp_path / "unused", chroma_url=chroma_url, collection="server-test"
    )
    engine = Engine(
        settings, Store.open(settings.data_dir, chroma_url, settings.collection), embedder
    )
    assert engine.ingest_paths([SEEDS]).added == ["aleppo-offensive"]
    assert engine.ingest_paths([SEEDS]).unchanged == ["aleppo-offensive"]
    answer = engine.ask("Why now?")
    assert any("Hezbollah-Israel truce" in c.text for c in answer.citations)
    assert not (tmp_path / "unused").exists()  # nothing embedded was opened

    # A second process (the CLI) pointed at the same server sees the article.
    env = {**os.environ, "NEWSDESK_CHROMA_URL": chroma_url, "NEWSDESK_COLLECTION": "server-test"}
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "ask", "What about the government?"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "[1]" in done.stdout, done.stderr
    assert engine.delete("aleppo-offensive")
    engine.close()


def test_two_engines_on_one_server_see_each_others_writes(
    chroma_url: str, embedder, tmp_path: Path
) -> None:
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import RetrievalSettings, Settings

    settings = Settings(
        data_dir=tmp_path / "unused", chroma_url=chroma_url, collection="shared-test",
        retrieval=RetrievalSettings(freshness_seconds=0),
    )  # fmt: skip

    def engine() -> Engine:
        return Engine(
            settings, Store.open(settings.data_dir, chroma_url, settings.collection), embedder
        )

    writer, reader = engine(), engine()
    assert reader.ask("Why now?").refused  # reader has built its (empty) BM25 index
    writer.ingest_paths([SEEDS])
    for mode in ("bm25", "dense"):
        passages = reader.retrieve("Hezbollah-Israel truce", 3, mode=mode)
        assert passages and passages[0].chunk.article_id == "aleppo-offensive", mode
    # the reader's BM25 index took in the one new article, not a rebuild of everything
    seed_chunks = writer.store.chunk_count()
    assert reader.retriever.bm25_keeper.last.articles == 1
    assert reader.retriever.bm25_keeper.last.chunks == seed_chunks
    assert not reader.ask("Why now?").refused
    writer.delete("aleppo-offensive")
    assert reader.retrieve("Hezbollah-Israel truce", 3, mode="bm25") == []
    assert reader.retriever.bm25_keeper.last.articles == 1
    assert reader.retriever.bm25_keeper.last.chunks == 0
    assert reader.ask("Why now?").refused
    writer.close()
    reader.close()


def test_chroma_server_down_gives_503_then_recovers(embedder, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from index.store.store import Store, StoreUnavailable
    from qa.engine import Engine
    from qa.settings import RetrievalSettings, Settings
    from ui.api import create_app

    port = free_port()
    server = start_chroma(tmp_path / "chroma", port)
    url = f"http://127.0.0.1:{port}"
    settings = Settings(
        data_dir=tmp_path / "unused",
        chroma_url=url,
        retrieval=RetrievalSettings(freshness_seconds=0),
    )
    engine = Engine(settings, Store.open(settings.data_dir, url, settings.collection), embedder)
    engine.ingest_paths([SEEDS])
    try:
        with TestClient(create_app(settings, engine)) as client:
            assert client.post("/v1/ask", json={"question": "Why now?"}).status_code == 200
            server.terminate()
            server.wait(timeout=30)
            with pytest.raises(StoreUnavailable):
                engine.ask("Why now?")
            for method, path, body in (
                ("POST", "/v1/ask", {"question": "Why now?"}),
                ("GET", "/v1/articles", None),
                ("POST", "/v1/articles", {"title": "Late news", "body": "The port reopened."}),
            ):
                down = client.request(method, path, json=body)
                assert down.status_code == 503, (path, down.text)
                assert down.headers["Retry-After"] and down.json()["error"]["code"]
            server = start_chroma(tmp_path / "chroma", port)  # same data: nothing was lost
            answer = client.post("/v1/ask", json={"question": "Why now?"})
            assert answer.status_code == 200 and not answer.json()["refused"]
            assert [a["id"] for a in client.get("/v1/articles").json()["articles"]] == [
                "aleppo-offensive"
            ]
    finally:
        server.terminate()
        server.wait(timeout=30)
        engine.close()

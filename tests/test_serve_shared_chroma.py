"""Two `newsdesk serve` processes against one `chroma run` server: each sees the other's ingests
and deletes through the HTTP API (the deployment of README "Beyond one machine")."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.served import Server, clean_env, start, stop, wait_ready
from tests.test_chroma_server import start_chroma

TARTUS = {
    "id": "tartus-port",
    "title": "Port reopens",
    "body": "The port of Tartus reopened on Monday after two weeks of repairs to its cranes.",
    "source": "Wire",
}
IDLIB = {
    "id": "idlib-olives",
    "title": "Olive harvest",
    "body": "Farmers in Idlib planted eleven thousand olive trees this spring.",
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    root = tmp_path_factory.mktemp("shared-chroma")
    chroma_port = free_port()
    chroma = start_chroma(root / "chroma", chroma_port)
    env = clean_env(
        NEWSDESK_CHROMA_URL=f"http://127.0.0.1:{chroma_port}",
        NEWSDESK_COLLECTION="shared",
        NEWSDESK_SERVER__RATE_LIMIT_PER_MINUTE="0",
    )
    started: list[Server] = []
    try:
        for name in ("a", "b"):
            # Each process gets its own (unused) data dir: all state lives in the Chroma server.
            started.append(start(root / f"data-{name}", root / f"serve-{name}.log", env))
        for server in started:
            wait_ready(server)
        yield started[0], started[1]
    finally:
        for server in started:
            stop(server)
        chroma.terminate()
        chroma.wait(timeout=30)


def eventually(check: Callable[[], bool], timeout: float = 15) -> bool:
    """Other processes notice a write within `freshness_seconds` (1 s by default)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def listed(server: Server) -> set[str]:
    response = httpx.get(f"{server.url}/v1/articles", timeout=30)
    assert response.status_code == 200, response.text
    return {a["id"] for a in response.json()["articles"]}


def cited(server: Server, question: str) -> set[str]:
    response = httpx.post(f"{server.url}/v1/ask", json={"question": question}, timeout=60)
    assert response.status_code == 200, response.text
    return {c["article_id"] for c in response.json()["citations"]}


def test_each_server_sees_the_others_ingests_and_deletes(servers: tuple[Server, Server]) -> None:
    a, b = servers
    added = httpx.post(f"{a.url}/v1/articles", json=TARTUS, timeout=60)
    assert added.status_code == 200 and added.json()["added"] == ["tartus-port"], added.text
    assert eventually(lambda: "tartus-port" in listed(b))
    # B's BM25 index and article versions follow A's write: B answers from A's article.
    assert eventually(lambda: "tartus-port" in cited(b, "When did the port of Tartus reopen?"))

    added = httpx.post(f"{b.url}/v1/articles", json=IDLIB, timeout=60)
    assert added.status_code == 200 and added.json()["added"] == ["idlib-olives"], added.text
    assert eventually(lambda: "idlib-olives" in cited(a, "How many olive trees did Idlib plant?"))
    # B stored it: A re-posting the same article finds it unchanged.
    again = httpx.post(f"{a.url}/v1/articles", json=IDLIB, timeout=60)
    assert again.json()["unchanged"] == ["idlib-olives"], again.text

    assert httpx.delete(f"{b.url}/v1/articles/tartus-port", timeout=30).status_code in (200, 204)
    assert eventually(lambda: "tartus-port" not in listed(a))
    assert eventually(lambda: "tartus-port" not in cited(a, "When did the port of Tartus reopen?"))
    for server in servers:
        assert server.process.poll() is None
        assert not (Path(server.data_dir) / "chroma").exists()  # nothing embedded was opened

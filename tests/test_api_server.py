"""`newsdesk serve` for real: uvicorn on a free loopback port, the official `openai` client, and
many clients at once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SEEDS, free_port
from tests.served import Server, clean_env, newsdesk, serving

QUERY_KEY = "srv-query-key-0123456789abcdef"
INGEST_KEY = "srv-ingest-key-0123456789abcdef"
CORPUS = ROOT / "eval" / "data" / "multihop-rag" / "corpus.jsonl"
TRUCE = "Hezbollah-Israel truce"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings

    root = tmp_path_factory.mktemp("serve")
    settings = Settings(data_dir=root / "data")
    engine = Engine(settings, Store.open(settings.data_dir, None, settings.collection), embedder)
    assert engine.ingest_paths([SEEDS]).added == ["aleppo-offensive"]
    engine.close()  # the data dir is now the server's alone

    env = clean_env(
        NEWSDESK_API_KEYS=f"{QUERY_KEY}:query,{INGEST_KEY}:query+ingest",
        NEWSDESK_SERVER__RATE_LIMIT_PER_MINUTE="0",
        NEWSDESK_SERVER__MAX_BODY_BYTES="200000",
    )
    log = root / "server.log"
    with serving(settings.data_dir, log, env) as running:
        yield running
    # Whatever was logged, no key was.
    text = log.read_text()
    assert QUERY_KEY not in text and INGEST_KEY not in text


def openai_client(server: Server, key: str = QUERY_KEY):  # type: ignore[no-untyped-def]
    from openai import OpenAI

    return OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0, timeout=60)


def test_start_up_says_how_it_is_protected(server: Server) -> None:
    text = server.log.read_text()
    assert "2 API keys (query, query+ingest)" in text
    assert f"serving {server.url}" in text
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
    assert httpx.post(f"{server.url}/v1/ask", json={"question": "Why now?"}).status_code == 401


def test_openai_client_gets_a_cited_answer(server: Server) -> None:
    completion = openai_client(server).chat.completions.create(
        model="newsdesk",
        messages=[{"role": "user", "content": "Why now?"}],
        temperature=0,
    )
    content = completion.choices[0].message.content or ""
    structured = completion.model_extra["newsdesk"]
    assert completion.choices[0].finish_reason == "stop" and completion.model == "newsdesk"
    assert content.startswith(structured["answer"]) and "\n\nSources:\n[1] " in content
    assert any(TRUCE in c["text"] for c in structured["citations"])
    ask = httpx.post(
        f"{server.url}/v1/ask",
        json={"question": "Why now?"},
        headers={"Authorization": f"Bearer {QUERY_KEY}"},
    )
    assert ask.json() == structured


def test_openai_client_streams_the_same_content(server: Server) -> None:
    client = openai_client(server)
    messages = [{"role": "user", "content": "What major powers are at play?"}]
    whole = client.chat.completions.create(model="newsdesk", messages=messages)
    chunks = list(client.chat.completions.create(model="newsdesk", messages=messages, stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["newsdesk"] == whole.model_extra["newsdesk"]
    assert len({c.id for c in chunks}) == 1


def test_openai_client_sees_our_errors(server: Server) -> None:
    import openai

    with pytest.raises(openai.AuthenticationError):
        openai_client(server, "not-a-key").chat.completions.create(
            model="newsdesk", messages=[{"role": "user", "content": "Why now?"}]
        )
    with pytest.raises(openai.NotFoundError, match="model"):
        openai_client(server).chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "Why now?"}]
        )
    with pytest.raises(openai.UnprocessableEntityError, match="last message"):
        openai_client(server).chat.completions.create(
            model="newsdesk", messages=[{"role": "system", "content": "Hi"}], stream=True
        )
    assert [m.id for m in openai_client(server).models.list()] == ["newsdesk"]


def test_oversized_bodies_get_a_json_413(server: Server) -> None:
    headers = {"Authorization": f"Bearer {INGEST_KEY}"}
    article = {"title": "Big", "body": "word " * 50_000}
    response = httpx.post(f"{server.url}/v1/articles", json=article, headers=headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_many_clients_at_once_and_questions_during_an_ingest(server: Server) -> None:
    headers = {"Authorization": f"Bearer {INGEST_KEY}"}
    records = [json.loads(line) for line in CORPUS.read_text().splitlines()[:60]]
    articles = [{k: v for k, v in r.items() if k != "category"} for r in records]
    questions = ["Why now?", "What about the government?", "Who controls Aleppo?"] * 11

    async def run() -> tuple[list[httpx.Response], int]:
        async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=120) as client:
            # 33 questions at once: all answered, each the same as when asked alone.
            answers = await asyncio.gather(
                *(client.post("/v1/ask", json={"question": q}) for q in questions)
            )
            ingest = asyncio.create_task(client.post("/v1/articles", json=articles))
            answered_during = 0
            while not ingest.done():
                asked = await client.post("/v1/ask", json={"question": "Why now?"})
                assert asked.status_code == 200
                if not ingest.done():
                    answered_during += 1
                await asyncio.sleep(0.05)
            report = (await ingest).json()
            assert len(report["added"]) == len(articles), report
            return answers, answered_during

    answers, answered_during = asyncio.run(run())
    assert all(a.status_code == 200 for a in answers)
    alone = {q: answers[i].json() for i, q in enumerate(questions[:3])}
    assert all(a.json() == alone[q] for a, q in zip(answers, questions, strict=True))
    # The ingest ran in a worker thread: questions kept being answered while it embedded.
    assert answered_during >= 5  # run inline, the ingest would let through at most one


def test_a_second_server_on_the_same_data_dir_fails_clearly(server: Server) -> None:
    done = newsdesk(server.data_dir, "serve", "--port", str(free_port()))
    assert done.returncode == 1
    assert "no API keys configured" in done.stderr and "loopback only" in done.stderr
    assert "in use by another newsdesk process" in done.stderr


def test_refuses_a_public_address_without_keys(tmp_path: Path) -> None:
    done = newsdesk(tmp_path / "data", "serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert done.returncode == 2
    assert "refusing to serve on 0.0.0.0 without API keys" in done.stderr
    assert not (tmp_path / "data").exists()  # refused before opening anything
    bad = newsdesk(tmp_path / "data", "serve", env=clean_env(NEWSDESK_API_KEYS="k1:root"))
    assert bad.returncode == 2 and "unknown or missing scope root" in bad.stderr


def test_a_busy_port_is_reported_before_anything_loads(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = newsdesk(tmp_path / "data", "serve", "--port", str(port))
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr


def test_a_client_that_sends_the_whole_body_first_still_gets_the_413(server: Server) -> None:
    """Python's urllib writes the entire 9 MB body before reading: it must read a JSON 413,
    not a connection reset (the server reads the rest of the body before answering)."""
    import urllib.error
    import urllib.request

    body = json.dumps({"title": "Big", "body": "word " * 1_800_000}).encode()
    assert len(body) > 9_000_000
    request = urllib.request.Request(
        f"{server.url}/v1/articles",
        data=body,
        headers={"Authorization": f"Bearer {INGEST_KEY}", "Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 413
    assert json.loads(refused.value.read())["error"]["code"] == "too_large"


def test_ninjs_posted_to_the_api_and_the_status_route(server: Server) -> None:
    headers = {"Authorization": f"Bearer {INGEST_KEY}"}
    item = {
        "uri": "urn:newsml:wire.example:20241207:tram",
        "version": "1",
        "headlines": [{"role": "main", "value": "Tram line opens"}],
        "bodies": [{"contenttype": "text/plain", "value": "The new tram line opened on Saturday."}],
        "by": "Ada Lind",
        "pubstatus": "usable",
    }
    response = httpx.post(
        f"{server.url}/v1/articles",
        content=json.dumps(item),
        headers={**headers, "content-type": "application/ninjs+json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["added"] == ["urn:newsml:wire.example:20241207:tram"]
    stored = httpx.get(
        f"{server.url}/v1/articles/urn:newsml:wire.example:20241207:tram", headers=headers
    ).json()
    assert stored["title"] == "Tram line opens" and stored["author"] == "Ada Lind"
    assert stored["item_version"] == 1 and stored["partial"] is False
    canceled = {**item, "version": "2", "pubstatus": "canceled"}
    again = httpx.post(f"{server.url}/v1/articles", json=[canceled], headers=headers).json()
    assert again["withdrawn"] == [item["uri"]]
    gone = httpx.get(f"{server.url}/v1/articles/{item['uri']}", headers=headers)
    assert gone.status_code == 404
    status = httpx.get(f"{server.url}/v1/status", headers=headers).json()
    assert status["last_ingest_at"] and status["watch"] is None

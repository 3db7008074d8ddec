"""The HTTP API in process (httpx through Starlette's TestClient): real engine, real Chroma."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SEEDS

TRUCE = "launched their attack the same day a Hezbollah-Israel truce came into effect"
KEYS = {"query": "q-key-0123456789", "ingest": "i-key-0123456789", "admin": "a-key-0123456789"}
BOTH = "qi-key-0123456789"
KEY_SETTING = ",".join(f"{key}:{scope}" for scope, key in KEYS.items()) + f",{BOTH}:query+ingest"
LIMITS = {"max_question_chars": 300, "max_top_k": 20, "max_article_chars": 20_000}
LIMITS |= {"max_body_bytes": 50_000, "max_history_turns": 4, "rate_limit_per_minute": 0}


def auth(scope: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS.get(scope, BOTH)}"}


@pytest.fixture(scope="module")
def api_engine(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("api") / "data")
    engine = Engine(settings, Store.open(settings.data_dir, None, settings.collection), embedder)
    assert engine.ingest_paths([SEEDS]).added == ["aleppo-offensive"]
    yield engine
    engine.close()


def make_app(engine, **server):  # type: ignore[no-untyped-def]
    from ui.api import create_app

    settings = engine.settings.model_copy(
        update={"server": engine.settings.server.model_copy(update=server)}
    )
    return create_app(settings, engine)


@pytest.fixture(scope="module")
def client(api_engine) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    from pydantic import SecretStr

    with TestClient(make_app(api_engine, api_keys=SecretStr(KEY_SETTING), **LIMITS)) as c:
        yield c


def error_of(response) -> dict:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return body["error"]


# -- questions ------------------------------------------------------------------------------------


def test_ask_returns_the_same_json_as_the_cli(client: TestClient, api_engine) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/ask", json={"question": "Why now?"}, headers=auth("query"))
    assert response.status_code == 200
    got = response.json()
    assert got == api_engine.ask("Why now?").to_json()
    assert not got["refused"] and any(TRUCE in c["text"] for c in got["citations"])
    # The README's promise: a quote is exactly body[start:end] of the article served by the API.
    article = client.get("/v1/articles/aleppo-offensive", headers=auth("query")).json()
    for c in got["citations"]:
        assert article["body"][c["start"] : c["end"]] == c["quote"]


def test_ask_options_reach_the_engine(client: TestClient, api_engine) -> None:  # type: ignore[no-untyped-def]
    def ask(**body: object) -> dict:
        response = client.post("/v1/ask", json={"question": "Why now?", **body}, headers=auth("q"))
        assert response.status_code == 200, response.text
        return response.json()

    one = ask(top_k=1)
    assert one == api_engine.ask("Why now?", top_k=1).to_json()
    assert len({c["text"] for c in one["citations"]}) == 1  # one passage retrieved
    assert ask(filters={"article_ids": ["no-such-article"]})["refused"]
    assert ask(filters={"published_from": "2030-01-01"})["refused"]  # the seed has no date
    assert not ask(filters={"article_ids": ["aleppo-offensive"]}, mode="bm25")["refused"]
    history = [
        {"role": "user", "content": "Tell me about Aleppo"},
        {"role": "assistant", "content": "…"},
    ]
    assert not ask(history=history, backend="extractive")["refused"]


@pytest.mark.parametrize(
    ("body", "code", "where"),
    [
        ({"question": "x" * 301}, "invalid_request", "body.question"),
        ({"question": "Why?", "top_k": 21}, "invalid_request", "body.top_k"),
        ({"question": "Why?", "top_k": 0}, "invalid_request", "body.top_k"),
        ({"question": "Why?", "k": 3}, "invalid_request", "body.k"),
        ({"question": "Why?", "mode": "magic"}, "invalid_request", "body.mode"),
        ({"question": "Why?", "backend": "gpt"}, "invalid_request", "body.backend"),
        ({"question": "   "}, "invalid_request", "body.question"),
        (
            {"question": "Why?", "filters": {"published_from": "last tuesday"}},
            "invalid_request",
            "unreadable date",
        ),
        (
            {
                "question": "Why?",
                "filters": {"published_from": "2024-02-01", "published_to": "2024-01-01"},
            },
            "invalid_request",
            "after",
        ),
        (
            {"question": "Why?", "filters": {"article_ids": ["bad id!"]}},
            "invalid_request",
            "article_ids",
        ),
        (
            {"question": "Why?", "history": [{"role": "user", "content": "a"}] * 5},
            "invalid_request",
            "history",
        ),
        (
            {"question": "Why?", "history": [{"role": "system", "content": "a"}]},
            "invalid_request",
            "role",
        ),
        ({}, "invalid_request", "body.question"),
    ],
)
def test_bad_questions_are_422_with_a_json_error(
    client: TestClient, body: dict, code: str, where: str
) -> None:
    response = client.post("/v1/ask", json=body, headers=auth("query"))
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == code and where in error["message"], error


def test_malformed_json_and_wrong_methods_keep_the_error_shape(client: TestClient) -> None:
    broken = client.post(
        "/v1/ask",
        content=b'{"question": ',
        headers={**auth("query"), "content-type": "application/json"},
    )
    assert broken.status_code == 422 and error_of(broken)["code"] == "invalid_request"
    assert "JSON" in error_of(broken)["message"]
    wrong = client.get("/v1/ask", headers=auth("query"))
    assert wrong.status_code == 405 and error_of(wrong)["code"] == "method_not_allowed"
    assert "POST" in wrong.headers["allow"]
    missing = client.get("/v1/nothing-here")
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"


def test_bodies_over_the_limit_are_413_whether_sized_or_streamed(client: TestClient) -> None:
    big = b'{"question": "' + b"x" * 60_000 + b'"}'
    sized = client.post(
        "/v1/ask", content=big, headers={**auth("query"), "content-type": "application/json"}
    )
    assert sized.status_code == 413 and error_of(sized)["code"] == "too_large"
    assert "50000 bytes" in error_of(sized)["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    streamed = client.post(
        "/v1/ask", content=chunks(), headers={**auth("query"), "content-type": "application/json"}
    )
    assert streamed.status_code == 413 and error_of(streamed)["code"] == "too_large"


# -- auth and rate ---------------------------------------------------------------------------------


def test_keys_and_scopes(client: TestClient) -> None:
    question = {"question": "Why now?"}
    none = client.post("/v1/ask", json=question)
    assert none.status_code == 401 and none.headers["www-authenticate"] == "Bearer"
    assert error_of(none)["code"] == "unauthorized"
    for header in ("Bearer not-a-key", f"Basic {KEYS['query']}", KEYS["query"], "Bearer "):
        assert (
            client.post("/v1/ask", json=question, headers={"Authorization": header}).status_code
            == 401
        )
    assert client.post("/v1/ask", json=question, headers=auth("ingest")).status_code == 403
    assert client.post("/v1/ask", json=question, headers=auth("admin")).status_code == 200
    assert client.post("/v1/ask", json=question, headers=auth("both")).status_code == 200
    refused = client.post("/v1/articles", json={"title": "t", "body": "b"}, headers=auth("query"))
    assert refused.status_code == 403 and "'ingest'" in error_of(refused)["message"]
    assert client.delete("/v1/articles/anything", headers=auth("ingest")).status_code == 403
    assert client.get("/v1/articles", headers=auth("ingest")).status_code == 403
    # Probes need no key.
    assert client.get("/healthz").json() == {"status": "ok"}


def test_keys_never_reach_the_log(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        for key in [*KEYS.values(), "wrong-key-0123456789"]:
            client.post(
                "/v1/ask", json={"question": "Why now?"}, headers={"Authorization": f"Bearer {key}"}
            )
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert not any(key in text for key in [*KEYS.values(), "wrong-key-0123456789"])


def test_rate_limit_per_key_with_retry_after(api_engine) -> None:  # type: ignore[no-untyped-def]
    from pydantic import SecretStr

    keys = SecretStr("rate-a:query,rate-b:query")
    with TestClient(
        make_app(api_engine, api_keys=keys, rate_limit_per_minute=6, rate_limit_burst=2)
    ) as c:

        def ask(key: str) -> object:
            return c.post(
                "/v1/ask", json={"question": "Why now?"}, headers={"Authorization": f"Bearer {key}"}
            )

        assert [ask("rate-a").status_code for _ in range(2)] == [200, 200]
        limited = ask("rate-a")
        assert limited.status_code == 429 and error_of(limited)["code"] == "rate_limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 10  # one token every 10 s
        assert ask("rate-b").status_code == 200  # another key has its own bucket


def test_token_bucket_refills_at_the_configured_rate() -> None:
    from ui.ratelimit import RateLimiter, retry_after

    now = [100.0]
    limiter = RateLimiter(per_minute=60, burst=3, clock=lambda: now[0])
    assert [limiter.acquire("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.acquire("k")
    assert wait == pytest.approx(1.0) and retry_after(wait) == "1"
    now[0] += 0.5
    assert limiter.acquire("k") == pytest.approx(0.5)  # refused requests take no token
    now[0] += 0.5
    assert limiter.acquire("k") == 0.0
    now[0] += 1000  # refills to the burst, never beyond
    assert [limiter.acquire("k") for _ in range(4)][-1] > 0
    assert RateLimiter(per_minute=0, burst=1).acquire("k") == 0.0  # 0 = no limit


def test_key_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.settings import ServerSettings, Settings
    from ui.auth import KeyConfigError, load_keys, parse_keys

    monkeypatch.setenv("NEWSDESK_API_KEYS", "k1:query,k2:query+ingest")
    ring = load_keys(Settings().server)
    assert ring.identify("k2").scopes == {"query", "ingest"} and ring.identify("k3") is None
    assert ring.describe() == "2 API keys (query, query+ingest)"
    assert "k1" not in repr(Settings().server) and "k1" not in ring.describe()

    keys_file = tmp_path / "keys"
    keys_file.write_text("# staff\nops:key:admin\n\nbot:query  # the bot\n")
    monkeypatch.setenv("NEWSDESK_API_KEYS_FILE", str(keys_file))
    ring = load_keys(Settings().server)
    assert len(ring.keys) == 4 and ring.identify("ops:key").allows("ingest")
    monkeypatch.setenv("NEWSDESK_SERVER__API_KEYS", "nested:query")  # the nested name wins
    assert load_keys(Settings().server).identify("k1") is None

    for bad in ("k1", "k1:read", ":query", "k1:"):
        with pytest.raises(KeyConfigError, match="entry 1"):
            parse_keys(bad, "test")
    with pytest.raises(KeyConfigError, match="twice"):
        load_keys(ServerSettings(api_keys="a:query,a:admin"))
    with pytest.raises(KeyConfigError, match="none was found"):
        load_keys(ServerSettings(api_keys=" # nothing"))
    with pytest.raises(KeyConfigError, match="cannot read"):
        load_keys(ServerSettings(api_keys_file=tmp_path / "missing"))


# -- articles --------------------------------------------------------------------------------------


def test_articles_add_update_list_read_delete(client: TestClient) -> None:
    one = {
        "id": "api-one",
        "title": "Port reopens",
        "body": "The port of Tartus reopened on Monday after two weeks.",
        "published_at": "2024-12-02",
        "source": "Wire",
    }
    two = {"title": "Second story", "body": "Farmers in Idlib planted olive trees this spring."}
    added = client.post("/v1/articles", json=[one, two], headers=auth("ingest"))
    assert added.status_code == 200, added.text
    second_id = added.json()["added"][1]
    assert added.json()["added"][0] == "api-one" and second_id.startswith("second-story-")
    assert client.post("/v1/articles", json=one, headers=auth("ingest")).json()["unchanged"] == [
        "api-one"
    ]
    changed = {**one, "body": one["body"] + " Ships queued outside."}
    assert client.post("/v1/articles", json=changed, headers=auth("ingest")).json()["updated"] == [
        "api-one"
    ]

    listing = client.get("/v1/articles", headers=auth("query")).json()
    by_id = {a["id"]: a for a in listing["articles"]}
    assert listing["total"] == len(by_id) >= 3
    assert by_id["api-one"]["published_at"] == "2024-12-02" and by_id["api-one"]["chunk_count"] == 1
    assert by_id["aleppo-offensive"]["chunk_count"] > 1
    assert listing["articles"][0]["id"] == "api-one"  # newest first
    page = client.get(
        "/v1/articles", params={"limit": 1, "offset": 1}, headers=auth("query")
    ).json()
    assert len(page["articles"]) == 1 and page["articles"][0] == listing["articles"][1]
    misspelt = client.get("/v1/articles", params={"limt": 1}, headers=auth("query"))
    assert misspelt.status_code == 422 and "'limt'" in error_of(misspelt)["message"]

    detail = client.get("/v1/articles/api-one", headers=auth("query")).json()
    assert detail["body"] == changed["body"] and detail["source"] == "Wire"
    answer = client.post(
        "/v1/ask",
        json={"question": "When did the port of Tartus reopen?", "filters": {"sources": ["Wire"]}},
        headers=auth("query"),
    ).json()
    assert not answer["refused"] and answer["citations"][0]["article_id"] == "api-one"

    assert client.delete("/v1/articles/api-one", headers=auth("admin")).json() == {
        "id": "api-one",
        "deleted": True,
    }
    assert client.delete("/v1/articles/api-one", headers=auth("admin")).json() == {
        "id": "api-one",
        "deleted": False,
    }
    gone = client.get("/v1/articles/api-one", headers=auth("query"))
    assert gone.status_code == 404 and error_of(gone)["code"] == "not_found"
    assert client.delete(f"/v1/articles/{second_id}", headers=auth("admin")).json()["deleted"]


def test_bad_articles_are_reported_and_the_rest_go_in(client: TestClient) -> None:
    good = {"id": "api-good", "title": "Good", "body": "A perfectly fine body."}
    bad_date = {"id": "api-bad", "title": "Bad", "body": "Body.", "published_at": "someday"}
    bad_month = {"title": "Month 13", "body": "Body.", "published_at": "2024-13-01"}
    mixed = client.post(
        "/v1/articles", json=[good, bad_date, bad_month, good], headers=auth("ingest")
    )
    assert mixed.status_code == 200
    report = mixed.json()
    assert report["added"] == ["api-good"]
    failed = {f["origin"]: f["error"] for f in report["failed"]}
    assert "unreadable date" in failed["articles[1]"] and "2024-13-01" in failed["articles[2]"]
    assert "duplicate id" in failed["articles[3]"]

    none = client.post("/v1/articles", json=[bad_date], headers=auth("ingest"))
    assert none.status_code == 422 and error_of(none)["code"] == "invalid_article"
    assert none.json()["error"]["failed"][0]["origin"] == "articles[0]"
    for body in (
        [],
        {"title": "t"},
        {"title": "t", "body": "b", "category": "x"},
        {"title": "t", "body": "x" * 20_001},
        {"id": "a b", "title": "t", "body": "b"},
        {"title": " \n ", "body": "b"},
    ):
        response = client.post("/v1/articles", json=body, headers=auth("ingest"))
        assert response.status_code == 422 and error_of(response)["code"] == "invalid_request", body
    assert client.get("/v1/articles/bad%20id", headers=auth("query")).status_code == 422
    client.delete("/v1/articles/api-good", headers=auth("admin"))


# -- OpenAI-compatible -----------------------------------------------------------------------------


def chat(client: TestClient, messages: list, **extra: object):  # type: ignore[no-untyped-def]
    body = {"model": "newsdesk", "messages": messages, **extra}
    return client.post("/v1/chat/completions", json=body, headers=auth("query"))


def test_chat_completion_content_cites_and_carries_the_answer(
    client: TestClient, api_engine
) -> None:  # type: ignore[no-untyped-def]
    response = chat(
        client,
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Why now?"}],
        temperature=0.2,
        max_tokens=50,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object"] == "chat.completion" and body["model"] == "newsdesk"
    content = body["choices"][0]["message"]["content"]
    answer = api_engine.ask("Why now?").to_json()
    assert body["newsdesk"] == answer
    assert content.startswith(answer["answer"]) and "\n\nSources:\n[1] " in content
    for c in answer["citations"]:
        assert (
            f"[{c['ref']}] {c['title']} — {c['section']} ({c['article_id']}, chars {c['start']}-{c['end']})"
            in content
        )


def test_chat_messages_become_question_and_history(client: TestClient, api_engine) -> None:  # type: ignore[no-untyped-def]
    from qa.types import Turn
    from ui.openai_compat import strip_sources

    first = chat(client, [{"role": "user", "content": "Why now?"}]).json()
    said = first["choices"][0]["message"]
    assert strip_sources(said["content"]) == first["newsdesk"]["answer"]
    follow_up = [{"type": "text", "text": "And Turkey?"}]
    messages = [{"role": "user", "content": "Why now?"}, {**said, "refusal": None}]
    follow = chat(client, [*messages, {"role": "user", "content": follow_up}])
    assert follow.status_code == 200
    history = (Turn("user", "Why now?"), Turn("assistant", first["newsdesk"]["answer"]))
    assert follow.json()["newsdesk"] == api_engine.ask("And Turkey?", history=history).to_json()

    for messages, status, code in [
        ([{"role": "assistant", "content": "Hello"}], 422, "invalid_request"),
        (
            [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}],
            422,
            "invalid_request",
        ),
        ([{"role": "user", "content": "x" * 301}], 422, "invalid_question"),
        ([{"role": "tool", "content": "x"}], 422, "invalid_request"),
    ]:
        response = chat(client, messages)
        assert response.status_code == status and error_of(response)["code"] == code, messages
    wrong = client.post(
        "/v1/chat/completions",
        json={"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]},
        headers=auth("query"),
    )
    assert wrong.status_code == 404 and error_of(wrong)["code"] == "model_not_found"
    assert chat(client, [{"role": "user", "content": "Why?"}], n=2).status_code == 422
    assert client.get("/v1/models", headers=auth("query")).json()["data"][0]["id"] == "newsdesk"


def test_streamed_text_matches_the_answer_or_is_corrected() -> None:
    from qa.types import Answer
    from ui.openai_compat import unstreamed

    answer = Answer(answer="Final text [1].", refused=False, backend="x")
    assert unstreamed("Final text [1].", answer) == ""
    assert unstreamed("", answer) == "Final text [1]."
    assert unstreamed("Draft [2].", answer) == "\n\nCorrected answer: Final text [1]."


# -- health, docs, schema --------------------------------------------------------------------------


def test_health_ready_and_docs(client: TestClient) -> None:
    deadline = time.monotonic() + 30
    while (ready := client.get("/readyz")).status_code == 503 and time.monotonic() < deadline:
        assert error_of(ready)["code"] == "not_ready" and ready.headers["retry-after"]
        time.sleep(0.1)
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert ready.json()["articles"] >= 1 and ready.json()["chunks"] >= 1
    root = client.get("/", follow_redirects=False)
    assert root.status_code in (302, 307) and root.headers["location"] == "/docs"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs-static/swagger-ui-bundle.js" in docs.text
    assert "https://" not in docs.text and "https://" not in client.get("/redoc").text  # offline
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200


def test_openapi_states_the_configured_limits_and_errors(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    assert components["AskRequest"]["properties"]["question"]["maxLength"] == 300
    ask = schema["paths"]["/v1/ask"]["post"]
    for status in ("401", "403", "413", "422", "429", "503"):
        ref = ask["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ErrorResponse")
    assert ask["security"] == [{"HTTPBearer": []}]
    assert (
        "text/event-stream"
        in schema["paths"]["/v1/chat/completions"]["post"]["responses"]["200"]["content"]
    )


def test_a_mount_hook_can_add_routes_and_claim_the_root(api_engine) -> None:  # type: ignore[no-untyped-def]
    from fastapi.responses import PlainTextResponse

    from ui.api import create_app

    def page(app) -> None:  # type: ignore[no-untyped-def]
        assert app.state.engine is api_engine and app.state.keys is not None
        app.add_api_route("/", lambda: PlainTextResponse("page"), include_in_schema=False)

    with TestClient(create_app(api_engine.settings, api_engine, mounts=[page])) as c:
        assert c.get("/").text == "page"


def test_without_an_engine_the_app_opens_and_closes_its_own(tmp_path: Path) -> None:
    from index.store.store import Store
    from qa.settings import Settings
    from ui.api import create_app

    settings = Settings(data_dir=tmp_path / "data")
    with TestClient(create_app(settings)) as c:
        assert c.post("/v1/ask", json={"question": "Why now?"}).json()["refused"]  # empty index
        assert c.get("/v1/articles").json() == {"total": 0, "offset": 0, "articles": []}
    Store.open(settings.data_dir).close()  # the data dir was released at shutdown

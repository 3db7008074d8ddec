"""Auth over every route, found from `app.routes` (so a new route cannot slip through unchecked),
the page's handlers under the same keys, and keys kept out of logs and error messages."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.test_api import KEYS, api_engine, make_app  # noqa: F401 (fixture)

# Routes anyone may call (probes, docs) and POST routes that only read (they need `query`).
OPEN = {"/healthz", "/readyz", "/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect", "/"}
READ_ONLY_POSTS = {("POST", "/v1/ask"), ("POST", "/v1/retrieve"), ("POST", "/v1/chat/completions")}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
WRONG_KEY = "wrong-key-Zq8xv0123456789"


@pytest.fixture(scope="module")
def keyed(api_engine) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]  # noqa: F811
    from pydantic import SecretStr

    from ui.page import mount_page

    setting = ",".join(f"{key}:{scope}" for scope, key in KEYS.items())
    # With the page mounted too, as `newsdesk serve` does: its routes must not open a way around.
    app = make_app(api_engine, api_keys=SecretStr(setting), rate_limit_per_minute=0)
    mount_page(app)
    with TestClient(app) as client:
        yield client


def _walk(entries: list) -> Iterator[object]:  # type: ignore[type-arg]
    """Every route with methods, also inside included routers (FastAPI keeps those nested)."""
    for entry in entries:
        if hasattr(entry, "effective_candidates"):
            yield from _walk(entry.effective_candidates())
        elif getattr(entry, "methods", None) and getattr(entry, "path", None):
            yield entry


def routes(client: TestClient) -> list[tuple[str, str]]:
    found = []
    for route in _walk(client.app.routes):  # type: ignore[attr-defined]
        concrete = route.path.replace("{article_id}", "no-such-article")  # type: ignore[attr-defined]
        found += [(m, concrete) for m in sorted(set(route.methods) - {"HEAD"})]  # type: ignore[attr-defined]
    # The walk sees at least what the schema documents (a route hidden from it is seen too).
    documented = {
        (m.upper(), p.replace("{article_id}", "no-such-article"))
        for p, ops in client.get("/openapi.json").json()["paths"].items()
        for m in ops
    }
    assert documented <= set(found), documented - set(found)
    return found


def call(client: TestClient, method: str, path: str, key: str | None):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = {} if method in WRITES else None
    return client.request(method, path, headers=headers, json=body)


def test_every_route_is_classified_and_data_changes_need_ingest_or_admin(keyed: TestClient) -> None:
    found = routes(keyed)
    writes = [(m, p) for m, p in found if m in WRITES and (m, p) not in READ_ONLY_POSTS]
    assert ("POST", "/v1/articles") in writes and (
        "DELETE",
        "/v1/articles/no-such-article",
    ) in writes
    for method, path in found:
        if path in OPEN:
            continue
        for key in (None, WRONG_KEY):
            refused = call(keyed, method, path, key)
            assert refused.status_code == 401, (method, path, key, refused.status_code)
        as_query = call(keyed, method, path, KEYS["query"])
        if (method, path) in writes:
            assert as_query.status_code == 403, (method, path)
            assert call(keyed, method, path, KEYS["admin"]).status_code != 403
        else:
            assert as_query.status_code != 403, (method, path)
    # Deleting needs admin: an ingest key may add articles but not remove them.
    delete = call(keyed, "DELETE", "/v1/articles/no-such-article", KEYS["ingest"])
    assert delete.status_code == 403


def test_the_page_refuses_asking_and_adding_without_the_scope(api_engine) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from ui.auth import KeyRing, parse_keys
    from ui.page import Page

    keys = KeyRing(parse_keys(f"{KEYS['query']}:query,{KEYS['ingest']}:ingest", "test"))
    page = Page(api_engine.settings, lambda: api_engine, keys)
    before = [a.id for a in api_engine.articles()]

    def ask(token: str) -> tuple:  # type: ignore[type-arg]
        return list(page.respond("Why now?", [], token, None, 3, "extractive", False))[-1]

    for token in ("", WRONG_KEY, KEYS["ingest"]):
        history, _, status, _ = ask(token)
        assert history == [] and "API key" in status
        assert not token or token not in status  # the key is never repeated back
    for token in ("", WRONG_KEY, KEYS["query"]):
        message, _ = page.add_articles("Planted\nText that must not go in.", "text", None, token)
        assert "API key" in message and (not token or token not in message)
    assert "'ingest' scope" in message
    assert [a.id for a in api_engine.articles()] == before  # nothing went in
    # The right keys pass, so the refusals above are the scope check, not a broken page.
    message, _ = page.add_articles("Planted\nText that may go in.", "text", None, KEYS["ingest"])
    assert "1 added" in message, message
    api_engine.delete("planted")
    history, _, status, _ = ask(KEYS["query"])
    assert status == "" and history[-1]["role"] == "assistant"


def test_keys_never_appear_in_logs_or_error_messages(
    keyed: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = [*KEYS.values(), WRONG_KEY]
    bodies = []
    with caplog.at_level(logging.DEBUG):
        for method, path in routes(keyed):
            for key in (WRONG_KEY, KEYS["query"], KEYS["ingest"], f"{KEYS['admin']}x"):
                bodies.append(call(keyed, method, path, key).text)
        bodies.append(
            keyed.post(
                "/v1/ask", json={"question": 7}, headers={"Authorization": f"Bearer {WRONG_KEY}"}
            ).text
        )
    logged = caplog.text + "".join(str(r.args) + str(r.msg) for r in caplog.records)
    assert caplog.records  # something was logged at all, so the check below means something
    for secret in secrets:
        assert secret not in logged
        assert not any(secret in body for body in bodies)

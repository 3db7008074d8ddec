"""Bad requests the API tests (tests/test_api.py) do not already send: each gets a 4xx with the
JSON error shape, never a 5xx, and the service answers normally right after.

Covered there already: over-long and blank questions, top_k 0 and over the limit, unknown fields,
bad mode/backend/dates/ids/history, a truncated JSON body, bodies over the byte limit, articles over
the character limit. Here: non-string questions, negative/huge/non-integer top_k, filters of the
wrong type, bodies that are not objects, wrong or missing content types, undecodable bytes, deep
nesting, and the same classes on /v1/articles and /v1/chat/completions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.test_api import LIMITS, api_engine, error_of, make_app  # noqa: F401 (fixture)

ASK = "/v1/ask"
ARTICLES = "/v1/articles"
CHAT = "/v1/chat/completions"
JSON_TYPE = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def open_client(api_engine) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]  # noqa: F811
    with TestClient(make_app(api_engine, **LIMITS)) as c:
        yield c


def question(**extra: object) -> bytes:
    return json.dumps({"question": "Why now?", **extra}).encode()


DEEP = b'{"question": "Why?", "filters": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001
BAD_JSON_REQUESTS: list[tuple[str, str, bytes, dict[str, str], int]] = [
    # (case, path, body, headers, status)
    ("question is a number", ASK, json.dumps({"question": 42}).encode(), JSON_TYPE, 422),
    ("question is null", ASK, json.dumps({"question": None}).encode(), JSON_TYPE, 422),
    ("question is a list", ASK, json.dumps({"question": ["Why", "now"]}).encode(), JSON_TYPE, 422),
    ("question is an object", ASK, json.dumps({"question": {"q": "x"}}).encode(), JSON_TYPE, 422),
    ("question is empty", ASK, json.dumps({"question": ""}).encode(), JSON_TYPE, 422),
    ("question is NUL bytes", ASK, json.dumps({"question": "\x00\x00"}).encode(), JSON_TYPE, 422),
    ("top_k negative", ASK, question(top_k=-1), JSON_TYPE, 422),
    ("top_k huge", ASK, question(top_k=10**30), JSON_TYPE, 422),
    ("top_k float", ASK, question(top_k=2.5), JSON_TYPE, 422),
    ("top_k string", ASK, question(top_k="five"), JSON_TYPE, 422),
    ("top_k NaN", ASK, b'{"question": "Why?", "top_k": NaN}', JSON_TYPE, 422),
    ("top_k Infinity", ASK, b'{"question": "Why?", "top_k": Infinity}', JSON_TYPE, 422),
    ("filters a string", ASK, question(filters="AFP"), JSON_TYPE, 422),
    ("filters a list", ASK, question(filters=["AFP"]), JSON_TYPE, 422),
    ("filters.sources a string", ASK, question(filters={"sources": "AFP"}), JSON_TYPE, 422),
    ("filters.article_ids numbers", ASK, question(filters={"article_ids": [1, 2]}), JSON_TYPE, 422),
    ("filters unknown key", ASK, question(filters={"outlet": ["AFP"]}), JSON_TYPE, 422),
    ("filters date a number", ASK, question(filters={"published_from": []}), JSON_TYPE, 422),
    ("history not a list", ASK, question(history="earlier"), JSON_TYPE, 422),
    ("body a list", ASK, b'["Why now?"]', JSON_TYPE, 422),
    ("body a string", ASK, b'"Why now?"', JSON_TYPE, 422),
    ("body null", ASK, b"null", JSON_TYPE, 422),
    ("body empty", ASK, b"", JSON_TYPE, 422),
    ("body not JSON", ASK, b"question=Why+now", JSON_TYPE, 422),
    ("body not UTF-8", ASK, b'{"question": "\xff\xfe caf\xe9"}', JSON_TYPE, 400),
    ("body nested 5000 deep", ASK, DEEP, JSON_TYPE, 400),
    ("content type text/plain", ASK, question(), {"content-type": "text/plain"}, 422),
    ("content type form", ASK, b"question=Why+now%3F", {"content-type": "application/x-www-form-urlencoded"}, 422),
    ("content type missing", ASK, question(), {}, 422),
    ("content type xml", ASK, b"<question>Why now?</question>", {"content-type": "application/xml"}, 422),
    ("article body a number", ARTICLES, json.dumps({"title": "t", "body": 5}).encode(), JSON_TYPE, 422),
    ("article title null", ARTICLES, json.dumps({"title": None, "body": "b"}).encode(), JSON_TYPE, 422),
    ("article body NUL only", ARTICLES, json.dumps({"title": "t", "body": "\x00"}).encode(), JSON_TYPE, 422),
    ("articles over the count", ARTICLES, json.dumps([{"title": "t", "body": "b"}] * 501).encode(), JSON_TYPE, 422),
    ("article as text/plain", ARTICLES, json.dumps({"title": "t", "body": "b"}).encode(), {"content-type": "text/plain"}, 422),
    ("chat messages missing", CHAT, json.dumps({"model": "newsdesk"}).encode(), JSON_TYPE, 422),
    ("chat content a number", CHAT, json.dumps({"model": "newsdesk", "messages": [{"role": "user", "content": 7}]}).encode(), JSON_TYPE, 422),
    ("chat messages empty", CHAT, json.dumps({"model": "newsdesk", "messages": []}).encode(), JSON_TYPE, 422),
    ("chat unknown model", CHAT, json.dumps({"model": "gpt-9", "messages": [{"role": "user", "content": "Why?"}]}).encode(), JSON_TYPE, 404),
]  # fmt: skip


def assert_still_healthy(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    normal = client.post(ASK, json={"question": "Why now?"})
    assert normal.status_code == 200 and not normal.json()["refused"]


@pytest.mark.parametrize(
    ("path", "body", "headers", "status"),
    [case[1:] for case in BAD_JSON_REQUESTS],
    ids=[case[0] for case in BAD_JSON_REQUESTS],
)
def test_bad_requests_get_a_json_4xx_and_the_service_stays_healthy(
    open_client: TestClient, path: str, body: bytes, headers: dict[str, str], status: int
) -> None:
    response = open_client.post(path, content=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error = error_of(response)
    assert error["message"] and "Traceback" not in error["message"]
    assert len(response.content) < 20_000  # the error does not echo a huge body back
    assert_still_healthy(open_client)


def test_a_huge_question_is_refused_without_being_echoed(open_client: TestClient) -> None:
    huge = "why " * 12_000  # under the byte limit, over max_question_chars
    response = open_client.post(ASK, json={"question": huge})
    assert response.status_code == 422 and error_of(response)["code"] == "invalid_request"
    assert len(response.content) < 2_000
    assert_still_healthy(open_client)


def test_an_oversized_article_is_refused_and_nothing_is_stored(open_client: TestClient) -> None:
    before = open_client.get(ARTICLES).json()["total"]
    big = {"id": "too-big", "title": "Too big", "body": "word " * 4_001}  # 20,005 chars > 20,000
    response = open_client.post(ARTICLES, json=[{"id": "fine", "title": "t", "body": "b."}, big])
    assert response.status_code == 422 and "20000" in error_of(response)["message"]
    # The whole request is refused before anything is written: not even the valid record went in.
    assert open_client.get(ARTICLES).json()["total"] == before
    assert open_client.get(f"{ARTICLES}/too-big").status_code == 404
    assert_still_healthy(open_client)

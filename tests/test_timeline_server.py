"""GET /v1/timeline through a real `newsdesk serve`, and `newsdesk timeline` from the command line,
over real Wikinews threads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.served import Server, clean_env, newsdesk, serving

THREADS = Path(__file__).parent / "data" / "wikinews_threads.jsonl"
KEY = "timeline-query-key-0123456789abcdef"
NAVALNY = "wn-russia-s-navalny-airlifted-to-germany-5f59f3"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("timeline") / "data")
    engine = Engine(settings, Store.open(settings.data_dir, None, settings.collection), embedder)
    assert len(engine.ingest_paths([THREADS]).added) == 9
    engine.close()  # the data dir is now the server's (and then the CLI's) alone
    return settings.data_dir


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[Server]:
    env = clean_env(NEWSDESK_API_KEYS=f"{KEY}:query", NEWSDESK_SERVER__RATE_LIMIT_PER_MINUTE="0")
    with serving(data_dir, data_dir.parent / "server.log", env) as running:
        yield running


def get(server: Server, **params: object) -> httpx.Response:
    headers = {"Authorization": f"Bearer {KEY}"}
    return httpx.get(f"{server.url}/v1/timeline", params=params, headers=headers, timeout=60)


def test_timeline_of_a_story_by_query(server: Server) -> None:
    reply = get(server, q="Samoa measles outbreak state of emergency")
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert "wn-samoan-government-ends-state-of-e1cc1c" in body["article_ids"]
    days = [d["date"] for d in body["days"]]
    assert days == sorted(days) and len(days) >= 5
    assert "2019-12-05" in days and "2019-12-29" in days  # the shutdown; the emergency's end
    event = body["days"][0]["events"][0]
    assert set(event) >= {
        "date",
        "article_id",
        "title",
        "published",
        "quote",
        "start",
        "end",
        "mention",
        "ref",
    }


def test_timeline_by_article_and_date_range(server: Server) -> None:
    reply = get(server, article_id=NAVALNY)
    assert reply.status_code == 200
    assert {e["article_id"] for d in reply.json()["days"] for e in d["events"]} == {NAVALNY}
    ranged = get(server, q="Navalny poisoned", published_from="2020-09-01")
    assert all(
        a == "wn-germany-says-alexei-navalny-poisoned-5793d7" for a in ranged.json()["article_ids"]
    )


def test_timeline_errors_are_clear(server: Server) -> None:
    empty = get(server)  # nothing asked: nothing to show
    assert empty.status_code == 200 and empty.json()["days"] == []
    bad = get(server, q="Navalny", published_from="yesterday-ish")
    assert bad.status_code == 422 and "published_from" in bad.text
    assert get(server, q="   ").status_code == 422
    assert get(server, q="Navalny", unknown="x").status_code == 422
    assert httpx.get(f"{server.url}/v1/timeline", params={"q": "Navalny"}).status_code == 401


def test_cli_timeline(data_dir: Path, server: Server) -> None:
    server.process.terminate()  # the embedded data dir belongs to one process at a time
    server.process.wait(timeout=30)
    done = newsdesk(data_dir, "timeline", "--article", NAVALNY, "--json")
    assert done.returncode == 0, done.stderr
    days = json.loads(done.stdout)["days"]
    assert days[0]["date"] == "2020-08-20"
    text = newsdesk(data_dir, "timeline", "Navalny", "airlifted", "to", "Germany")
    assert (
        text.returncode == 0
        and "2020-08-22" in text.stdout
        and "published 2020-08-22" in text.stdout
    )
    assert newsdesk(data_dir, "timeline").returncode == 2

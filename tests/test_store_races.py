"""Writes and freshness checks at the same time: the article registry never loses a write.

A question thread looks for other processes' writes (`Store.refresh`) while this process commits
an article. A refresh that read the registry from Chroma before the commit must not replace what
the commit recorded afterwards, or the new article stays invisible to retrieval until a restart
(found by `python -m eval.soak`: one article in 2,392 could not be found). The interleaving is
forced: the refresh's read of the registry is held back until the commit has had its chance.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import numpy as np
import pytest

from index.store.records import ArticleVersion
from index.store.store import Store
from index.types import Article, Chunk


def version_of(n: int) -> ArticleVersion:
    article = Article(id=f"race-{n:04d}", title=f"Race {n}", body=f"Zorrace{n} reached Hama.")
    chunk = Chunk(
        id=f"race-{n:04d}:v:0",
        article_id=article.id,
        version="v",
        index=0,
        text=article.body,
        start=0,
        end=len(article.body),
        section=None,
        title=article.title,
    )
    vector = np.random.default_rng(n).normal(size=(1, 384)).astype(np.float32)
    vector /= np.linalg.norm(vector)
    return ArticleVersion(article, [chunk], vector, [np.zeros((0, 384), np.float32)])


def another_process_writes(store: Store) -> None:
    """What a second process sharing the Chroma server does on each write: a new token."""
    token = uuid.uuid4().hex
    store._state.upsert(ids=["state"], embeddings=[[1.0]], metadatas=[{"token": token}])


@pytest.mark.parametrize("write", ["put", "delete"])
def test_a_refresh_overlapping_a_commit_keeps_the_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    store = Store.open(tmp_path / "data")
    store.put_articles([version_of(1)])
    another_process_writes(store)  # so the next refresh re-reads the registry

    articles = store._articles._collection
    real_get, read_done, go_on = articles.get, threading.Event(), threading.Event()

    def slow_get(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real_get(*args, **kwargs)
        last_page = not result["ids"]
        if threading.current_thread().name == "refresher" and last_page and not read_done.is_set():
            read_done.set()  # the registry read to its end before the commit below...
            go_on.wait(2)  # ...and returned only after the commit had its chance
        return result

    monkeypatch.setattr(articles, "get", slow_get)
    refresher = threading.Thread(target=store.refresh, name="refresher")
    refresher.start()
    assert read_done.wait(10)
    release = threading.Timer(0.5, go_on.set)  # a commit that waits for the refresh is fine
    release.start()
    if write == "put":
        store.put_articles([version_of(2)])
    else:
        store.delete_article("race-0001")
    refresher.join(10)
    release.join()

    expected = {"race-0001": "v", "race-0002": "v"} if write == "put" else {}
    assert store.versions() == expected
    assert store.versions(refresh=True) == expected
    assert store.refresh() is False  # and no write is left unseen by the token
    store.close()

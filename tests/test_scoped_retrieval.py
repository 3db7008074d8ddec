"""Filtered questions scored from the vector mirror: the same passages as Chroma's filtered search,
never a stale vector while an article is replaced, the mirror kept across restarts and processes.

Real Chroma (embedded, and a `chroma run` server), the real model, the real BM25 index.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np

from index.chunking import ChunkingConfig, chunk_article
from index.store.records import ArticleVersion
from index.types import Article
from qa.types import Filters
from tests.conftest import SEEDS
from tests.test_chroma_server import chroma_url  # noqa: F401 - the `chroma run` fixture
from tests.test_retrieval_names import note

QUESTION = "Where did the flour convoy go?"


def reopen(settings, embedder):  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine

    return Engine(settings, Store.open(settings.data_dir, None, settings.collection), embedder)


def dense_both_ways(engine, question: str, filters: Filters):  # type: ignore[no-untyped-def]
    """(mirror hits, Chroma's filtered-search hits) for the same question and filter."""
    retriever = engine.retriever
    vector = retriever.query_vector(question)
    bm25 = retriever.bm25()
    mask = retriever.scoped.mask(filters, bm25)  # from the mirror's integer codes
    np.testing.assert_array_equal(mask, filters.bm25_mask(bm25))
    mirror = retriever.scoped.search(vector, 30, bm25, mask)
    chroma = engine.store.query(vector, 30, filters.chroma_where())
    return mirror, chroma


def test_scoped_search_finds_what_chromas_filtered_search_finds(engine) -> None:
    engine.ingest_paths([SEEDS])
    engine.ingest_articles([note(n) for n in range(120)])
    notes = tuple(f"note-{n:04d}" for n in (3, 17, 42, 99))
    for filters in (
        Filters(article_ids=notes),
        Filters(article_ids=("aleppo-offensive",)),
        Filters(sources=("Test Wire",)),
        Filters(sources=("Test Wire",), article_ids=notes[:2]),
        Filters(sources=("Test Wire", "nowhere")),
    ):
        mirror, chroma = dense_both_ways(engine, QUESTION, filters)
        assert mirror is not None and chroma
        assert [h.chunk_id for h in mirror[:10]] == [h.chunk_id for h in chroma[:10]], filters
        got = {h.chunk_id: h.similarity for h in mirror}
        both = [h for h in chroma if h.chunk_id in got]
        assert len(both) >= len(chroma) - 2  # at the 30th place, near-ties may differ
        assert all(abs(got[h.chunk_id] - h.similarity) < 0.005 for h in both)
    # a filter that keeps nothing: no passages, and no question to Chroma
    assert engine.retrieve(QUESTION, filters=Filters(article_ids=("no-such-article",))) == []
    routes = engine.retriever.scoped.routes
    assert routes["mirror"] >= 5 and not routes["chroma (no mirror)"]
    # hybrid passages through the whole retriever are the filter's own
    passages = engine.retrieve(QUESTION, 3, Filters(article_ids=notes))
    assert passages and {p.chunk.article_id for p in passages} <= set(notes)


def test_a_broad_filter_goes_to_chroma(settings, embedder) -> None:
    settings.retrieval.scoped_max_chunks = 5
    engine = reopen(settings, embedder)
    engine.ingest_articles([note(n) for n in range(20)])
    engine.retrieve(QUESTION, filters=Filters(sources=("Test Wire",)))  # 20 chunks
    engine.retrieve(QUESTION, filters=Filters(article_ids=("note-0001", "note-0002")))
    assert engine.retriever.scoped.routes == {"chroma (broad filter)": 1, "mirror": 1}
    engine.close()


def test_without_the_mirror_filtered_questions_go_to_chroma(settings, embedder) -> None:
    settings.retrieval.vector_mirror = False
    engine = reopen(settings, embedder)
    engine.ingest_articles([note(n) for n in range(20)])
    passages = engine.retrieve(QUESTION, 3, Filters(article_ids=("note-0001", "note-0002")))
    assert {p.chunk.article_id for p in passages} == {"note-0001", "note-0002"}
    assert engine.retriever.scoped.routes == {"chroma (no mirror)": 1}
    assert engine.retriever.bm25_keeper.last.mirror == "off"
    path = engine.store.vector_mirror_path
    engine.close()
    assert path is not None and not path.exists()


def focus_version(
    k: int, question_vector: np.ndarray, embedder, rng: np.random.Generator
) -> ArticleVersion:
    """Version k of the article "focus": its chunks' vectors point towards the question for even
    k and away from it for odd k, so a vector served for the wrong version shows at once."""
    body = " ".join(
        f"Focus story, version {k}, paragraph {p}: the convoy moved." for p in range(30)
    )
    article = Article(id="focus", title=f"Focus v{k}", body=body, source="Focus Wire")
    chunks = chunk_article(article, embedder.count_tokens, ChunkingConfig(40, 8))
    sign = 1.0 if k % 2 == 0 else -1.0
    vectors = sign * question_vector + rng.normal(0, 0.03, (len(chunks), len(question_vector)))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    sentences = [
        np.repeat(v[None, :], len(c.sentences), axis=0)
        for c, v in zip(chunks, vectors, strict=True)
    ]
    return ArticleVersion(article, chunks, vectors, sentences)


def test_replacing_an_article_while_questions_run_never_serves_a_stale_vector(engine) -> None:
    engine.ingest_articles([note(n) for n in range(60)])
    q = engine.retriever.query_vector(QUESTION)
    unit = q / np.linalg.norm(q)
    rng = np.random.default_rng(0)
    versions = [focus_version(k, q, engine.embedder, rng) for k in range(16)]
    number = {v.version: k for k, v in enumerate(versions)}
    expected = {
        c.id: float(v @ unit)
        for item in versions
        for c, v in zip(item.chunks, item.vectors, strict=True)
    }
    committed = [-1]  # the last version whose write has returned
    problems: list[str] = []
    asked = [0]
    done = threading.Event()

    def ask() -> None:
        while not done.is_set():
            floor = committed[0]
            for p in engine.retrieve(QUESTION, 5, Filters(article_ids=("focus",)), mode="dense"):
                k = number.get(p.chunk.version)
                if k is None or k < floor:
                    problems.append(f"version {k} served after version {floor} was written")
                elif p.similarity is None or abs(p.similarity - expected[p.chunk.id]) > 0.01:
                    problems.append(
                        f"{p.chunk.id}: similarity {p.similarity}, vector of another chunk"
                    )
            asked[0] += 1

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for k, item in enumerate(versions):
            engine.store.put_articles([item])
            engine.retriever.bm25_keeper.current()  # as Engine.ingest_articles does
            committed[0] = k
            time.sleep(0.05)
        engine.delete("focus")
        committed[0] = len(versions)
        time.sleep(0.2)
    finally:
        done.set()
        for t in threads:
            t.join()
    assert problems == []
    assert asked[0] >= 20
    # a question whose index was replaced between taking it and scoring goes to Chroma (correct,
    # only slower); nearly all use the mirror
    routes = engine.retriever.scoped.routes
    assert routes["mirror"] >= 0.9 * asked[0]
    assert set(routes) <= {"mirror", "chroma (no mirror)"}
    assert engine.retrieve(QUESTION, 5, Filters(article_ids=("focus",))) == []


def test_the_mirror_is_saved_and_loaded_beside_the_bm25_file(settings, embedder) -> None:
    engine = reopen(settings, embedder)
    engine.ingest_articles([note(n) for n in range(40)])
    filters = Filters(article_ids=("note-0005", "note-0006", "note-0007"))
    before, _ = dense_both_ways(engine, QUESTION, filters)
    path = engine.store.vector_mirror_path
    chunks = engine.store.chunk_count()
    engine.close()
    assert path is not None and path.exists()

    engine = reopen(settings, embedder)
    again, _ = dense_both_ways(engine, QUESTION, filters)
    keeper = engine.retriever.bm25_keeper
    assert (keeper.last.loaded, keeper.last.mirror, keeper.last.vectors_read) == ("file", "file", 0)
    assert again == before
    saved = path.read_bytes()
    engine.ingest_articles([note(n) for n in range(40, 45)])
    assert keeper.last.vectors_read == 5  # one chunk per note: only the new ones were read
    engine.close()

    # a mirror file from before the last save does not match the BM25 file: read from the store
    path.write_bytes(saved)
    engine = reopen(settings, embedder)
    again, _ = dense_both_ways(engine, QUESTION, filters)
    keeper = engine.retriever.bm25_keeper
    assert (keeper.last.loaded, keeper.last.mirror) == ("file", "")
    assert keeper.last.vectors_read == chunks + 5
    assert again == before
    engine.close()

    path.write_bytes(b"not a mirror")
    engine = reopen(settings, embedder)
    assert dense_both_ways(engine, QUESTION, filters)[0] == before
    assert engine.retriever.bm25_keeper.last.vectors_read == chunks + 5
    engine.close()


def test_another_process_replacing_an_article_reaches_the_mirror(
    chroma_url: str,  # noqa: F811
    embedder,
    tmp_path: Path,
) -> None:
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import RetrievalSettings, Settings

    settings = Settings(
        data_dir=tmp_path / "unused", chroma_url=chroma_url, collection="scoped-test",
        retrieval=RetrievalSettings(freshness_seconds=0),
    )  # fmt: skip
    writer, reader = (
        Engine(settings, Store.open(settings.data_dir, chroma_url, settings.collection), embedder)
        for _ in range(2)
    )
    writer.ingest_articles([note(n) for n in range(10)])
    q = reader.retriever.query_vector(QUESTION)
    unit = q / np.linalg.norm(q)
    rng = np.random.default_rng(1)
    scoped = Filters(article_ids=("focus",))
    for k in range(3):
        item = focus_version(k, q, embedder, rng)
        writer.store.put_articles([item])
        passages = reader.retrieve(QUESTION, 3, scoped, mode="dense")
        assert passages and {p.chunk.version for p in passages} == {item.version}
        truth = {c.id: float(v @ unit) for c, v in zip(item.chunks, item.vectors, strict=True)}
        assert all(abs(p.similarity - truth[p.chunk.id]) < 0.01 for p in passages)
    assert reader.retriever.bm25_keeper.last.vectors_read == len(item.chunks)
    writer.delete("focus")
    assert reader.retrieve(QUESTION, 3, scoped, mode="dense") == []
    assert reader.retriever.scoped.routes["mirror"] == 4
    writer.close()
    reader.close()

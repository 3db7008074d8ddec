"""The BM25 index kept beside the data: loaded at start, updated per ingest, never trusted blindly.

Real Chroma (embedded) and the real model; the keeper's `last` report says what each update cost.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEEDS

NEW_ARTICLE = """Quiet harbour reopens after storm

The harbour of Port Zembla reopened on Monday after the storm damaged two piers.
Fishermen said the zembla catch would resume within a week.

Ana Lopes--Coastal Times
"""


def reopen(settings, embedder):  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine

    return Engine(settings, Store.open(settings.data_dir, None, settings.collection), embedder)


def top_bm25(engine, question: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.chunk.id for p in engine.retrieve(question, 3, mode="bm25")]


def test_restart_loads_the_file_and_ingest_updates_only_what_changed(settings, embedder) -> None:
    engine = reopen(settings, embedder)
    engine.ingest_paths([SEEDS])
    before = top_bm25(engine, "Hezbollah-Israel truce")
    seed_chunks = engine.store.chunk_count()
    path = engine.store.bm25_path
    engine.close()
    assert path is not None and path.exists()

    engine = reopen(settings, embedder)
    assert top_bm25(engine, "Hezbollah-Israel truce") == before
    keeper = engine.retriever.bm25_keeper
    assert (keeper.last.loaded, keeper.last.articles, keeper.last.chunks) == ("file", 0, 0)

    report = engine.ingest_text(NEW_ARTICLE, "harbour.txt")
    assert len(report.added) == 1
    assert (
        keeper.last.articles == 1 and keeper.last.chunks == engine.store.chunk_count() - seed_chunks
    )
    hits = engine.retrieve("Port Zembla harbour", 3, mode="bm25")
    assert hits and hits[0].chunk.article_id == report.added[0]

    engine.delete(report.added[0])
    assert (keeper.last.articles, keeper.last.chunks) == (1, 0)
    assert all(
        p.chunk.article_id != report.added[0] for p in engine.retrieve("Zembla", 5, mode="bm25")
    )
    engine.close()


def test_a_file_behind_the_store_is_brought_up_to_date(settings, embedder) -> None:
    from index.store.store import Store

    engine = reopen(settings, embedder)
    engine.ingest_paths([SEEDS])
    added = engine.ingest_text(NEW_ARTICLE, "harbour.txt").added[0]
    engine.close()  # the file now holds both articles

    store = Store.open(settings.data_dir, None, settings.collection)  # a write the file misses
    assert store.delete_article(added)
    store.close()

    engine = reopen(settings, embedder)
    found = engine.retrieve("Port Zembla harbour", 3, mode="bm25")
    assert all(p.chunk.article_id != added for p in found)
    keeper = engine.retriever.bm25_keeper
    assert (keeper.last.loaded, keeper.last.articles, keeper.last.chunks) == ("file", 1, 0)
    engine.close()


def test_a_damaged_or_foreign_file_is_rebuilt_from_the_store(
    settings, embedder, tmp_path: Path
) -> None:
    engine = reopen(settings, embedder)
    engine.ingest_paths([SEEDS])
    before = top_bm25(engine, "Hezbollah-Israel truce")
    path = engine.store.bm25_path
    engine.close()
    assert path is not None

    path.write_bytes(b"not an index")
    engine = reopen(settings, embedder)
    assert top_bm25(engine, "Hezbollah-Israel truce") == before
    keeper = engine.retriever.bm25_keeper
    assert (keeper.last.loaded, keeper.last.articles) == ("empty", 1)
    engine.close()  # writes a good file again
    engine = reopen(settings, embedder)
    assert top_bm25(engine, "Hezbollah-Israel truce") == before
    assert engine.retriever.bm25_keeper.last.loaded == "file"
    good = path.read_bytes()
    engine.close()

    # A file copied from another index (same name, other collection) is not used.
    from qa.settings import Settings

    other = Settings(data_dir=tmp_path / "other")
    engine = reopen(other, embedder)
    assert engine.store.bm25_path is not None
    engine.store.bm25_path.parent.mkdir(parents=True, exist_ok=True)
    engine.store.bm25_path.write_bytes(good)
    assert engine.retrieve("Hezbollah-Israel truce", 3, mode="bm25") == []
    assert engine.retriever.bm25_keeper.last.loaded == "empty"
    engine.close()

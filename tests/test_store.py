"""The store and the engine against a real embedded Chroma and the real ONNX model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from index.formats.loaders import parse_text
from index.store.store import Store, StoreError
from qa.types import Filters
from tests.conftest import SEEDS


def chunk_ids(engine) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(s.chunk.id for s in engine.store.iter_chunks())


def raw_chunk_count(engine) -> int:  # type: ignore[no-untyped-def]
    return engine.store.chunk_count()


def test_ingest_twice_changes_nothing(seeded) -> None:
    before = chunk_ids(seeded)
    report = seeded.ingest_paths([SEEDS])
    assert report.unchanged == ["aleppo-offensive"] and report.chunks == 0
    assert chunk_ids(seeded) == before and raw_chunk_count(seeded) == len(before)


def test_changed_article_replaces_its_chunks(seeded, tmp_path: Path) -> None:
    text = (
        (SEEDS / "aleppo-offensive.txt")
        .read_text()
        .replace("at least 311 people", "at least 400 people")
    )
    (tmp_path / "aleppo-offensive.txt").write_text(text)
    before = chunk_ids(seeded)
    report = seeded.ingest_paths([tmp_path])
    assert report.updated == ["aleppo-offensive"]
    after = chunk_ids(seeded)
    assert not set(before) & set(after)
    assert raw_chunk_count(seeded) == len(after)  # nothing stale left in Chroma
    texts = " ".join(s.chunk.text for s in seeded.store.iter_chunks())
    assert "400 people" in texts and "311 people" not in texts
    answer = seeded.ask("How many people have been killed in the violence?")
    assert "400" in answer.answer


def test_delete_removes_everything(seeded) -> None:
    assert seeded.delete("aleppo-offensive")
    assert raw_chunk_count(seeded) == 0 and seeded.articles() == []
    assert not seeded.delete("aleppo-offensive")
    assert seeded.ask("Why now?").refused


def test_crash_between_chunks_and_commit_keeps_the_old_version(seeded, monkeypatch) -> None:
    old = chunk_ids(seeded)
    edited = parse_text(
        (SEEDS / "aleppo-offensive.txt").read_text().replace("311", "999"), "aleppo-offensive.txt"
    ).articles

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(seeded.store._articles, "upsert", crash)
    with pytest.raises(KeyboardInterrupt):
        seeded.ingest_articles(edited)
    monkeypatch.undo()
    assert raw_chunk_count(seeded) > len(old)  # the new chunks were written ...
    assert chunk_ids(seeded) == old  # ... but readers still see only the old version
    assert "311" in seeded.ask("How many people have been killed in the violence?").answer
    leftovers = raw_chunk_count(seeded) - len(old)
    assert seeded.store.repair() == leftovers
    assert raw_chunk_count(seeded) == len(old)


def test_one_bad_article_does_not_stop_the_others(engine, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Good one\nThe harbour reopened on Tuesday.")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe broken")
    (tmp_path / "c.jsonl").write_text('{"title": "Rec", "body": "A record body."}\n{oops\n')
    report = engine.ingest_paths([tmp_path])
    assert sorted(report.added) == [
        "a",
        parse_text('{"title": "Rec", "body": "x"}', "c.jsonl").articles[0].id,
    ]
    assert {Path(e.origin.split(":")[0]).name for e in report.failed} == {"b.txt", "c.jsonl"}


def test_filters_by_article_source_and_date(engine) -> None:
    records = [
        {
            "id": "old",
            "title": "Harbour news",
            "body": "The harbour reopened after the storm.",
            "source": "Gazette",
            "published_at": "2023-01-05",
        },
        {
            "id": "new",
            "title": "Harbour news again",
            "body": "The harbour reopened after the flood.",
            "source": "Herald",
            "published_at": "2024-06-01",
        },
    ]
    engine.ingest_text("\n".join(json.dumps(r) for r in records), "feed.jsonl")

    def ids(filters: Filters) -> set[str]:
        return {p.chunk.article_id for p in engine.retrieve("harbour reopened", 10, filters)}

    assert ids(Filters()) == {"old", "new"}
    assert ids(Filters(article_ids=("old",))) == {"old"}
    assert ids(Filters(sources=("Herald",))) == {"new"}
    assert ids(Filters(published_from=20240101)) == {"new"}
    assert ids(Filters(published_to=20231231)) == {"old"}
    for mode in ("dense", "bm25"):
        assert {
            p.chunk.article_id
            for p in engine.retrieve("harbour", 10, Filters(sources=("Gazette",)), mode)
        } == {"old"}


def test_second_process_on_the_same_data_dir_fails_fast(seeded, settings) -> None:
    code = f"""
import sys
from pathlib import Path
from index.store.store import Store, StoreError
try:
    Store.open(Path({str(settings.data_dir)!r}))
except StoreError as err:
    print(err); sys.exit(3)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3 and "NEWSDESK_CHROMA_URL" in done.stdout
    with pytest.raises(StoreError):
        Store.open(settings.data_dir)  # the same holds inside one process

"""The BM25 index: scores as bm25s computes them, updates equal to a fresh build, and its file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.store import bm25_file
from index.store.bm25 import Bm25Index, analyse
from index.store.records import StoredChunk
from index.types import Chunk

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "data" / "multihop-rag" / "corpus.jsonl"


def stored(article_id: str, version: str, texts: list[str], source: str = "") -> list[StoredChunk]:
    return [
        StoredChunk(
            Chunk(
                id=f"{article_id}:{version}:{k}",
                article_id=article_id,
                version=version,
                index=k,
                text=text,
                start=0,
                end=len(text),
                section=None,
                title="",
                sentences=(),
            ),
            source or None,
            None,
        )
        for k, text in enumerate(texts)
    ]


def corpus(limit: int = 150) -> list[StoredChunk]:
    out: list[StoredChunk] = []
    with CORPUS.open() as lines:
        for line, _ in zip(lines, range(limit), strict=False):
            record = json.loads(line)
            paragraphs = [p for p in record["body"].split("\n\n") if p.strip()]
            out.extend(stored(record["id"], "v1", paragraphs, record.get("source", "")))
    return out


def versions_of(chunks: list[StoredChunk]) -> dict[str, str]:
    return {s.chunk.article_id: s.chunk.version for s in chunks}


def by_chunk(index: Bm25Index, query: str) -> dict[str, float]:
    scores = index.scores(query)
    return {
        str(index.slots.chunk_ids[i]): float(scores[i])
        for i in np.flatnonzero(index.slots.alive & (scores > 0))
    }


QUERIES = [
    "Sam Bankman-Fried trial FTX",
    "Which company reported earnings?",
    "crypto exchange founded frustration",
    "the the the",  # only stopwords
    "zzzz unknownword",
]


def test_scores_are_bm25s_lucene_scores() -> None:
    import bm25s
    import Stemmer

    chunks = corpus()
    ours = Bm25Index.build(chunks, versions_of(chunks))
    stemmer = Stemmer.Stemmer("english")
    reference = bm25s.BM25()
    reference.index(analyse([s.chunk.indexed_text for s in chunks], stemmer), show_progress=False)
    for query in QUERIES:
        terms = [t for t in analyse([query], stemmer)[0] if t in reference.vocab_dict]
        expected = reference.get_scores(terms) if terms else np.zeros(len(chunks))
        assert np.allclose(ours.scores(query), expected, rtol=1e-4, atol=1e-5), query
    assert ours.search("Sam Bankman-Fried trial", 3)[0].score > 0


articles = st.dictionaries(
    st.sampled_from([f"a{i}" for i in range(8)]),
    st.lists(
        st.lists(
            st.sampled_from(
                ["war", "truce", "rebels", "Aleppo", "Turkey", "Russia", "court", "bank"]
            ),
            max_size=9,
        ).map(" ".join),
        max_size=4,
    ),
    max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(articles, min_size=1, max_size=14),
    query=st.sampled_from(["war truce", "Aleppo rebels Russia", "bank court court"]),
)
def test_updates_give_the_index_a_fresh_build_gives(steps, query) -> None:
    """Each step replaces some articles (an empty list of texts deletes the article); after any
    sequence the index scores exactly as one built from scratch over what is left."""
    index = Bm25Index.empty()
    state: dict[str, tuple[str, list[str]]] = {}
    for number, step in enumerate(steps):
        changes: dict[str, str | None] = {}
        added: list[StoredChunk] = []
        for article_id, texts in step.items():
            if texts:
                state[article_id] = (f"v{number}", texts)
                changes[article_id] = f"v{number}"
                added += stored(article_id, f"v{number}", texts)
            else:
                state.pop(article_id, None)
                changes[article_id] = None
        index = index.updated(changes, added)
    final = [c for a, (v, texts) in state.items() for c in stored(a, v, texts)]
    fresh = Bm25Index.build(final, versions_of(final))
    assert index.versions == fresh.versions
    assert index.live == fresh.live == len(final)
    assert sorted(index.slots.chunk_ids[index.slots.alive]) == sorted(s.chunk.id for s in final)
    ours, theirs = by_chunk(index, query), by_chunk(fresh, query)
    assert ours.keys() == theirs.keys()
    assert all(abs(ours[k] - theirs[k]) < 1e-5 for k in ours)
    for term in analyse([query], None)[0]:
        assert index.idf(term) == pytest.approx(fresh.idf(term))


def test_small_updates_merge_instead_of_piling_up() -> None:
    chunks = corpus(60)
    index = Bm25Index.build(chunks, versions_of(chunks))
    for n in range(30):
        index = index.updated({f"new{n}": "v"}, stored(f"new{n}", "v", [f"zorblax bulletin {n}"]))
    assert len(index.segments) <= 9
    assert index.search("zorblax bulletin", 40)[0].score > 0
    assert len(by_chunk(index, "zorblax")) == 30


def test_the_file_round_trips_and_is_refused_when_it_does_not_fit(tmp_path: Path) -> None:
    chunks = corpus(80)
    index = Bm25Index.build(chunks, versions_of(chunks))
    index = index.updated({chunks[0].chunk.article_id: None}, [])  # a dead slot, dropped on save
    path = tmp_path / "bm25.npz"
    bm25_file.save(index, path, "key-1")
    loaded = bm25_file.load(path, "key-1")
    assert loaded.versions == index.versions
    assert len(loaded) == loaded.live == index.live
    for query in QUERIES:
        assert by_chunk(loaded, query) == pytest.approx(by_chunk(index, query))
    assert set(loaded.slots.sources[loaded.slots.alive]) == set(
        index.slots.sources[index.slots.alive]
    )
    with pytest.raises(bm25_file.SnapshotMismatch):
        bm25_file.load(path, "another-collection")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(Exception):  # noqa: B017 - any failure; the keeper rebuilds on all of them
        bm25_file.load(path, "key-1")
    assert not list(tmp_path.glob("*.tmp"))


def test_an_empty_index_searches_and_saves(tmp_path: Path) -> None:
    empty = Bm25Index.empty()
    assert empty.search("anything", 5) == []
    assert empty.idf("anyth") > 0
    bm25_file.save(empty, tmp_path / "e.npz", "k")
    assert bm25_file.load(tmp_path / "e.npz", "k").live == 0

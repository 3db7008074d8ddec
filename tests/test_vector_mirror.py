"""The vector mirror on its own: quantised cosines, following BM25 updates and compactions, the file.

No Chroma here: vectors come from a dict, the BM25 index is the real one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.store import vector_mirror
from index.store.bm25 import Bm25Index
from index.store.records import StoredChunk
from index.store.vector_mirror import VectorMirror, quantise
from index.types import Chunk

DIM = 48


def article_chunks(article: str, version: str, count: int) -> list[StoredChunk]:
    return [
        StoredChunk(
            Chunk(
                f"{article}@{version}#{i}",
                article,
                version,
                i,
                f"{article} text {version} {i}",
                0,
                10,
                None,
                article,
            ),
            source=f"Wire {sum(map(ord, article)) % 3}",
            published=20240101,
        )
        for i in range(count)
    ]


class Vectors:
    """chunk id -> a random unit vector, made on first use; records what was fetched."""

    def __init__(self) -> None:
        self.rng = np.random.default_rng(7)
        self.by_id: dict[str, np.ndarray] = {}
        self.fetched: list[str] = []

    def of(self, chunk_id: str) -> np.ndarray:
        if chunk_id not in self.by_id:
            v = self.rng.normal(size=DIM).astype(np.float32)
            self.by_id[chunk_id] = v / np.linalg.norm(v) * self.rng.uniform(0.5, 2.0)
        return self.by_id[chunk_id]

    def fetch(self, chunk_ids: list[str]) -> np.ndarray:
        self.fetched.extend(chunk_ids)
        return np.array([self.of(i) for i in chunk_ids])


def exact(vectors: Vectors, index: Bm25Index, query: np.ndarray) -> np.ndarray:
    q = query / np.linalg.norm(query)
    rows = [vectors.of(str(c)) for c in index.slots.chunk_ids]
    return np.array([float(r @ q / np.linalg.norm(r)) for r in rows])


def assert_cosines(mirror: VectorMirror, vectors: Vectors, index: Bm25Index) -> None:
    assert mirror.index is index and mirror.codes.index is index
    for ids in (["a1"], ["a3", "a10", "missing"], [f"a{i}" for i in range(0, 60, 7)]):
        expected = np.isin(index.slots.article_ids, ids)
        np.testing.assert_array_equal(mirror.codes.article_mask(ids), expected)
    for sources in (["Wire 1"], ["Wire 0", "Wire 2"], ["nowhere"]):
        expected = np.isin(index.slots.sources, sources)
        np.testing.assert_array_equal(mirror.codes.source_mask(sources), expected)
    query = np.random.default_rng(1).normal(size=DIM).astype(np.float32)
    slots = np.arange(len(index))
    got = mirror.similarities(slots, query)
    np.testing.assert_allclose(got, exact(vectors, index, query), atol=0.01)


def test_int8_cosines_are_within_a_hundredth_and_rank_alike() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(2000, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    segment = quantise(vectors)
    assert segment.codes.dtype == np.int8 and segment.codes.nbytes == 2000 * 384
    for _ in range(5):
        query = rng.normal(size=384).astype(np.float32)
        query /= np.linalg.norm(query)
        approx = segment.codes.astype(np.float32) @ query * segment.scales
        true = vectors @ query
        assert np.max(np.abs(approx - true)) < 0.005
        top_true, top_approx = np.argsort(-true)[:30], np.argsort(-approx)[:30]
        assert len(set(top_true) & set(top_approx)) >= 27


def test_follow_appends_only_new_vectors_and_survives_compaction() -> None:
    vectors = Vectors()
    index = Bm25Index.build([], {})
    mirror = VectorMirror.empty()
    versions: dict[str, str] = {}
    compactions = 0
    for round_ in range(30):  # each round: two new articles, and replace one older one
        added = article_chunks(f"a{2 * round_}", "v0", 3) + article_chunks(
            f"a{2 * round_ + 1}", "v0", 2
        )
        changes: dict[str, str | None] = {f"a{2 * round_}": "v0", f"a{2 * round_ + 1}": "v0"}
        if round_ >= 2:
            old = f"a{round_}"
            changes[old] = f"v{round_}"
            added += article_chunks(old, f"v{round_}", 4)
        if round_ % 7 == 6:
            changes["a1"] = None  # a deletion
        versions.update({a: v for a, v in changes.items() if v})
        slots_before = len(index)
        index = index.updated(changes, added)
        compactions += len(index) < slots_before + len(added)
        before = len(vectors.fetched)
        mirror = mirror.follow(index, vectors.fetch)
        fetched = vectors.fetched[before:]
        # only what the mirror did not hold; a compaction moves rows without fetching
        assert set(fetched) <= {s.chunk.id for s in added}
        assert_cosines(mirror, vectors, index)
        assert len(mirror.segments) <= vector_mirror.MAX_SEGMENTS + 1
    assert compactions >= 2  # the BM25 index renumbered its slots, and the mirror followed
    assert len(set(vectors.fetched)) == len(vectors.fetched)  # no vector fetched twice
    # dead slots score too (the index keeps them until it compacts); callers mask them out
    alive = np.flatnonzero(index.slots.alive)
    assert mirror.bytes_per_chunk() <= (DIM + 4) * len(index) / len(alive) + 1e-9


def test_the_file_round_trips_and_refuses_other_slots(tmp_path: Path) -> None:
    vectors = Vectors()
    index = Bm25Index.build(article_chunks("a", "v1", 5) + article_chunks("b", "v1", 3), {})
    index = index.updated({"a": "v2"}, article_chunks("a", "v2", 2))  # dead slots in between
    mirror = VectorMirror.empty().follow(index, vectors.fetch)
    path = tmp_path / "vectors.npz"
    vector_mirror.save(mirror, path, "key")
    compact = index.merged(everything=True)  # what bm25_file.save writes and load returns
    loaded = vector_mirror.load(path, "key", compact)
    assert_cosines(loaded, vectors, compact)
    with pytest.raises(ValueError):
        vector_mirror.load(path, "other key", compact)
    with pytest.raises(ValueError):
        vector_mirror.load(path, "key", Bm25Index.build(article_chunks("a", "v3", 2), {}))
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(Exception):  # noqa: B017 - any failure to read is fine: it is rebuilt
        vector_mirror.load(path, "key", compact)

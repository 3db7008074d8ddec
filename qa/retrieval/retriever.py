"""Hybrid retrieval: dense (Chroma) and BM25 rankings fused (by relative score, or by rank), with filters."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Generic, TypeVar

import numpy as np

from index.chunking import article_of
from index.embedder import Embedder
from index.store.bm25 import Bm25Index
from index.store.bm25_keeper import Bm25Keeper
from index.store.store import Store, StoredChunk
from index.types import Chunk
from qa.retrieval.fusion import reciprocal_rank_fusion, relative_score_fusion
from qa.retrieval.scoped import ScopedDense
from qa.retrieval.story_groups import GroupedPassages
from qa.settings import RetrievalSettings
from qa.types import Filters, Passage

V = TypeVar("V")


class QueryVectors:
    """An LRU cache of question embeddings: repeated questions skip the model."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], size: int = 1024) -> None:
        self._embed = embed
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def __call__(self, text: str) -> np.ndarray:
        with self._lock:
            if (hit := self._cache.get(text)) is not None:
                self._cache.move_to_end(text)
                return hit
        vector = self._embed([text])[0]
        with self._lock:
            self._cache[text] = vector
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return vector

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


class ChunkLru(Generic[V]):
    """Values by chunk id, fetched in one batch on a miss, least recently used dropped first.
    A chunk id names one version of one article, so an entry never goes stale."""

    def __init__(self, size: int) -> None:
        self._cache: OrderedDict[str, V] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(
        self, chunk_ids: Sequence[str], fetch: Callable[[list[str]], Mapping[str, V]]
    ) -> dict[str, V]:
        with self._lock:
            found = {i: self._cache[i] for i in chunk_ids if i in self._cache}
            for i in found:
                self._cache.move_to_end(i)
        missing = [i for i in chunk_ids if i not in found]
        if missing:
            fetched = fetch(missing)
            found.update(fetched)
            self.remember(fetched)
        return found

    def remember(self, values: Mapping[str, V]) -> None:
        with self._lock:
            self._cache.update(values)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)


class SentenceVectors(ChunkLru[np.ndarray]):
    """chunk id -> sentence vectors, fetched from the store once per chunk version."""

    def __init__(self, store: Store, size: int = 2048) -> None:
        super().__init__(size)
        self._store = store

    def __call__(self, chunks: list[Chunk]) -> dict[str, np.ndarray]:
        by_id = {c.id: c for c in chunks}
        return self.get(
            list(by_id), lambda ids: self._store.sentence_vectors([by_id[i] for i in ids])
        )


class ChunkCache(ChunkLru[StoredChunk]):
    """chunk id -> stored chunk (text and metadata), fetched from the store on a miss."""

    def __init__(self, store: Store, size: int = 8192) -> None:
        super().__init__(size)
        self._store = store

    def __call__(self, chunk_ids: list[str]) -> dict[str, StoredChunk]:
        return self.get(chunk_ids, self._store.get_chunks)

    def remember_chunks(self, chunks: Iterable[StoredChunk]) -> None:
        self.remember({s.chunk.id: s for s in chunks})


FIRST_CHUNK = "#0"  # the end of an article's first chunk id (index/chunking.py `chunk_id`)
Dated = TypeVar("Dated", StoredChunk, Passage)


def story_order(items: Iterable[Dated], article_ids: Sequence[str]) -> list[Dated]:
    """A story's chunks as it is read: oldest article first (then in the order given), each
    article's chunks in body order."""
    order = {a: n for n, a in enumerate(article_ids)}
    return sorted(
        items,
        key=lambda s: (s.published or 0, order.get(s.chunk.article_id, len(order)), s.chunk.index),
    )


class Retriever:
    def __init__(self, store: Store, embedder: Embedder, settings: RetrievalSettings) -> None:
        self.store = store
        self.settings = settings
        self.query_vector = QueryVectors(embedder.embed)
        self.sentence_vectors = SentenceVectors(store)
        self.chunks = ChunkCache(store)
        self.bm25_keeper = Bm25Keeper(
            store,
            store.bm25_path,
            on_read=self.chunks.remember_chunks,
            vectors_path=store.vector_mirror_path,
            keep_vectors=settings.vector_mirror,
        )
        self.scoped = ScopedDense(self.bm25_keeper, settings)
        self.one_per_story = GroupedPassages(store, self.sentence_vectors)  # syndicated copies
        self._checked = 0.0
        self._lock = threading.Lock()
        self._sources: tuple[object, list[str]] = (None, [])

    def bm25(self) -> Bm25Index:
        """The BM25 index, brought up to date after the store has changed (by us, or by another
        process sharing the Chroma server: that is checked at most every `freshness_seconds`)."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked >= self.settings.freshness_seconds:
                self._checked = now
                self.store.refresh()
        return self.bm25_keeper.current()

    def close(self) -> None:
        """Save the BM25 index beside the data if it has changed since it was last saved."""
        self.bm25_keeper.close()

    def retrieve(
        self,
        question: str,
        top_k: int | None = None,
        filters: Filters | None = None,
        mode: str | None = None,
        vectors: bool = True,
    ) -> list[Passage]:
        """The `top_k` best passages for `question` within `filters`, one per story group's text;
        `vectors`: with their sentence vectors (what answering and verifying need)."""
        settings, filters = self.settings, filters or Filters()
        top_k, mode = top_k or settings.top_k, mode or settings.mode
        n = max(settings.candidates, top_k)
        bm25 = self.bm25()
        mask = self.scoped.mask(filters, bm25)  # filters.bm25_mask(bm25), faster
        scored: list[list[tuple[str, float]]] = []
        weights: list[float] = []
        similarity: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            vector = self.query_vector(question)
            hits = self.scoped.search(vector, n, bm25, mask)  # None: Chroma's search is faster
            if hits is None:
                hits = self.store.query(vector, n, filters.chroma_where())
            similarity = {h.chunk_id: h.similarity for h in hits}
            scored.append([(h.chunk_id, h.similarity) for h in hits])
            weights.append(settings.dense_weight)
        if mode in ("hybrid", "bm25"):
            hits_bm25 = bm25.search(question, n, mask)
            scored.append([(h.chunk_id, h.score) for h in hits_bm25])
            weights.append(settings.bm25_weight)
        if settings.fusion == "relative":
            fused = relative_score_fusion(scored, weights)[:top_k]
        else:
            rankings = [[item for item, _ in hits] for hits in scored]
            fused = reciprocal_rank_fusion(rankings, settings.rrf_k, weights)[:top_k]
        known = self.chunks([i for i, _ in fused])
        chosen = [(known[i], score) for i, score in fused if i in known]
        found = self.sentence_vectors([stored.chunk for stored, _ in chosen]) if vectors else {}
        passages = [
            Passage(
                chunk=stored.chunk,
                score=score,
                similarity=similarity.get(stored.chunk.id),
                source=stored.source,
                published=stored.published,
                sentence_vectors=found.get(stored.chunk.id),
            )
            for stored, score in chosen
        ]
        return self.one_per_story(passages)

    def story(
        self, article_ids: Sequence[str], vectors: bool = True, openings: bool = False
    ) -> list[Passage]:
        """Every chunk of these articles as passages (score 0), oldest article first (then in the
        order given), each article's chunks in body order: a story to read whole. `vectors`: with
        their sentence vectors (what verification needs; not to read an opening). `openings`:
        only each article's first chunk (its lede), without reading the others."""
        bm25 = self.bm25()
        mask = self.scoped.mask(Filters(article_ids=tuple(article_ids)), bm25)
        slots = bm25.slots
        alive = slots.alive if mask is None else slots.alive & mask
        ids = [str(i) for i in slots.chunk_ids[alive]]
        if openings:
            ids = [i for i in ids if i.endswith(FIRST_CHUNK)]
        known = self.chunks(ids)
        stored = story_order(
            (s for s in known.values() if s.chunk.article_id in article_ids), article_ids
        )
        found = self.sentence_vectors([s.chunk for s in stored]) if vectors else {}
        return [
            Passage(
                chunk=s.chunk,
                score=0.0,
                source=s.source,
                published=s.published,
                sentence_vectors=found.get(s.chunk.id),
            )
            for s in stored
        ]

    def story_bound(self, article_ids: Sequence[str]) -> int:
        """At most the tokens of these articles' chunks, read from the BM25 index alone: each
        chunk's terms (runs of two or more word characters of its title and text, which a
        word-piece tokenizer splits but never joins). A story whose bound exceeds a budget cannot
        go in whole, and none of it needs reading to know."""
        bm25 = self.bm25()
        mask = self.scoped.mask(Filters(article_ids=tuple(article_ids)), bm25)
        alive = bm25.slots.alive if mask is None else bm25.slots.alive & mask
        return int(bm25.slots.lengths[alive].sum())

    def bm25_passages(self, text: str, filters: Filters, n: int) -> list[Passage]:
        """BM25's `n` best passages for `text` within `filters`, without sentence vectors."""
        return self.retrieve(text, n, filters, "bm25", vectors=False)

    def bm25_articles(self, text: str, filters: Filters, n: int) -> list[str]:
        """The articles of BM25's `n` best chunks for `text` within `filters`, best first (no
        embedding, no sentence vectors: only which articles come first)."""
        bm25 = self.bm25()
        hits = bm25.search(text, n, self.scoped.mask(filters, bm25))
        return [article_of(h.chunk_id) for h in hits]

    def index_token(self) -> object:
        """An object that changes whenever the index does (what a cache of its answers is keyed on)."""
        return self.bm25()

    def sources(self) -> list[str]:
        """The outlets the index holds (recomputed when the BM25 index changes)."""
        bm25 = self.bm25()
        with self._lock:
            if self._sources[0] is not bm25:
                live = bm25.slots.sources[bm25.slots.alive]
                self._sources = (bm25, sorted({str(s) for s in set(live.tolist()) if s}))
            return self._sources[1]

    def story_group(self, article_id: str) -> str:
        """The story group of syndicated copies an article belongs to (itself when none)."""
        group = self.one_per_story.groups().get(article_id)
        return group.id if group is not None else article_id

"""Dense search for filtered questions: score the chunks a filter keeps, instead of asking Chroma.

With a `where` filter Chroma searches the filtered subset itself, which gets slower as the index
grows (at 100k chunks about 3x its unfiltered search), while a story's articles, an outlet or a
week keep few chunks. The BM25 index knows exactly which slots a filter keeps (`Filters.bm25_mask`),
and the vector mirror holds those slots' vectors: scoring them is one small matrix product whose
cost follows the filter, not the index. Filters keeping more than `scoped_max_chunks` chunks (the
crossover measured by `python -m eval.perf_scale --crossover`) still go to Chroma.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter

import numpy as np

from index.store.bm25 import Bm25Index
from index.store.bm25_keeper import Bm25Keeper
from index.store.store import Hit
from qa.settings import RetrievalSettings
from qa.types import Filters


class ScopedDense:
    def __init__(self, keeper: Bm25Keeper, settings: RetrievalSettings) -> None:
        self._keeper = keeper
        self._settings = settings
        self.routes: Counter[str] = (
            Counter()
        )  # which way filtered questions went (benchmarks, tests)
        self._lock = threading.Lock()

    def mask(self, filters: Filters, index: Bm25Index) -> np.ndarray | None:
        """`filters.bm25_mask(index)`, with the article and source conditions read from the
        mirror's integer codes when it is aligned with `index` (the same mask; at 100k chunks
        about 0.2 ms instead of 10-35 ms)."""
        mirror = self._keeper.mirror(index)
        if filters.empty or mirror is None or not (filters.article_ids or filters.sources):
            return filters.bm25_mask(index)
        rest = dataclasses.replace(filters, article_ids=(), sources=())
        mask = rest.bm25_mask(index)
        if mask is None:
            mask = np.ones(len(index), dtype=bool)
        if filters.article_ids:
            mask &= mirror.codes.article_mask(filters.article_ids)
        if filters.sources:
            mask &= mirror.codes.source_mask(filters.sources)
        return mask

    def search(
        self, vector: np.ndarray, n: int, index: Bm25Index, mask: np.ndarray | None
    ) -> list[Hit] | None:
        """The `n` chunks nearest to `vector` among the live slots of `index` that `mask` keeps,
        or None when Chroma should answer: no filter, no mirror aligned with `index` (vectors not
        kept, or the index moved on meanwhile), or a filter keeping too many chunks."""
        if mask is None:
            return None
        mirror = self._keeper.mirror(index)
        if mirror is None or (mirror.dimension and mirror.dimension != len(vector)):
            self._count("chroma (no mirror)")
            return None
        slots = np.flatnonzero(mask & index.slots.alive)
        if len(slots) > self._settings.scoped_max_chunks:
            self._count("chroma (broad filter)")
            return None
        self._count("mirror")
        if n <= 0 or not len(slots):
            return []
        similarity = mirror.similarities(slots, vector)
        n = min(n, len(slots))
        top = np.argpartition(-similarity, n - 1)[:n]
        top = top[np.argsort(-similarity[top], kind="stable")]
        chunk_ids = index.slots.chunk_ids
        return [Hit(str(chunk_ids[slots[i]]), float(similarity[i])) for i in top]

    def _count(self, route: str) -> None:
        with self._lock:
            self.routes[route] += 1

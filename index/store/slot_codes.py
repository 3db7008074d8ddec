"""Integer codes for each BM25 slot's article id and source, so filters on them compare integers.

`np.isin` over the slots' object arrays of strings takes 10-35 ms at 100k chunks (it compares
every string), which a story-scoped question would pay on every ask; over int32 codes it takes a
fraction of a millisecond. The value -> code tables only grow (a new article gets the next code),
so one table is shared by every snapshot derived from the same start: an older snapshot simply
holds no slot with a newer code. A renumbered (compacted) index gets fresh tables.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import numpy as np

from index.store.bm25 import Bm25Index


def _encode(values: Iterable[str], table: dict[str, int]) -> np.ndarray:
    # setdefault under the keeper's lock (the only writer); readers only call get
    return np.fromiter((table.setdefault(v, len(table)) for v in values), dtype=np.int32)


class SlotCodes:
    def __init__(
        self,
        index: Bm25Index,
        articles: np.ndarray,
        sources: np.ndarray,
        tables: tuple[dict[str, int], dict[str, int]],
    ) -> None:
        self.index = index
        self.articles = articles  # int32 per slot
        self.sources = sources  # int32 per slot
        self._tables = tables

    @classmethod
    def of(cls, index: Bm25Index) -> SlotCodes:
        tables: tuple[dict[str, int], dict[str, int]] = ({}, {})
        slots = index.slots
        return cls(
            index,
            _encode(slots.article_ids.tolist(), tables[0]),
            _encode(slots.sources.tolist(), tables[1]),
            tables,
        )

    def appended(self, index: Bm25Index) -> SlotCodes:
        """The codes for `index`, whose first slots are this index's (the usual update)."""
        kept, slots = len(self.articles), index.slots
        articles = _encode(slots.article_ids[kept:].tolist(), self._tables[0])
        sources = _encode(slots.sources[kept:].tolist(), self._tables[1])
        return SlotCodes(
            index,
            np.concatenate([self.articles, articles]),
            np.concatenate([self.sources, sources]),
            self._tables,
        )

    def article_mask(self, article_ids: Iterable[str]) -> np.ndarray:
        return self._mask(self.articles, self._tables[0], article_ids)

    def source_mask(self, sources: Iterable[str]) -> np.ndarray:
        return self._mask(self.sources, self._tables[1], sources)

    @staticmethod
    def _mask(codes: np.ndarray, table: dict[str, int], values: Iterable[str]) -> np.ndarray:
        wanted = [code for v in values if (code := table.get(v)) is not None]
        if not wanted:
            return np.zeros(len(codes), dtype=bool)
        return np.isin(codes, np.array(wanted, dtype=np.int32))

    @property
    def nbytes(self) -> int:
        """The code arrays and the tables (keys are the slots' own strings, not copies)."""
        tables = sum(sys.getsizeof(t) + 28 * len(t) for t in self._tables)
        return self.articles.nbytes + self.sources.nbytes + tables

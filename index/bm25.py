"""A BM25 index over the stored chunks (bm25s with an English stemmer), with metadata for filters.

Built once from the store and rebuilt only when the store changes, never per query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from index.store import StoredChunk


def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


def analyse(texts: list[str], stemmer: object) -> list[list[str]]:
    import bm25s

    return bm25s.tokenize(
        texts, stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False
    )


@dataclass(frozen=True)
class Bm25Hit:
    position: int
    score: float


class Bm25Index:
    def __init__(self, chunks: Iterable[StoredChunk]) -> None:
        import bm25s

        stored = list(chunks)
        self.chunk_ids = [s.chunk.id for s in stored]
        self.article_ids = np.array([s.chunk.article_id for s in stored], dtype=object)
        self.sources = np.array([s.source or "" for s in stored], dtype=object)
        self.published = np.array([s.published or 0 for s in stored], dtype=np.int64)
        self._stemmer = _stemmer()
        self._retriever = bm25s.BM25()
        self._vocabulary: set[str] = set()
        self._document_frequency: dict[str, int] = {}
        if stored:
            tokens = analyse([s.chunk.indexed_text for s in stored], self._stemmer)
            # bm25s rejects an all-empty corpus; a placeholder token keeps empty chunks indexable.
            tokens = [t or ["\u2205"] for t in tokens]
            self._retriever.index(tokens, show_progress=False)
            for doc in tokens:
                for term in set(doc):
                    self._document_frequency[term] = self._document_frequency.get(term, 0) + 1
            self._vocabulary = set(self._document_frequency)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def idf(self, term: str) -> float:
        """BM25's idf of a stemmed term; a term no chunk has gets the highest weight."""
        n, df = len(self.chunk_ids), self._document_frequency.get(term, 0)
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    def analyse(self, text: str) -> list[str]:
        return analyse([text], self._stemmer)[0]

    def search(self, query: str, n: int, mask: np.ndarray | None = None) -> list[Bm25Hit]:
        """Top `n` chunks by BM25 among those where `mask` is True (all when None)."""
        if not self.chunk_ids or n <= 0:
            return []
        terms = [t for t in analyse([query], self._stemmer)[0] if t in self._vocabulary]
        if not terms:
            return []
        scores = self._retriever.get_scores(terms)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        n = min(n, int(np.count_nonzero(scores > 0)))
        if n == 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [Bm25Hit(int(i), float(scores[i])) for i in top]

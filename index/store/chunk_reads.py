"""Reading chunks back: scans of the current versions, vectors, sentence vectors, nearest chunks.

A mixin of `index.store.store.Store`, which owns the collections and the registry of current article
versions; every read returns chunks of an article's current version only (see store.py on why).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from index.store.records import Hit, StoredChunk, stored_chunk
from index.types import Chunk

_PAGE = 2000  # records per Chroma get() page
_ARTICLES_PER_GET = 200  # article ids in one `$in` filter
_SCAN_SHARE = 0.5  # past this share of all articles, one scan beats lookups by article id


class ChunkReads:
    _chunks: Any  # the Chroma collections of chunks and of sentence vectors (set by Store)
    _sentences: Any

    def versions(self, refresh: bool = False) -> dict[str, str]:
        raise NotImplementedError  # Store: article id -> its current version

    def chunk_count(self) -> int:
        return int(self._chunks.count())

    def iter_chunks(self) -> Iterator[StoredChunk]:
        """Every chunk of every current article version."""
        return self._scan(self.versions())

    def chunks_of(self, versions: dict[str, str]) -> list[StoredChunk]:
        """The chunks of the given version of each article (the BM25 index's update). Looked up
        by article id, or, when that is most of the index, read in one scan."""
        if len(versions) > _SCAN_SHARE * max(len(self.versions()), 1):
            return list(self._scan(versions))
        ids = list(versions)
        out: list[StoredChunk] = []
        for first in range(0, len(ids), _ARTICLES_PER_GET):
            where = {"article_id": {"$in": ids[first : first + _ARTICLES_PER_GET]}}
            out.extend(self._scan(versions, where))
        return out

    def _scan(
        self, versions: dict[str, str], where: dict[str, Any] | None = None
    ) -> Iterator[StoredChunk]:
        for ids, metas, _ in self._pages(self._chunks, ["metadatas"], where):
            for chunk_id, meta in zip(ids, metas, strict=True):
                if versions.get(meta["article_id"]) == meta["version"]:
                    yield stored_chunk(chunk_id, meta)

    def reusable_vectors(self, keys: Sequence[str]) -> dict[str, tuple[Chunk, np.ndarray]]:
        """text key -> a stored chunk of a current version with that text, and its vector."""
        current = self.versions()
        out: dict[str, tuple[Chunk, np.ndarray]] = {}
        unique = list(dict.fromkeys(keys))
        for first in range(0, len(unique), _ARTICLES_PER_GET):
            got = self._chunks.get(
                where={"text_key": {"$in": unique[first : first + _ARTICLES_PER_GET]}},
                include=["metadatas", "embeddings"],
            )
            for i, meta, vector in zip(
                got["ids"], got["metadatas"], got["embeddings"], strict=True
            ):
                if current.get(meta["article_id"]) == meta["version"]:
                    out.setdefault(
                        meta["text_key"], (stored_chunk(i, meta).chunk, np.asarray(vector))
                    )
        return out

    def get_chunks(self, chunk_ids: Sequence[str]) -> dict[str, StoredChunk]:
        if not chunk_ids:
            return {}
        got = self._chunks.get(ids=list(chunk_ids), include=["metadatas"])
        return {i: stored_chunk(i, m) for i, m in zip(got["ids"], got["metadatas"], strict=True)}

    def chunk_vectors(self, chunk_ids: Sequence[str]) -> np.ndarray:
        """The stored vector of each chunk, in the order asked; a chunk that is gone (its article
        replaced or deleted since its id was read) gets a zero row, which scores 0."""
        rows: dict[str, np.ndarray] = {}
        for first in range(0, len(chunk_ids), _PAGE):
            batch = list(chunk_ids[first : first + _PAGE])
            got = self._chunks.get(ids=batch, include=["embeddings"])
            rows.update(zip(got["ids"], got["embeddings"], strict=True))
        if not rows:
            return np.zeros((len(chunk_ids), 0), dtype=np.float32)
        zero = np.zeros(len(next(iter(rows.values()))), dtype=np.float32)
        return np.asarray([rows.get(i, zero) for i in chunk_ids], dtype=np.float32)

    def sentence_vectors(self, chunks: Sequence[Chunk]) -> dict[str, np.ndarray]:
        """chunk id -> one row per sentence of the chunk, in order."""
        ids = [f"{c.id}/{k}" for c in chunks for k in range(len(c.sentences))]
        if not ids:
            return {}
        got = self._sentences.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        out: dict[str, np.ndarray] = {}
        for c in chunks:
            rows = [by_id.get(f"{c.id}/{k}") for k in range(len(c.sentences))]
            if rows and all(r is not None for r in rows):  # no sentences: no matrix
                out[c.id] = np.asarray(rows, dtype=np.float32)
        return out

    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None) -> list[Hit]:
        """Nearest chunks by cosine similarity, current versions only."""
        if n <= 0:
            return []
        current = self.versions()
        # Chroma returns fewer than n_results when it has fewer: no count() round trip per query.
        result = self._chunks.query(
            query_embeddings=[vector],
            n_results=n,
            where=where or None,
            include=["metadatas", "distances"],
        )
        return [
            Hit(i, 1.0 - float(d))
            for i, m, d in zip(
                result["ids"][0], result["metadatas"][0], result["distances"][0], strict=True
            )
            if current.get(m["article_id"]) == m["version"]
        ]

    def _pages(
        self, collection: Any, include: list[str], where: dict[str, Any] | None = None
    ) -> Iterator[tuple[list, list, list]]:
        offset = 0
        while True:
            got = collection.get(include=include, limit=_PAGE, offset=offset, where=where)
            if not got["ids"]:
                return
            docs = got.get("documents") or [None] * len(got["ids"])
            yield got["ids"], got["metadatas"], docs
            offset += len(got["ids"])

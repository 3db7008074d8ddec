"""Chunks and articles in Chroma: embedded (PersistentClient) or a `chroma run` server (HttpClient).

Four collections per index: `<name>-chunks` holds one record per chunk (its text and our own
vectors), `<name>-sentences` one vector per sentence of a chunk (for choosing answer sentences), and
`<name>-articles` one record per article (body, metadata and the current version), and
`<name>-state` a token that every write changes.

Replacing an article is atomic for readers: the new version's chunks are written under new ids, then
the article record is switched to the new version (the commit point), then the old chunks are deleted.
Readers only return chunks of an article's current version, so a crash at any step leaves the old
article or the new one, never half; leftovers are removed by `repair()` or the next ingest.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence, Set
from pathlib import Path
from typing import Any

import numpy as np

from index.news.facts import decode as decode_facts
from index.news.minhash import decode as decode_signature
from index.news.story_groups import Member, StoryGroups
from index.store.chroma import DataDirLock, Guarded, StoreError, StoreUnavailable, open_client
from index.store.chunk_reads import ChunkReads
from index.store.records import (
    ArticleRecord,
    ArticleVersion,
    Hit,
    StoredChunk,
    article_meta,
    article_record,
    batches,
    chroma_meta,
    chunk_meta,
)
from index.types import Article, Chunk

HIDDEN = ("withheld", "canceled")  # tombstones of wire items: kept for their version, not shown

_REREADS = 5  # attempts at reading the registry while no other process writes


__all__ = [
    "ArticleRecord",
    "ArticleVersion",
    "Hit",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "StoredChunk",
]


class Store(ChunkReads):
    def __init__(
        self,
        client: Any,
        name: str = "newsdesk",
        lock: DataDirLock | None = None,
        cache_dir: Path | None = None,
    ):
        self._client = client
        self._lock = lock
        self.name = name
        self.cache_dir = cache_dir  # where derived data (the BM25 file) may be kept; None: nowhere
        try:
            cosine = {"hnsw": {"space": "cosine"}}
            create = client.get_or_create_collection
            self._chunks = Guarded(
                create(f"{name}-chunks", embedding_function=None, configuration=cosine)
            )
            self._sentences = Guarded(
                create(f"{name}-sentences", embedding_function=None, configuration=cosine)
            )
            # The article registry needs no search; Chroma still wants a vector per record.
            self._articles = Guarded(create(f"{name}-articles", embedding_function=None))
            # One record whose token every write changes: how other processes sharing a Chroma
            # server learn that their caches (article versions, BM25) are out of date.
            self._state = Guarded(create(f"{name}-state", embedding_function=None))
            self._max_batch = int(client.get_max_batch_size())
            self._versions: dict[str, str] | None = None
            self._item_versions: dict[str, int] = {}
            self._groups: StoryGroups | None = None
            self._registry_lock = threading.RLock()
            self.token = self._read_token()
        except StoreError:
            raise
        except Exception as err:
            raise StoreUnavailable(f"cannot open the Chroma collections: {err}") from err

    @classmethod
    def open(cls, data_dir: Path, chroma_url: str | None = None, name: str = "newsdesk") -> Store:
        client, lock = open_client(data_dir, chroma_url)
        try:
            return cls(client, name, lock, data_dir / "cache")
        except Exception:
            if lock:
                lock.release()
            raise

    @property
    def snapshot_key(self) -> str:
        """Names this index's data: files derived from it are not used with another (a
        collection deleted and re-created, or another Chroma server, gets a new id)."""
        return f"{self.name}-{self._chunks.id}"

    @property
    def bm25_path(self) -> Path | None:
        return self.cache_dir / f"bm25-{self.snapshot_key}.npz" if self.cache_dir else None

    @property
    def vector_mirror_path(self) -> Path | None:
        """Where the chunk vectors' compact copy (index/store/vector_mirror.py) is kept."""
        return self.cache_dir / f"vectors-{self.snapshot_key}.npz" if self.cache_dir else None

    @property
    def exclusive(self) -> bool:
        """This process holds the embedded data dir's lock, so no other writer can be halfway
        through an ingest: chunks no article version owns are crash leftovers, safe to repair."""
        return self._lock is not None

    def close(self) -> None:
        # Chroma keeps one system per path for the whole process. Left running, it would serve a
        # later Store.open of the same dir from stale state after another process wrote there
        # (seen: "Error finding id" once an ingest was killed and rerun); so stop it, then unlock.
        try:
            close = getattr(self._client, "close", None)
            if close is not None:
                close()
        finally:
            if self._lock:
                self._lock.release()

    # -- change tracking --------------------------------------------------------------------

    def _read_token(self) -> str:
        got = self._state.get(ids=["state"], include=["metadatas"])
        return str(got["metadatas"][0]["token"]) if got["ids"] else ""

    def _changed(self) -> None:
        self.token = uuid.uuid4().hex
        self._state.upsert(ids=["state"], embeddings=[[1.0]], metadatas=[{"token": self.token}])

    def refresh(self) -> bool:
        """Pick up writes of other processes: True when the index changed since we last looked."""
        with self._registry_lock:
            token = self._read_token()
            if token == self.token:
                return False
            self.token = token
            self.versions(refresh=True)
            return True

    def registry(self) -> tuple[str, dict[str, str]]:
        """The token and a copy of the article versions it stands for, read together."""
        with self._registry_lock:
            return self.token, dict(self.versions())

    # -- article registry -------------------------------------------------------------------

    def versions(self, refresh: bool = False) -> dict[str, str]:
        """article id -> current version; cached, refreshed by our own writes or on request.

        The registry lock makes a re-read and our own commits take turns: a re-read that began
        before a commit would otherwise replace the registry after the commit recorded itself,
        and the new article would stay invisible (seen in the soak run)."""
        with self._registry_lock:
            if self._versions is None or refresh:
                for _ in range(_REREADS):
                    token = self._read_token()
                    versions: dict[str, str] = {}
                    item_versions: dict[str, int] = {}
                    for ids, metas, _ in self._pages(self._articles, ["metadatas"]):
                        versions.update((i, m["version"]) for i, m in zip(ids, metas, strict=True))
                        item_versions.update(
                            (i, int(m["item_version"]))
                            for i, m in zip(ids, metas, strict=True)
                            if "item_version" in m
                        )
                    # Pages are read by offset: another process's write in between can shift
                    # them. Every write changes the token, so read again until it stood still
                    # (a registry read while it moved is corrected by the next refresh anyway).
                    if self._read_token() == token:
                        break
                self._versions = versions
                self._item_versions = item_versions
                self._groups = None  # rebuilt from the registry when next needed
            return self._versions

    def item_versions(self) -> dict[str, int]:
        """article id -> the wire's version number of the stored item (ninjs, NewsML-G2)."""
        with self._registry_lock:
            self.versions()
            return self._item_versions

    def story_groups(self) -> StoryGroups:
        """The LSH index of stored articles' signatures and their groups (built once, then kept
        up to date by our writes; rebuilt after another process's writes)."""
        with self._registry_lock:
            self.versions()
            if self._groups is None:
                groups = StoryGroups()
                rows = []
                for ids, metas, _ in self._pages(self._articles, ["metadatas"]):
                    for i, m in zip(ids, metas, strict=True):
                        sig = decode_signature(m["minhash"]) if m.get("minhash") else None
                        if sig is not None and m.get("pubstatus") not in HIDDEN:
                            group = m.get("story_group") or i
                            member = Member(
                                group, m.get("published"), m.get("source"), m.get("author")
                            )
                            facts = decode_facts(m["facts"]) if "facts" in m else None
                            rows.append((i, sig, member, facts))
                groups.load(rows)
                self._groups = groups
            return self._groups

    def list_articles(self) -> list[ArticleRecord]:
        records = [
            article_record(i, m, None)
            for ids, metas, _ in self._pages(self._articles, ["metadatas"])
            for i, m in zip(ids, metas, strict=True)
            if m.get("pubstatus") not in HIDDEN
        ]
        return sorted(records, key=lambda r: (-(r.published or 0), r.title))

    def get_article(self, article_id: str) -> ArticleRecord | None:
        got = self._articles.get(ids=[article_id], include=["metadatas", "documents"])
        if not got["ids"] or got["metadatas"][0].get("pubstatus") in HIDDEN:
            return None
        return article_record(got["ids"][0], got["metadatas"][0], got["documents"][0])

    def bodies(self, article_ids: Sequence[str]) -> dict[str, str]:
        if not article_ids:
            return {}
        got = self._articles.get(ids=list(dict.fromkeys(article_ids)), include=["documents"])
        return dict(zip(got["ids"], got["documents"], strict=True))

    # -- writes -----------------------------------------------------------------------------

    def put_article(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        vectors: np.ndarray,
        sentence_vectors: Sequence[np.ndarray],
    ) -> None:
        self.put_articles([ArticleVersion(article, list(chunks), vectors, list(sentence_vectors))])

    def put_sentences(self, chunks: Sequence[tuple[Chunk, np.ndarray]]) -> None:
        """Write the sentence vectors of chunks ahead of `put_articles` (while the next ones are
        embedded): invisible to readers until an article record switches to their version."""
        self._put_sentence_rows(list(chunks))

    def _put_sentence_rows(self, chunks: list[tuple[Chunk, np.ndarray]]) -> None:
        sentence_rows = [
            (
                f"{c.id}/{k}",
                vector,
                chroma_meta(article_id=c.article_id, version=c.version, start=a, end=b),
            )
            for c, matrix in chunks
            for k, ((a, b), vector) in enumerate(zip(c.sentences, matrix, strict=True))
        ]
        for batch in batches(sentence_rows, self._max_batch):
            self._sentences.upsert(
                ids=[r[0] for r in batch],
                embeddings=np.asarray([r[1] for r in batch]),
                metadatas=[r[2] for r in batch],
            )

    def put_articles(
        self, items: Sequence[ArticleVersion], sentences_stored: Set[str] = frozenset()
    ) -> None:
        """Store new versions of several articles in a few batched writes; the sentence vectors
        of the chunks in `sentences_stored` were already written by `put_sentences`.

        Each article is still atomic for readers (see the module docstring): every chunk and
        sentence of every new version is written before any article record switches to it.
        """
        for item in items:
            if not len(item.chunks) == len(item.vectors) == len(item.sentence_vectors):
                raise ValueError(f"{item.article.id}: one vector and sentence matrix per chunk")
        self._put_sentence_rows(
            [
                (c, matrix)
                for item in items
                for c, matrix in zip(item.chunks, item.sentence_vectors, strict=True)
                if c.id not in sentences_stored
            ]
        )
        chunk_rows = [
            (c, vector, item.article)
            for item in items
            for c, vector in zip(item.chunks, item.vectors, strict=True)
        ]
        for batch in batches(chunk_rows, self._max_batch):
            self._chunks.upsert(
                ids=[c.id for c, _, _ in batch],
                embeddings=np.asarray([v for _, v, _ in batch]),
                metadatas=[chunk_meta(c, article) for c, _, article in batch],
            )
        with self._registry_lock:  # the commit point, recorded with no re-read in between
            previous = self.versions()
            replaced = [i.article.id for i in items if i.article.id in previous]
            for batch in batches(list(items), self._max_batch):
                self._articles.upsert(
                    ids=[i.article.id for i in batch],
                    embeddings=[[1.0]] * len(batch),
                    documents=[i.article.body for i in batch],
                    metadatas=[
                        article_meta(i.article, i.version, len(i.chunks), i.signature, i.facts)
                        for i in batch
                    ],
                )
            for item in items:
                previous[item.article.id] = item.version
                if item.article.item_version is not None:
                    self._item_versions[item.article.id] = item.article.item_version
            self._changed()
        if replaced:  # a first ingest has nothing stale; crash leftovers go with repair()
            stale = {
                "$and": [
                    {"article_id": {"$in": replaced}},
                    {"version": {"$nin": [i.version for i in items]}},
                ]
            }
            self._chunks.delete(where=stale)
            self._sentences.delete(where=stale)

    def delete_article(self, article_id: str) -> bool:
        with self._registry_lock:
            existed = bool(self._articles.get(ids=[article_id], include=[])["ids"])
            self._articles.delete(ids=[article_id])
            self.versions().pop(article_id, None)
            self._item_versions.pop(article_id, None)
            if self._groups is not None:
                self._groups.forget(article_id)
            self._changed()
        self._chunks.delete(where={"article_id": article_id})
        self._sentences.delete(where={"article_id": article_id})
        return existed

    def repair(self) -> int:
        """Delete chunks that no current article version owns (left by a crash); returns how many."""
        current = self.versions(refresh=True)
        removed = 0
        for collection in (self._chunks, self._sentences):
            orphans = [
                i
                for ids, metas, _ in self._pages(collection, ["metadatas"])
                for i, m in zip(ids, metas, strict=True)
                if current.get(m["article_id"]) != m["version"]
            ]
            for first in range(0, len(orphans), self._max_batch):
                collection.delete(ids=orphans[first : first + self._max_batch])
            if collection is self._chunks:
                removed = len(orphans)
        return removed

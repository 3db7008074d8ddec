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
from collections.abc import Iterator, Sequence, Set
from pathlib import Path
from typing import Any

import numpy as np

from index.news.facts import decode as decode_facts
from index.news.minhash import decode as decode_signature
from index.news.story_groups import Member, StoryGroups
from index.store.chroma import DataDirLock, Guarded, StoreError, StoreUnavailable, open_client
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
    stored_chunk,
)
from index.types import Article, Chunk

HIDDEN = ("withheld", "canceled")  # tombstones of wire items: kept for their version, not shown

_PAGE = 2000  # records per Chroma get() page
_ARTICLES_PER_GET = 200  # article ids in one `$in` filter
_SCAN_SHARE = 0.5  # past this share of all articles, one scan beats lookups by article id
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


class Store:
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

    # -- reads ------------------------------------------------------------------------------

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

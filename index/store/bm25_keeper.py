"""Keeps the BM25 index in step with the store, without rebuilding it.

At start the index is loaded from its file beside the data (when there is one). Whenever the
store's token changes (a write by this process, or by another one sharing the Chroma server),
the index's article versions are compared with the store's registry and only the articles that
changed are re-read and re-indexed. The file is rewritten in the background now and then, and on
close; since every load is brought up to date the same way, a stale or missing file costs time,
never correctness.

With `vectors_path`, the keeper also keeps the chunk vectors' compact mirror (index/store/vector_mirror.py)
aligned with the index: updated in the same step (only the changed articles' vectors are fetched),
saved beside the BM25 file with it, and checked against it on load.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.store import bm25_file, vector_mirror
from index.store.bm25 import Bm25Index
from index.store.store import Store, StoredChunk
from index.store.vector_mirror import VectorMirror

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncReport:
    """What bringing the index up to date took (for benchmarks, logs and tests)."""

    loaded: str  # "file", "empty" (no usable file) or "" (already in memory)
    articles: int  # articles whose chunks were re-read or dropped
    chunks: int  # chunks re-read
    seconds: float
    mirror: str = ""  # the vector mirror: "file" (loaded), "" (kept up), "off" or "failed"
    vectors_read: int = 0  # vectors the mirror read from the store


class Bm25Keeper:
    def __init__(
        self,
        store: Store,
        path: Path | None,
        save_seconds: float = 60.0,
        on_read: Callable[[list[StoredChunk]], None] | None = None,
        vectors_path: Path | None = None,
        keep_vectors: bool = False,
    ) -> None:
        self._store = store
        self._on_read = on_read  # gets the chunks each update read (to warm a cache)
        self.path = path
        self._save_seconds = save_seconds
        self._index: Bm25Index | None = None
        self._token: str | None = None
        self._lock = threading.Lock()
        self._unsaved = 0  # chunks added or dropped since the file was last written
        self._counter = threading.Lock()  # _unsaved is also changed by the saving thread
        self._saved_at = time.monotonic()
        self._saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-bm25-save")
        self._saving: Future[None] | None = None
        self.last = SyncReport("", 0, 0, 0.0)
        self._keep_vectors = keep_vectors
        self.vectors_path = vectors_path
        self._mirror: VectorMirror | None = None

    def current(self) -> Bm25Index:
        """The index as of the store's current token (the caller decides how often the store
        looks for other processes' writes)."""
        with self._lock:
            if self._index is not None and self._token == self._store.token:
                return self._index
            started = time.perf_counter()
            loaded, vectors = "", ""
            if self._index is None:
                self._index, loaded = self._open()
                vectors = self._open_mirror(self._index) if loaded == "file" else ""
            token, registry = self._store.registry()
            articles, chunks = self._sync(registry)
            vectors, read = self._follow(vectors)
            self._token = token
            seconds = time.perf_counter() - started
            self.last = SyncReport(loaded, articles, chunks, seconds, vectors, read)
            if articles:
                log.info("BM25 index updated: %s", self.last)
            self._save_if_due()
            return self._index

    def mirror(self, index: Bm25Index) -> VectorMirror | None:
        """The vector mirror aligned with `index`, when that is still the current index (None
        when vectors are not kept, or the index has moved on since the caller got it)."""
        mirror = self._mirror
        return mirror if mirror is not None and mirror.index is index else None

    def close(self) -> None:
        """Write the file if it is behind, and wait for it."""
        with self._lock:
            if self._saving is not None:
                self._saving.result()
            unsaved = self._count_unsaved(0)
            if unsaved and self._index is not None:
                self._save(self._index, unsaved, self._mirror)
        self._saver.shutdown(wait=True)

    def _open(self) -> tuple[Bm25Index, str]:
        if self.path is None or not self.path.exists():
            return Bm25Index.empty(), "empty"
        try:
            return bm25_file.load(self.path, self._store.snapshot_key), "file"
        except bm25_file.SnapshotMismatch as err:
            log.info("BM25 file not used: %s", err)
        except Exception as err:  # a damaged file: rebuild and overwrite it
            log.warning(
                "BM25 file %s is unreadable (%s); rebuilding from the store", self.path, err
            )
        self._count_unsaved(1)  # rewrite it even if the store is empty
        return Bm25Index.empty(), "empty"

    def _open_mirror(self, index: Bm25Index) -> str:
        """The mirror saved with the BM25 file just loaded; when it is missing or does not match
        that file, the mirror is filled from the store instead (and both files rewritten)."""
        if not self._keep_vectors or self.vectors_path is None:
            return ""
        try:
            self._mirror = vector_mirror.load(self.vectors_path, self._store.snapshot_key, index)
            return "file"
        except FileNotFoundError:
            log.info(
                "no vector mirror file %s; reading the vectors from the store", self.vectors_path
            )
        except Exception as err:  # damaged, or saved with another BM25 file
            log.warning(
                "vector mirror file %s not used (%s); reading the vectors", self.vectors_path, err
            )
        self._count_unsaved(1)
        return ""

    def _follow(self, loaded: str) -> tuple[str, int]:
        """Bring the mirror to the current index, fetching only the vectors it does not hold."""
        assert self._index is not None
        if not self._keep_vectors:
            return "off", 0
        mirror = self._mirror or VectorMirror.empty()
        read = 0

        def fetch(chunk_ids: Sequence[str]) -> np.ndarray:
            nonlocal read
            read += len(chunk_ids)
            return self._store.chunk_vectors(chunk_ids)

        try:
            self._mirror = mirror.follow(self._index, fetch)
        except ValueError as err:  # vectors of an unexpected shape: scoped questions use Chroma
            log.warning("vector mirror not updated: %s", err)
            self._mirror = None
            return "failed", read
        return loaded, read

    def _sync(self, current: dict[str, str]) -> tuple[int, int]:
        assert self._index is not None
        index = self._index
        changes: dict[str, str | None] = {
            a: v for a, v in current.items() if index.versions.get(a) != v
        }
        changes.update((a, None) for a in index.versions if a not in current)
        if not changes:
            return 0, 0
        added = self._store.chunks_of({a: v for a, v in changes.items() if v is not None})
        self._index = index.updated(changes, added)
        if self._on_read is not None:
            self._on_read(added)
        dropped = index.live + len(added) - self._index.live
        self._count_unsaved(len(added) + dropped)
        return len(changes), len(added)

    def _count_unsaved(self, chunks: int) -> int:
        with self._counter:
            self._unsaved = max(self._unsaved + chunks, 0)
            return self._unsaved

    def _save_if_due(self) -> None:
        unsaved = self._count_unsaved(0)
        if self.path is None or not unsaved or self._index is None:
            return
        if self._saving is not None and not self._saving.done():
            return
        enough = unsaved >= max(200, 0.05 * self._index.live)
        if enough or time.monotonic() - self._saved_at >= self._save_seconds:
            self._saving = self._saver.submit(self._save, self._index, unsaved, self._mirror)

    def _save(self, index: Bm25Index, unsaved: int, mirror: VectorMirror | None) -> None:
        assert self.path is not None
        self._count_unsaved(-unsaved)
        try:
            bm25_file.save(index, self.path, self._store.snapshot_key)
            if mirror is not None and mirror.index is index and self.vectors_path is not None:
                vector_mirror.save(mirror, self.vectors_path, self._store.snapshot_key)
            self._saved_at = time.monotonic()
        except Exception as err:  # a read-only data dir costs restart time, nothing else
            self._count_unsaved(unsaved)
            log.warning("cannot save the BM25 index to %s: %s", self.path, err)

"""A compact copy of the chunk vectors, slot for slot beside the BM25 index, for scoped questions.

A filter that keeps few chunks (one story's articles, an outlet, a week) is answered faster by
scoring exactly those chunks than by Chroma's filtered search, which gets slower with the index.
The BM25 index already knows which slots a filter keeps (`Filters.bm25_mask`); this mirror holds
each slot's vector, so scoring them is one small matrix product in process.

Vectors are quantised to int8 with one float32 scale per row (symmetric, per vector): d + 4 bytes
per chunk (388 B for MiniLM's 384 dimensions, against 1,536 B as float32). The scale folds in the
vector's norm, so `codes @ q * scale` is the cosine Chroma would compute, within about 1e-3.

A mirror is immutable and aligned with one `Bm25Index` (`mirror.index`): its row i is slot i of
that index, dead slots included, so a slot the index marks dead (a replaced or deleted article) is
never scored, and a new index gets a new mirror (`follow`) that shares the unchanged segments.
Saved beside the BM25 file and checked against it on load, like the BM25 file it is only a cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.store.bm25 import Bm25Index
from index.store.slot_codes import SlotCodes

FORMAT = 1
MAX_SEGMENTS = 8  # more appended segments than this are joined into one
MERGE_ALL = 0.25  # ... together with the first one once they hold this share of its rows
_BLOCK = 8192  # rows dequantised at a time: bounds the temporary float32 copy to ~12 MB

FetchVectors = Callable[[Sequence[str]], np.ndarray]  # chunk ids -> (len, d) float32 rows


@dataclass(frozen=True)
class Segment:
    first_slot: int
    codes: np.ndarray  # int8 (rows, d)
    scales: np.ndarray  # float32 (rows,): cosine = codes @ unit_query * scale

    @property
    def rows(self) -> int:
        return len(self.scales)


def quantise(vectors: np.ndarray, first_slot: int = 0) -> Segment:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"expected a matrix of vectors, got shape {vectors.shape}")
    peak = np.abs(vectors).max(axis=1) if vectors.shape[1] else np.zeros(len(vectors))
    norms = np.linalg.norm(vectors, axis=1)
    step = np.where(peak > 0, peak / 127.0, 1.0)
    codes = np.rint(vectors / step[:, None]).astype(np.int8)
    scales = np.where(norms > 0, step / np.where(norms > 0, norms, 1.0), 0.0)
    return Segment(first_slot, codes, scales.astype(np.float32))


class VectorMirror:
    def __init__(
        self,
        index: Bm25Index,
        segments: tuple[Segment, ...],
        dimension: int,
        codes: SlotCodes | None = None,
    ) -> None:
        self.index = index
        self.segments = segments
        self.dimension = dimension
        # the slots' article ids and sources as integers, for fast filter masks (slot_codes.py)
        self.codes = codes if codes is not None and codes.index is index else SlotCodes.of(index)
        self._starts = np.array([s.first_slot for s in segments] + [len(index)], dtype=np.int64)

    @classmethod
    def empty(cls) -> VectorMirror:
        return cls(Bm25Index.empty(), (), 0)

    @property
    def nbytes(self) -> int:
        """What the vectors take in memory (dead slots until the BM25 index compacts them)."""
        return sum(s.codes.nbytes + s.scales.nbytes for s in self.segments)

    def bytes_per_chunk(self) -> float:
        return self.nbytes / max(self.index.live, 1)

    # -- scoring ------------------------------------------------------------------------------

    def similarities(self, slots: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Cosine between `query` and the vector of each slot (ascending slot numbers)."""
        out = np.zeros(len(slots), dtype=np.float32)
        if not len(slots) or not self.segments:
            return out
        query = np.asarray(query, dtype=np.float32)
        norm = float(np.linalg.norm(query))
        if norm == 0:
            return out
        unit = query / norm
        bounds = np.searchsorted(slots, self._starts)
        for segment, first, last in zip(self.segments, bounds[:-1], bounds[1:], strict=True):
            for a in range(first, last, _BLOCK):
                b = min(a + _BLOCK, last)
                rows = slots[a:b] - segment.first_slot
                # einsum, not `@`: numpy's own single-threaded loop over the int8 rows, with no
                # float32 copy; BLAS's threads made this 10-40x slower on a busy 2-core machine
                values = np.einsum("ij,j->i", segment.codes[rows], unit)
                out[a:b] = values * segment.scales[rows]
        return out

    # -- keeping up with the BM25 index --------------------------------------------------------

    def follow(self, index: Bm25Index, fetch: FetchVectors) -> VectorMirror:
        """The mirror for `index` (a newer BM25 index): unchanged slots keep their rows, and only
        the vectors of slots this mirror does not hold are fetched."""
        if index is self.index:
            return self
        old_ids, new_ids = self.index.slots.chunk_ids, index.slots.chunk_ids
        kept = len(old_ids)
        if kept <= len(new_ids) and np.array_equal(new_ids[:kept], old_ids):
            # The usual update: slots appended after the old ones (dead ones only marked).
            codes = self.codes.appended(index)
            if kept == len(new_ids):
                return VectorMirror(index, self.segments, self.dimension, codes)
            fresh = _fetched(fetch, new_ids[kept:], self.dimension)
            segments = (*self.segments, quantise(fresh, kept))
            return VectorMirror(index, _joined(segments), fresh.shape[1], codes)
        return self._renumbered(index, fetch)

    def _renumbered(self, index: Bm25Index, fetch: FetchVectors) -> VectorMirror:
        """The BM25 index was compacted (slots renumbered): rows move by chunk id."""
        old_row = {c: i for i, c in enumerate(self.index.slots.chunk_ids.tolist())}
        new_ids = index.slots.chunk_ids.tolist()
        rows = np.array([old_row.get(c, -1) for c in new_ids], dtype=np.int64)
        missing = np.flatnonzero(rows < 0)
        dimension = self.dimension
        if len(missing):
            fresh = quantise(_fetched(fetch, [new_ids[i] for i in missing], dimension))
            dimension = fresh.codes.shape[1]
        codes = np.zeros((len(new_ids), dimension), dtype=np.int8)
        scales = np.zeros(len(new_ids), dtype=np.float32)
        known = np.flatnonzero(rows >= 0)
        if len(known):
            joined = _joined(self.segments, everything=True)[0]
            codes[known] = joined.codes[rows[known]]
            scales[known] = joined.scales[rows[known]]
        if len(missing):
            codes[missing], scales[missing] = fresh.codes, fresh.scales
        segments = (Segment(0, codes, scales),) if len(new_ids) else ()
        return VectorMirror(index, segments, dimension)


def _fetched(fetch: FetchVectors, chunk_ids: Sequence[str], dimension: int) -> np.ndarray:
    vectors = np.asarray(fetch(list(chunk_ids)), dtype=np.float32)
    if len(chunk_ids) == 0:
        return np.zeros((0, dimension), dtype=np.float32)
    if vectors.ndim == 2 and vectors.shape == (len(chunk_ids), 0) and dimension:
        return np.zeros((len(chunk_ids), dimension), dtype=np.float32)  # all of them gone
    if vectors.ndim != 2 or len(vectors) != len(chunk_ids) or vectors.shape[1] == 0:
        raise ValueError(f"expected {len(chunk_ids)} vectors, got shape {vectors.shape}")
    if dimension and vectors.shape[1] != dimension:
        raise ValueError(f"vectors of dimension {vectors.shape[1]}, the mirror has {dimension}")
    return vectors


def _joined(segments: tuple[Segment, ...], everything: bool = False) -> tuple[Segment, ...]:
    """Join the appended segments when there are too many: into one with the first when they
    hold a quarter of its rows (or when asked), so the big copy happens once per 25% of
    growth, as BM25's merges do; otherwise into one after the first."""
    if not segments or (len(segments) <= MAX_SEGMENTS and not everything):
        return segments
    small = sum(s.rows for s in segments[1:])
    everything = everything or small > MERGE_ALL * segments[0].rows
    head, tail = ((), segments) if everything else ((segments[0],), segments[1:])
    joined = Segment(
        tail[0].first_slot,
        np.concatenate([s.codes for s in tail]),
        np.concatenate([s.scales for s in tail]),
    )
    return (*head, joined)


# -- the file beside the BM25 file -------------------------------------------------------------


def _digest(chunk_ids: np.ndarray) -> str:
    return hashlib.sha256("\0".join(chunk_ids.tolist()).encode()).hexdigest()


def save(mirror: VectorMirror, path: Path, key: str) -> None:
    """The live slots' rows, in slot order: the order `bm25_file.save` writes the same index in.
    Written atomically (temp file, then rename)."""
    alive = mirror.index.slots.alive
    kept = [alive[s.first_slot : s.first_slot + s.rows] for s in mirror.segments]
    codes = np.zeros((0, mirror.dimension), np.int8)
    scales = np.zeros(0, np.float32)
    if mirror.segments:  # one copy of the live rows, segment by segment
        codes = np.concatenate([s.codes[k] for s, k in zip(mirror.segments, kept, strict=True)])
        scales = np.concatenate([s.scales[k] for s, k in zip(mirror.segments, kept, strict=True)])
    header = {"format": FORMAT, "key": key, "slots": _digest(mirror.index.slots.chunk_ids[alive])}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(
                file,
                header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
                codes=codes,
                scales=scales,
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: Path, key: str, index: Bm25Index) -> VectorMirror:
    """The saved mirror for `index` (as loaded from the BM25 file: every slot alive). Raises
    OSError/ValueError when the file is missing, damaged, or was saved for other slots."""
    with np.load(path, allow_pickle=False) as data:
        header = json.loads(data["header"].tobytes().decode())
        codes, scales = data["codes"], data["scales"]
    if header.get("format") != FORMAT or header.get("key") != key:
        raise ValueError(f"{path} was written for {header}")
    if header.get("slots") != _digest(index.slots.chunk_ids):
        raise ValueError(f"{path} holds other chunks than the BM25 file")
    if codes.dtype != np.int8 or codes.ndim != 2 or scales.shape != (len(codes),):
        raise ValueError(f"{path} is inconsistent")
    if len(codes) != len(index) or not np.all(index.slots.alive):
        raise ValueError(f"{path} does not match the BM25 index")
    segments = (Segment(0, codes, scales.astype(np.float32)),) if len(codes) else ()
    return VectorMirror(index, segments, codes.shape[1])

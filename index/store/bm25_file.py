"""The BM25 index saved beside the data, so a restart loads it instead of re-reading every chunk.

The file is only a cache: it records which article versions it holds, and whoever loads it
brings it up to date from the store's article registry (see `bm25_keeper`). A file that is
missing, damaged, from another collection or from another analyser is ignored, never trusted.
"""

from __future__ import annotations

import json
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from index.store.bm25 import Bm25Index, Slots
from index.store.postings import Segment

FORMAT = 1


def analyser_id() -> str:
    """Tokens depend on these packages' versions; a file written by others is rebuilt."""
    versions = [f"{name}={metadata.version(name)}" for name in ("bm25s", "PyStemmer")]
    return f"format={FORMAT};" + ";".join(versions)


def _text(value: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode(), dtype=np.uint8)


def _untext(array: np.ndarray) -> Any:
    return json.loads(array.tobytes().decode())


def save(index: Bm25Index, path: Path, key: str) -> None:
    """Write atomically (temp file, then rename): a reader sees the old file or the new one."""
    compact = index.merged(everything=True)
    segment = compact.segments[0] if compact.segments else None
    slots = compact.slots
    arrays = {
        "header": _text({"analyser": analyser_id(), "key": key}),
        "vocabulary": _text(compact.terms_in_order()),
        "versions": _text(compact.versions),
        "chunk_ids": _text(slots.chunk_ids.tolist()),
        "article_ids": _text(slots.article_ids.tolist()),
        "sources": _text(slots.sources.tolist()),
        "published": slots.published,
        "lengths": slots.lengths,
        "indptr": segment.indptr if segment else np.zeros(1, np.int64),
        "doc": segment.doc if segment else np.zeros(0, np.int32),
        "tf": segment.tf if segment else np.zeros(0, np.float32),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class SnapshotMismatch(ValueError):
    """The file is fine but belongs to another collection or analyser."""


def load(path: Path, key: str) -> Bm25Index:
    """The saved index; raises OSError/ValueError (and others) when the file cannot be used."""
    with np.load(path, allow_pickle=False) as data:
        header = _untext(data["header"])
        if header.get("analyser") != analyser_id() or header.get("key") != key:
            raise SnapshotMismatch(f"{path} was written for {header}")
        terms = _untext(data["vocabulary"])
        chunk_ids = _untext(data["chunk_ids"])
        slots = Slots(
            np.array(chunk_ids, dtype=object),
            np.array(_untext(data["article_ids"]), dtype=object),
            np.array(_untext(data["sources"]), dtype=object),
            data["published"].astype(np.int64),
            data["lengths"].astype(np.float32),
            np.ones(len(chunk_ids), dtype=bool),
        )
        indptr, doc, tf = data["indptr"], data["doc"], data["tf"]
        versions = _untext(data["versions"])
    rows = len(chunk_ids)
    if not (
        len(indptr) == len(terms) + 1
        and indptr[0] == 0
        and indptr[-1] == len(doc) == len(tf)
        and np.all(np.diff(indptr) >= 0)
        and (len(doc) == 0 or (doc.min() >= 0 and doc.max() < rows))
        and len(slots.article_ids) == len(slots.sources) == len(slots.published) == rows
        and len(slots.lengths) == rows
        and isinstance(versions, dict)
    ):
        raise ValueError(f"{path} is inconsistent")
    segment = Segment(0, rows, indptr.astype(np.int64), doc.astype(np.int32), tf)
    vocabulary = {term: i for i, term in enumerate(terms)}
    return Bm25Index(vocabulary, (segment,) if rows else (), slots, versions)

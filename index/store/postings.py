"""Inverted postings for BM25 in immutable numpy segments: term -> (chunk slots, term frequency).

A segment never changes once built. New chunks go into a new small segment and removed chunks are
only marked dead by the index that owns the segments; merging rewrites segments without the dead
rows. This is how the BM25 index is updated per ingest instead of rebuilt (the Lucene way).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_EMPTY_SLOTS = np.zeros(0, dtype=np.int64)
_EMPTY_TF = np.zeros(0, dtype=np.float32)


@dataclass(frozen=True)
class Segment:
    first_slot: int  # the index-wide slot of this segment's row 0
    rows: int
    indptr: (
        np.ndarray
    )  # int64, one more than the terms it knows: term t is [indptr[t], indptr[t+1])
    doc: np.ndarray  # int32 row of each posting, ascending within a term
    tf: np.ndarray  # float32 frequency of the term in that row

    @property
    def terms(self) -> int:
        return len(self.indptr) - 1

    @property
    def postings_count(self) -> int:
        return len(self.doc)

    def postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """Index-wide slots holding `term`, and its frequency in each."""
        if term >= self.terms:  # a term first seen after this segment was built
            return _EMPTY_SLOTS, _EMPTY_TF
        start, end = self.indptr[term], self.indptr[term + 1]
        return self.doc[start:end].astype(np.int64) + self.first_slot, self.tf[start:end]

    def triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every posting as (term, index-wide slot, frequency)."""
        terms = np.repeat(np.arange(self.terms, dtype=np.int64), np.diff(self.indptr))
        return terms, self.doc.astype(np.int64) + self.first_slot, self.tf


def from_triples(
    terms: np.ndarray,
    rows: np.ndarray,
    tf: np.ndarray,
    first_slot: int,
    row_count: int,
    term_count: int,
) -> Segment:
    """A segment from postings in any order; (term, row) pairs must be unique."""
    order = np.argsort(terms * max(row_count, 1) + rows, kind="stable")
    indptr = np.zeros(term_count + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms, minlength=term_count), out=indptr[1:])
    return Segment(
        first_slot,
        row_count,
        indptr,
        rows[order].astype(np.int32),
        tf[order].astype(np.float32),
    )


def build_segment(term_ids: Sequence[np.ndarray], first_slot: int, term_count: int) -> Segment:
    """A segment for rows given as their (repeated) term ids, in token order."""
    row_count = len(term_ids)
    if row_count == 0 or not any(len(t) for t in term_ids):
        return Segment(
            first_slot, row_count, np.zeros(term_count + 1, np.int64), _EMPTY_SLOTS, _EMPTY_TF
        )
    row_of = np.repeat(np.arange(row_count, dtype=np.int64), [len(t) for t in term_ids])
    keys = np.concatenate(term_ids).astype(np.int64) * row_count + row_of
    unique, counts = np.unique(keys, return_counts=True)
    return from_triples(
        unique // row_count,
        unique % row_count,
        counts.astype(np.float32),
        first_slot,
        row_count,
        term_count,
    )


def merge(
    segments: Sequence[Segment],
    new_row: np.ndarray,
    first_slot: int,
    row_count: int,
    new_term: np.ndarray | None,
    term_count: int,
) -> Segment:
    """One segment from several: `new_row` maps an index-wide slot to its row in the result
    (-1 drops it), `new_term` maps old term ids to new ones (None keeps them)."""
    parts = [s.triples() for s in segments]
    if not parts:
        return build_segment([], first_slot, term_count)
    terms = np.concatenate([p[0] for p in parts])
    rows = new_row[np.concatenate([p[1] for p in parts])]
    tf = np.concatenate([p[2] for p in parts])
    keep = rows >= 0
    terms, rows, tf = terms[keep], rows[keep], tf[keep]
    if new_term is not None:
        terms = new_term[terms]
    return from_triples(terms, rows, tf, first_slot, row_count, term_count)

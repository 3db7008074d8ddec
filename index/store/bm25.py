"""A BM25 index over the stored chunks (bm25s's analyser with an English stemmer; Lucene scoring),
updated per ingest rather than rebuilt, with the metadata that filters need.

The index is immutable: `updated()` returns a new one that shares the unchanged postings
segments, so a question being answered in another thread never sees half an update. Each chunk
has a slot; a removed chunk's slot is marked dead and disappears at the next merge. Term
statistics (document frequency, average length) are computed from the live postings at query
time, so nothing has to be recounted when chunks come and go.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from index.store.postings import Segment, build_segment, merge
from index.store.records import StoredChunk

K1, B = 1.5, 0.75  # bm25s's defaults, which earlier versions of this index used
MAX_SEGMENTS = 8  # more small segments than this are merged into one
MERGE_ALL = 0.25  # rewrite everything when dead slots or small segments pass this share


_per_thread = threading.local()


def _stemmer():  # type: ignore[no-untyped-def]
    """One stemmer per thread: PyStemmer's objects keep per-call state and a cache, and are not
    safe to share between the threads that answer questions at the same time."""
    stemmer = getattr(_per_thread, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = _per_thread.stemmer = Stemmer.Stemmer("english")
    return stemmer


def analyse(texts: list[str], stemmer: object) -> list[list[str]]:
    import bm25s

    return bm25s.tokenize(
        texts, stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False
    )


ANALYSED_TEXTS = 16384  # texts whose analysis is remembered (a few MB)


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s.tokenize's default token_pattern


@functools.cache
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN  # what bm25s.tokenize(stopwords="en") removes

    return frozenset(STOPWORDS_EN)


@functools.lru_cache(maxsize=ANALYSED_TEXTS)
def _analysed(text: str) -> tuple[str, ...]:
    """One text's terms, exactly as `analyse([text], ...)` gives them (lower-cased tokens of
    two or more word characters, stopwords dropped, stemmed), without bm25s.tokenize's setup,
    and remembered: answering analyses every sentence of every passage it reads (measured:
    3,181 bm25s calls for 150 questions, most of their time spent setting up progress bars),
    and the same passages come back question after question. Pure in the text."""
    stopwords = _stopwords()
    tokens = [t for t in _TOKEN.findall(text.lower()) if t not in stopwords]
    unique = list(dict.fromkeys(tokens))
    stems = dict(zip(unique, _stemmer().stemWords(unique), strict=True))
    return tuple(stems[t] for t in tokens)


def search_terms(text: str) -> tuple[str, ...]:
    """The terms the index searches `text` by: its content words, lower-cased and stemmed, with
    stopwords dropped ("Doomsday Clock's hands" -> doomsday, clock, hand)."""
    return _analysed(text)


@dataclass(frozen=True)
class Bm25Hit:
    chunk_id: str
    score: float


@dataclass(frozen=True)
class Slots:
    """One entry per chunk slot, dead or alive."""

    chunk_ids: np.ndarray  # object
    article_ids: np.ndarray  # object
    sources: np.ndarray  # object; "" when unknown
    published: np.ndarray  # int64; 0 when unknown
    lengths: np.ndarray  # float32: analysed tokens
    alive: np.ndarray  # bool

    @classmethod
    def empty(cls) -> Slots:
        return cls.of([], [])

    @classmethod
    def of(cls, stored: Sequence[StoredChunk], lengths: Sequence[int]) -> Slots:
        return cls(
            np.array([s.chunk.id for s in stored], dtype=object),
            np.array([s.chunk.article_id for s in stored], dtype=object),
            np.array([s.source or "" for s in stored], dtype=object),
            np.array([s.published or 0 for s in stored], dtype=np.int64),
            np.array(lengths, dtype=np.float32),
            np.ones(len(stored), dtype=bool),
        )

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def plus(self, other: Slots, dead: np.ndarray) -> Slots:
        """These slots with `dead` ones marked, followed by `other`'s."""
        mine = replace(self, alive=self.alive & ~dead)
        return Slots(*(np.concatenate([getattr(mine, f), getattr(other, f)]) for f in _FIELDS))

    def only(self, keep: np.ndarray) -> Slots:
        return Slots(*(getattr(self, f)[keep] for f in _FIELDS))


_FIELDS = [f.name for f in fields(Slots)]


class Bm25Index:
    def __init__(
        self,
        vocabulary: dict[str, int],
        segments: tuple[Segment, ...],
        slots: Slots,
        versions: Mapping[str, str],
    ) -> None:
        # The vocabulary only grows between merges, and may be shared with the index this one
        # was derived from: a term id beyond a segment's range simply has no postings there.
        self._vocabulary = vocabulary
        self.segments = segments
        self.slots = slots
        self.versions = dict(versions)  # article id -> the version whose chunks are indexed
        self.live = int(np.count_nonzero(slots.alive))
        total = float(slots.lengths[slots.alive].sum()) if self.live else 0.0
        self._average_length = total / self.live if self.live else 1.0
        # term id -> document frequency; valid for good since the index never changes. Answer
        # composition asks for the idf of every word of every candidate sentence.
        self._df: dict[int, int] = {}
        self._idfs: dict[str, float] = {}  # term -> idf, likewise valid for good

    @classmethod
    def empty(cls) -> Bm25Index:
        return cls({}, (), Slots.empty(), {})

    @classmethod
    def build(cls, chunks: Iterable[StoredChunk], versions: Mapping[str, str]) -> Bm25Index:
        return cls.empty().updated(versions, list(chunks))

    # -- what retrieval and verification read --------------------------------------------------

    def __len__(self) -> int:
        """Slots, dead ones included: the length of the metadata arrays and filter masks."""
        return len(self.slots)

    @property
    def vocabulary_size(self) -> int:
        return len(self._vocabulary)

    def analyse(self, text: str) -> list[str]:
        return list(_analysed(text))  # a fresh list: callers may change theirs

    def idf(self, term: str) -> float:
        """BM25's idf of a stemmed term; a term no chunk has gets the highest weight."""
        idf = self._idfs.get(term)
        if idf is None:
            term_id = self._vocabulary.get(term)
            idf = self._idf(0 if term_id is None else self._document_frequency(term_id))
            self._idfs[term] = idf
        return idf

    def _document_frequency(self, term_id: int) -> int:
        df = self._df.get(term_id)
        if df is None:
            df = self._df[term_id] = len(self._postings(term_id)[0])
        return df

    def _idf(self, df: int) -> float:
        return float(np.log(1.0 + (self.live - df + 0.5) / (df + 0.5)))

    def _postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        parts = [s.postings(term_id) for s in self.segments]
        slots = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
        tf = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.float32)
        alive = self.slots.alive[slots]
        return slots[alive], tf[alive]

    def scores(self, query: str) -> np.ndarray:
        """BM25 (Lucene variant) of every slot for the query; dead slots score 0."""
        scores = np.zeros(len(self.slots), dtype=np.float32)
        if not self.live:
            return scores
        for term in self.analyse(query):  # a repeated query term counts again, as in bm25s
            term_id = self._vocabulary.get(term)
            if term_id is None:
                continue
            slots, tf = self._postings(term_id)
            if not len(slots):
                continue
            lengths = self.slots.lengths[slots] / self._average_length
            scores[slots] += self._idf(len(slots)) * tf / (tf + K1 * (1 - B + B * lengths))
        return scores

    def search(self, query: str, n: int, mask: np.ndarray | None = None) -> list[Bm25Hit]:
        """Top `n` chunks by BM25 among those where `mask` is True (all when None)."""
        if not self.live or n <= 0:
            return []
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        n = min(n, int(np.count_nonzero(scores > 0)))
        if n == 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [Bm25Hit(str(self.slots.chunk_ids[i]), float(scores[i])) for i in top]

    # -- updates ------------------------------------------------------------------------------

    def updated(
        self, versions: Mapping[str, str | None], added: Sequence[StoredChunk]
    ) -> Bm25Index:
        """A new index where every article in `versions` has its old chunks replaced by its
        chunks among `added` (None: the article is gone). This index is left as it was."""
        changed = list(versions)
        dead = np.isin(self.slots.article_ids, changed) if changed and len(self.slots) else None
        if dead is None:
            dead = np.zeros(len(self.slots), dtype=bool)
        vocabulary = self._vocabulary
        term_ids = []
        for tokens in analyse([s.chunk.indexed_text for s in added], _stemmer()):
            ids = [vocabulary.setdefault(t, len(vocabulary)) for t in tokens]
            term_ids.append(np.array(ids, dtype=np.int64))
        segment = build_segment(term_ids, len(self.slots), len(vocabulary))
        slots = self.slots.plus(Slots.of(added, [len(t) for t in term_ids]), dead)
        segments = self.segments + ((segment,) if len(added) else ())
        article_versions = {**self.versions, **versions}
        for article_id, version in versions.items():
            if version is None:
                del article_versions[article_id]
        return Bm25Index(vocabulary, segments, slots, article_versions).merged()

    def merged(self, everything: bool = False) -> Bm25Index:
        """Merge segments when there are many small ones, and rewrite everything (dropping dead
        slots and unused terms) when enough is dead or small, or when asked: merges cost time
        in proportion to what they rewrite, so small ones happen often and big ones rarely."""
        small = sum(s.rows for s in self.segments[1:])
        first = self.segments[0].rows if self.segments else 0
        dead = len(self.slots) - self.live
        if everything or dead > MERGE_ALL * len(self.slots) or small > MERGE_ALL * first:
            return self._compacted()
        if len(self.segments) > MAX_SEGMENTS:
            tail = self.segments[1:]
            start = tail[0].first_slot
            rows = np.full(len(self.slots), -1, dtype=np.int64)
            rows[start:] = np.arange(len(self.slots) - start)
            joined = merge(tail, rows, start, len(self.slots) - start, None, self.vocabulary_size)
            return Bm25Index(
                self._vocabulary, (self.segments[0], joined), self.slots, self.versions
            )
        return self

    def _compacted(self) -> Bm25Index:
        alive = self.slots.alive
        new_row = np.where(alive, np.cumsum(alive) - 1, -1)
        used = np.zeros(self.vocabulary_size, dtype=bool)
        for segment in self.segments:
            terms, slots, _ = segment.triples()
            used[terms[alive[slots]]] = True
        new_term = np.where(used, np.cumsum(used) - 1, -1)
        vocabulary = {t: int(new_term[i]) for t, i in self._vocabulary.items() if used[i]}
        slots = self.slots.only(alive)
        segment = merge(self.segments, new_row, 0, len(slots), new_term, len(vocabulary))
        return Bm25Index(vocabulary, (segment,) if len(slots) else (), slots, self.versions)

    def terms_in_order(self) -> list[str]:
        """The vocabulary by term id (for saving)."""
        ordered = [""] * len(self._vocabulary)
        for term, term_id in self._vocabulary.items():
            ordered[term_id] = term
        return ordered

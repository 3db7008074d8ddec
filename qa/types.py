"""Types at the boundary of `qa/`: filters, retrieved passages, citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from index.store.bm25 import Bm25Index
from index.types import Chunk

# The one sentence every refusal says (the extractive backend and the LLM backend alike).
CANNOT_ANSWER = "The indexed articles do not contain enough information to answer this question."


@dataclass(frozen=True)
class Filters:
    article_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    published_from: int | None = None  # yyyymmdd, inclusive
    published_to: int | None = None

    @property
    def empty(self) -> bool:
        return self == Filters()

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.article_ids:
            clauses.append({"article_id": {"$in": list(self.article_ids)}})
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        if self.published_from is not None:
            clauses.append({"published": {"$gte": self.published_from}})
        if self.published_to is not None:
            clauses.append({"published": {"$lte": self.published_to}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def bm25_mask(self, index: Bm25Index) -> np.ndarray | None:
        """The same conditions as `chroma_where`, over the BM25 index's metadata arrays."""
        if self.empty:
            return None
        mask = np.ones(len(index), dtype=bool)
        if self.article_ids:
            mask &= np.isin(index.slots.article_ids, list(self.article_ids))
        if self.sources:
            mask &= np.isin(index.slots.sources, list(self.sources))
        if self.published_from is not None:
            mask &= (index.slots.published >= self.published_from) & (index.slots.published > 0)
        if self.published_to is not None:
            mask &= (index.slots.published <= self.published_to) & (index.slots.published > 0)
        return mask


@dataclass(frozen=True)
class Turn:
    """One earlier message of a conversation, for follow-up questions."""

    role: str  # "user" or "assistant"
    content: str


@dataclass(frozen=True)
class Focus:
    """The articles an answer was focused on (the story of the conversation) and why."""

    article_ids: tuple[str, ...]
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"article_ids": list(self.article_ids), "reason": self.reason}


# What a question lacks when it cannot be asked alone: "Why now?" with no story named before it.
NEEDS_STORY = "story"


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with what retrieval knows about it."""

    chunk: Chunk
    score: float  # fused score; higher is better
    similarity: float | None = None  # cosine to the question, when the dense side found it
    source: str | None = None
    published: int | None = None
    # one unit vector per sentence of the chunk (chunk.sentences order), when the store has them
    sentence_vectors: np.ndarray | None = field(default=None, compare=False, repr=False)
    story_group: str | None = None  # a syndicated story's group, when it has several members

    @property
    def text(self) -> str:
        return self.chunk.text


@dataclass(frozen=True)
class Citation:
    ref: int
    article_id: str
    title: str
    section: str | None
    text: str  # the cited passage
    quote: str  # the exact supporting span: article body[start:end]
    start: int
    end: int
    score: float
    # the other outlets that published this story (syndicated copies, qa/retrieval/story_groups.py)
    also_published_by: list[str] = field(default_factory=list)
    published: str | None = (
        None  # the article's publication date, ISO (filled in by qa/dated/answer_dates.py)
    )

    @classmethod
    def of(cls, ref: int, chunk: Chunk, start: int, end: int, score: float) -> Citation:
        """Cite body[start:end] of the article, a span inside `chunk`."""
        quote = chunk.text[start - chunk.start : end - chunk.start]
        return cls(
            ref=ref, article_id=chunk.article_id, title=chunk.title, section=chunk.section,
            text=chunk.text, quote=quote, start=start, end=end, score=score,
        )  # fmt: skip


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    refs: list[int]
    supported: bool
    # why an LLM sentence is not supported: reason codes ("speaker", "polarity", ...; see
    # qa/checks/claim_checks.py) and one sentence per code for the reader; on a supported
    # sentence, notes (codes whose flags alone are not evidence of an error)
    problems: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    dates: list[str] = field(
        default_factory=list
    )  # ISO dates/ranges it mentions (qa/dated/answer_dates.py)


@dataclass
class Answer:
    answer: str
    refused: bool
    backend: str
    citations: list[Citation] = field(default_factory=list)
    sentences: list[AnswerSentence] = field(default_factory=list)
    degraded: str | None = None
    passages: list[Passage] = field(default_factory=list)  # everything retrieved, for display
    focus: Focus | None = None  # the story the answer was confined to, when there was one
    needs: str | None = None  # NEEDS_STORY: the question names no story and the history none

    def to_json(self, with_passages: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "answer": self.answer,
            "refused": self.refused,
            "backend": self.backend,
            "citations": [asdict(c) for c in self.citations],
            "sentences": [asdict(s) for s in self.sentences],
            "degraded": self.degraded,
            "focus": self.focus.to_json() if self.focus else None,
            "needs": self.needs,
        }
        if with_passages:
            out["passages"] = [
                {
                    "article_id": p.chunk.article_id,
                    "title": p.chunk.title,
                    "section": p.chunk.section,
                    "text": p.text,
                    "start": p.chunk.start,
                    "end": p.chunk.end,
                    "score": p.score,
                }
                for p in self.passages
            ]
        return out

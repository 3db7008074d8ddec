"""What the store holds and returns, and its translation to and from Chroma metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.types import Article, Chunk, Section, SentenceTag


@dataclass(frozen=True)
class ArticleRecord:
    id: str
    title: str
    version: str
    chunk_count: int
    source: str | None = None
    author: str | None = None
    url: str | None = None
    published: int | None = None
    origin: str = ""
    body: str | None = None  # only when asked for
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class StoredChunk:
    chunk: Chunk
    source: str | None
    published: int | None


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    similarity: float


def chroma_meta(**values: object) -> dict[str, Any]:
    """Chroma metadata cannot hold None."""
    return {k: v for k, v in values.items() if v is not None}


@dataclass(frozen=True)
class ArticleVersion:
    """One article with its chunks and their vectors, ready to be stored."""

    article: Article
    chunks: list[Chunk]
    vectors: np.ndarray
    sentence_vectors: list[np.ndarray]
    existed: bool = False  # an earlier version was stored (for reports)

    @property
    def version(self) -> str:
        return self.chunks[0].version if self.chunks else "empty"


def batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for first in range(0, len(rows), size):
        yield rows[first : first + size]


def chunk_meta(c: Chunk, article: Article) -> dict[str, Any]:
    # The text goes in metadata, not in Chroma's `documents`: documents get a trigram full-text
    # index we never query, which made chunk writes three times slower.
    return chroma_meta(
        text=c.text,
        article_id=c.article_id,
        version=c.version,
        index=c.index,
        start=c.start,
        end=c.end,
        section=c.section,
        title=c.title,
        source=article.source,
        published=article.published,
        sentences=json.dumps(c.sentences),
        tags=json.dumps([[t.paragraph, int(t.lede), t.role, t.speaker, t.phrase] for t in c.tags]),
    )


def article_meta(article: Article, version: str, chunk_count: int) -> dict[str, Any]:
    return chroma_meta(
        title=article.title,
        version=version,
        chunk_count=chunk_count,
        source=article.source,
        author=article.author,
        url=article.url,
        published=article.published,
        origin=article.origin,
        sections=json.dumps([[s.heading, s.start, s.end] for s in article.sections]),
    )


def article_record(article_id: str, meta: dict[str, Any], body: str | None) -> ArticleRecord:
    sections = tuple(Section(h, s, e) for h, s, e in json.loads(meta.get("sections", "[]")))
    return ArticleRecord(
        id=article_id,
        title=meta["title"],
        version=meta["version"],
        chunk_count=int(meta["chunk_count"]),
        source=meta.get("source"),
        author=meta.get("author"),
        url=meta.get("url"),
        published=meta.get("published"),
        origin=meta.get("origin", ""),
        body=body,
        sections=sections,
    )


def stored_chunk(chunk_id: str, meta: dict[str, Any]) -> StoredChunk:
    chunk = Chunk(
        id=chunk_id,
        article_id=meta["article_id"],
        version=meta["version"],
        index=int(meta["index"]),
        text=meta["text"],
        start=int(meta["start"]),
        end=int(meta["end"]),
        section=meta.get("section"),
        title=meta["title"],
        sentences=tuple((int(a), int(b)) for a, b in json.loads(meta.get("sentences", "[]"))),
        tags=tuple(
            SentenceTag(int(t[0]), bool(t[1]), *t[2:]) for t in json.loads(meta.get("tags", "[]"))
        ),
    )
    return StoredChunk(chunk, meta.get("source"), meta.get("published"))

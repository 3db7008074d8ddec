"""What the store holds and returns, and its translation to and from Chroma metadata."""

from __future__ import annotations

import hashlib
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
    partial: bool = False  # a feed item's summary, not the full article
    item_version: int | None = None  # the wire's own version number (ninjs, NewsML-G2)
    pubstatus: str | None = None  # usable; withheld and canceled records are tombstones
    story_group: str | None = None  # syndicated copies share one
    located: str | None = None
    furniture: tuple[tuple[int, int, str], ...] = ()  # (start, end, role): index/news/furniture.py


@dataclass(frozen=True)
class StoredChunk:
    chunk: Chunk
    source: str | None
    published: int | None
    story_group: str | None = None


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
    signature: str | None = None  # MinHash of the body (index/news/minhash.py), for story groups
    facts: str | None = None  # its facts in their contexts (index/news/facts.py), for story groups

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
        entities=json.dumps(c.entities) if c.entities else None,
        story_group=article.story_group,
        text_key=text_key(c),
        tokens=c.tokens,
        # "" (no relative dates) is not stored: `tokens` says the record has both
        date_notes=c.date_notes or None,
    )


def text_key(c: Chunk) -> str:
    """Chunks with equal keys have equal text under the same subhead: their vectors are reused
    rather than embedded again (syndicated copies). The vector keeps the first copy's title."""
    return hashlib.sha1(f"{c.section or ''}\x00{c.text}".encode()).hexdigest()[:20]


def article_meta(
    article: Article,
    version: str,
    chunk_count: int,
    signature: str | None = None,
    facts: str | None = None,
) -> dict[str, Any]:
    return chroma_meta(
        partial=True if article.partial else None,
        item_version=article.item_version,
        pubstatus=article.pubstatus,
        story_group=article.story_group,
        located=article.located,
        minhash=signature,
        facts=facts,
        title=article.title,
        version=version,
        chunk_count=chunk_count,
        source=article.source,
        author=article.author,
        url=article.url,
        published=article.published,
        origin=article.origin,
        sections=json.dumps([[s.heading, s.start, s.end] for s in article.sections]),
        furniture=json.dumps([list(f) for f in article.furniture]) if article.furniture else None,
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
        partial=bool(meta.get("partial", False)),
        item_version=meta.get("item_version"),
        pubstatus=meta.get("pubstatus"),
        story_group=meta.get("story_group"),
        located=meta.get("located"),
        furniture=tuple(
            (int(a), int(b), str(role)) for a, b, role in json.loads(meta.get("furniture", "[]"))
        ),
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
        entities=tuple(
            (int(a), int(b), str(label)) for a, b, label in json.loads(meta.get("entities", "[]"))
        ),
        tokens=int(meta["tokens"]) if "tokens" in meta else None,
        date_notes=meta.get("date_notes", "") if "tokens" in meta else None,
    )
    return StoredChunk(chunk, meta.get("source"), meta.get("published"), meta.get("story_group"))

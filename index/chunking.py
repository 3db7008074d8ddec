"""Section-aware, sentence-respecting chunking that keeps exact offsets into the article body.

Pure functions: token counting is passed in, so tests and callers choose the tokenizer.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from index.news.dates import date_notes
from index.news.entities import find_entities, prose_pieces
from index.news.furniture import split_furniture
from index.news.structure import STRUCTURE_VERSION, tag_sentences
from index.sentences import sentence_splitter as sentence_splitter  # loaded up front by ingest
from index.sentences import split_sentences
from index.types import Article, Chunk, Section, within

TokenCounter = Callable[[str], int]
Span = tuple[int, int]
# What a stored chunk holds besides its text and structure; a change re-ingests every article.
CHUNK_RECORD = "c2"  # c2: the text's tokens and its relative dates resolved (Chunk.tokens)


@dataclass(frozen=True)
class ChunkingConfig:
    max_tokens: int = 200  # passage text; title and heading are added on top, under the model's 256
    overlap_tokens: int = 40
    entities: bool = False  # named entities of every prose sentence (index/news/entities.py)

    @property
    def key(self) -> str:
        return f"{self.max_tokens}/{self.overlap_tokens}" + (
            "" if self.entities else "/no-entities"
        )


def article_version(article: Article, config: ChunkingConfig, embedder_name: str = "") -> str:
    """Changes whenever anything that ends up in the index would change."""
    parts = [
        article.title,
        article.body,
        article.source,
        article.author,
        article.url,
        article.published,
        [(s.heading, s.start, s.end) for s in article.sections],
        config.key,
        embedder_name,
        STRUCTURE_VERSION,
        CHUNK_RECORD,
    ]
    if article.item_version is not None or article.pubstatus not in (None, "usable"):
        parts.append((article.item_version, article.pubstatus))  # a wire item's status counts
    if article.partial:
        parts.append("partial")
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:12]


def _trim(body: str, start: int, end: int) -> Span | None:
    segment = body[start:end]
    stripped = segment.strip()
    if not stripped:
        return None
    lead = len(segment) - len(segment.lstrip())
    return start + lead, start + lead + len(stripped)


def sentence_spans(
    body: str, start: int, end: int, split: Callable[[str], list[Span]] = split_sentences
) -> list[Span]:
    """Sentences of body[start:end]: lines first (a paragraph break always ends a sentence)."""
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", body[start:end]):
        line_start = start + line.start()
        line_spans = split(line.group()) or [(0, len(line.group()))]
        for a, b in line_spans:
            if trimmed := _trim(body, line_start + a, line_start + b):
                spans.append(trimmed)
    return spans


def _split_long(body: str, span: Span, count: TokenCounter, limit: int) -> Iterator[Span]:
    """Break a sentence longer than `limit` tokens at whitespace (or anywhere, if it has none)."""
    start, end = span
    while start < end:
        lo, hi = start + 1, end  # the longest prefix that fits, by binary search on characters
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if count(body[start:mid]) <= limit else (lo, mid - 1)
        cut = lo
        if cut < end and (space := body.rfind(" ", start + 1, cut + 1)) > start:
            cut = space
        if trimmed := _trim(body, start, cut):
            yield trimmed
        start = cut
        while start < end and body[start].isspace():
            start += 1


def pack_sentences(
    sentences: list[Span], sizes: list[int], max_tokens: int, overlap_tokens: int
) -> list[tuple[int, int]]:
    """Group consecutive sentences into windows [first, last] of at most `max_tokens`.

    Each window after the first repeats the trailing sentences of the previous one, up to
    `overlap_tokens`, but always advances by at least one sentence.
    """
    windows: list[tuple[int, int]] = []
    first = 0
    while first < len(sentences):
        last, total = first, sizes[first]
        while last + 1 < len(sentences) and total + sizes[last + 1] <= max_tokens:
            last += 1
            total += sizes[last]
        windows.append((first, last))
        if last == len(sentences) - 1:
            break
        nxt, carried = last + 1, 0
        while nxt - 1 > first and carried + sizes[nxt - 1] <= overlap_tokens:
            nxt -= 1
            carried += sizes[nxt]
        first = nxt
    return windows


@functools.lru_cache(maxsize=32)
def page_layout(
    body: str, sections: tuple[Section, ...]
) -> tuple[tuple[tuple[Span | None, ...], ...], tuple[tuple[int, int, str], ...]]:
    """Per section, its sentences in body order, each kept as prose (a dateline prefix cut off) or
    None where the page has furniture (index/news/furniture.py); and the furniture with its roles.
    Cached: chunking and the article record both ask for it."""
    per_section = [sentence_spans(body, s.start, s.end) for s in sections]
    every = [span for spans in per_section for span in spans]
    kept, furniture = split_furniture(body, every)
    laid: list[tuple[Span | None, ...]] = []
    first = 0
    for spans in per_section:
        laid.append(tuple(kept[first : first + len(spans)]))
        first += len(spans)
    return tuple(laid), tuple(furniture)


def article_sections(article: Article) -> tuple[Section, ...]:
    return article.sections or (Section(None, 0, len(article.body)),)


def page_furniture(article: Article) -> tuple[tuple[int, int, str], ...]:
    """(start, end, role) of every byline, dateline, credit, caption, embedded post, promo, stamp
    and copyright line of the article's body."""
    return page_layout(article.body, article_sections(article))[1]


def _runs(
    body: str, laid: tuple[Span | None, ...], count: TokenCounter, limit: int
) -> list[tuple[list[Span], list[int]]]:
    """The section's prose sentences in runs that furniture interrupts (a chunk never spans an
    embedded post or a promo), long sentences broken to fit `limit` tokens."""
    runs: list[tuple[list[Span], list[int]]] = [([], [])]
    for span in laid:
        if span is None:
            if runs[-1][0]:
                runs.append(([], []))
            continue
        spans, sizes = runs[-1]
        size = count(body[span[0] : span[1]])  # each sentence is counted once
        if size <= limit:
            spans.append(span)
            sizes.append(size)
            continue
        for piece in _split_long(body, span, count, limit):
            spans.append(piece)
            sizes.append(count(body[piece[0] : piece[1]]))
    return [run for run in runs if run[0]]


def chunk_id(article_id: str, version: str, index: int) -> str:
    return f"{article_id}@{version}#{index}"


def article_of(chunk_id: str) -> str:
    """The article id of a chunk id (the version, after the last "@", is a hash)."""
    return chunk_id.rsplit("@", 1)[0]


def chunk_article(
    article: Article, count: TokenCounter, config: ChunkingConfig, embedder_name: str = ""
) -> list[Chunk]:
    version = article_version(article, config, embedder_name)
    chunks: list[Chunk] = []
    sections = article_sections(article)
    layout, _ = page_layout(article.body, sections)
    per_section = [_runs(article.body, laid, count, config.max_tokens) for laid in layout]
    # News structure of every prose sentence, in body order (speakers carry across sections).
    every_span = [span for runs in per_section for spans, _ in runs for span in spans]
    tags = dict(zip(every_span, tag_sentences(article.body, every_span, sections), strict=True))
    entities = (
        find_entities(article.body, prose_pieces(article.body, every_span))
        if config.entities
        else ()
    )
    for section, runs in zip(sections, per_section, strict=True):
        for spans, sizes in runs:
            for first, last in pack_sentences(
                spans, sizes, config.max_tokens, config.overlap_tokens
            ):
                start, end = spans[first][0], spans[last][1]
                text = article.body[start:end]
                index = len(chunks)
                chunks.append(
                    Chunk(
                        id=chunk_id(article.id, version, index),
                        article_id=article.id,
                        version=version,
                        index=index,
                        text=text,
                        start=start,
                        end=end,
                        section=section.heading,
                        title=article.title,
                        sentences=tuple(spans[first : last + 1]),
                        tags=tuple(tags[span] for span in spans[first : last + 1]),
                        entities=within(entities, start, end),
                        tokens=count(text),
                        date_notes=date_notes(text, article.published) or "",
                    )
                )
    return chunks


def sentences_of(chunk_text: str, offset: int = 0) -> list[Span]:
    """Sentence spans inside a stored passage, shifted by `offset` (the passage's body start)."""
    return [(a + offset, b + offset) for a, b in sentence_spans(chunk_text, 0, len(chunk_text))]

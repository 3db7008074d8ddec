"""The types that cross the boundary of `index/`: an article and one chunk of it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A span of an article body under one heading (`heading` is None before the first one)."""

    heading: str | None
    start: int
    end: int


@dataclass(frozen=True)
class SentenceTag:
    """News structure of one sentence, computed at ingest (index/news/structure.py)."""

    paragraph: int  # 0-based paragraph of the body (heading lines not counted)
    lede: bool  # in the first paragraph: news puts what happened first
    role: str = ""  # "quote" | "statement" | "attributed" | "" (index/news/attribution.py)
    speaker: str | None = None  # who says it, pronouns resolved: "Khalifa", "the Kremlin"
    phrase: str | None = None  # the speaker with their role: "union leader Anja de Vries"


def within(
    entities: tuple[tuple[int, int, str], ...], start: int, end: int
) -> tuple[tuple[int, int, str], ...]:
    """The (start, end, label) entities that lie inside [start, end)."""
    return tuple(e for e in entities if start <= e[0] and e[1] <= end)


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    body: str
    source: str | None = None
    author: str | None = None
    url: str | None = None
    published: int | None = None  # yyyymmdd as an integer, so Chroma range filters work
    sections: tuple[Section, ...] = field(default=())
    origin: str = ""  # file (and line) it was loaded from, for messages
    # Newsroom formats (index/formats/): a feed item with only its summary, the wire's own item
    # version (a lower one arriving late is ignored), its publication status (usable, withheld,
    # canceled), and the story group of syndicated copies (set at ingest).
    partial: bool = False
    item_version: int | None = None
    pubstatus: str | None = None
    story_group: str | None = None
    located: str | None = None  # the wire's dateline place (ninjs `located`, NewsML-G2 `located`)
    # Bylines, datelines, credits, captions, embedded posts, promos, stamps and copyright lines of
    # the body as (start, end, role), set at ingest (index/news/furniture.py): never in a chunk.
    furniture: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A passage of an article body: `article.body[start:end] == text` always holds."""

    id: str
    article_id: str
    version: str  # hash of the article and chunking settings; ids of a new version never collide
    index: int
    text: str
    start: int
    end: int
    section: str | None
    title: str
    sentences: tuple[tuple[int, int], ...] = ()  # body offsets of the sentences in this chunk
    tags: tuple[SentenceTag, ...] = ()  # one per sentence when the store has them (else empty)
    # Named entities of the passage as (start, end, label), body offsets like `sentences`, OntoNotes
    # labels ("PERSON", "ORG", "GPE", "DATE", ...): index/news/entities.py. Empty when ingest ran
    # without them (ChunkingConfig.entities) or the store predates them.
    entities: tuple[tuple[int, int, str], ...] = ()
    # Worked out at ingest so that framing a passage for the LLM's prompt computes nothing per
    # question: the text's tokens (the embedder's tokenizer) and its relative dates resolved
    # against publication (index/news/dates.py `date_notes`; "" when it has none). None: a store
    # older than them (the prompt works them out).
    tokens: int | None = None
    date_notes: str | None = None

    def entities_in(self, start: int, end: int) -> tuple[tuple[int, int, str], ...]:
        """The entities inside body[start:end] (a sentence of this passage, say)."""
        return within(self.entities, start, end)

    @property
    def indexed_text(self) -> str:
        """What is embedded and indexed for BM25: the heading travels with the passage."""
        return f"{self.heading_prefix}{self.text}"

    @property
    def heading_prefix(self) -> str:
        return f"{self.title}\n{self.section}\n" if self.section else f"{self.title}\n"

    def sentence_spans_in_indexed_text(self) -> list[tuple[int, int]]:
        shift = len(self.heading_prefix) - self.start
        return [(a + shift, b + shift) for a, b in self.sentences]

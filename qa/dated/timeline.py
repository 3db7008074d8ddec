"""A story's timeline: its dated events across its articles, oldest first, grouped by day.

Pure. An event is a sentence that says when something happened: its first day-granular date within a
month before or a week after its article's publication (index/news/dates.py `event_day`), cited with its
exact span of the article body. An article none of whose sentences carries such a date contributes its
lede, dated by publication. The same event reported by several articles (identical or nearly identical
sentences on the same day, as syndicated copies are) is shown once, cited to the oldest article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date

from index.chunking import sentences_of
from index.news.dates import event_day, iso_of, to_date
from index.types import Chunk
from qa.types import Passage

_WORD = re.compile(r"[a-z0-9]+")
NEAR_DUPLICATE = 0.8  # word-set Jaccard at or above which two same-day sentences are one event


@dataclass(frozen=True)
class Event:
    date: str  # the day it happened, ISO
    article_id: str
    title: str
    published: str | None  # the article's date, ISO
    quote: str  # the sentence: article body[start:end]
    start: int
    end: int
    mention: str | None  # the words that date it ("on Wednesday"); None when dated by publication
    ref: int = 0


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def _sentences(
    chunks: Iterable[tuple[Chunk, int | None]],
) -> list[tuple[Chunk, int | None, int, int]]:
    """Every sentence once (chunks overlap), in article and body order."""
    seen: set[tuple[str, int, int]] = set()
    out: list[tuple[Chunk, int | None, int, int]] = []
    for chunk, published in sorted(chunks, key=lambda c: (c[0].article_id, c[0].start)):
        for start, end in chunk.sentences or sentences_of(chunk.text, chunk.start):
            if (chunk.article_id, start, end) not in seen:
                seen.add((chunk.article_id, start, end))
                out.append((chunk, published, start, end))
    return out


def events_of(chunks: Iterable[tuple[Chunk, int | None]]) -> list[Event]:
    """The dated events of the articles these chunks belong to, oldest first, duplicates once."""
    found: list[Event] = []
    ledes: dict[str, Event] = {}
    dated_articles: set[str] = set()
    for chunk, published, start, end in _sentences(chunks):
        text = chunk.text[start - chunk.start : end - chunk.start]
        if text.rstrip("\"'’” ").endswith("?"):
            continue
        resolved = event_day(text, published)
        if resolved is not None:
            day, mention = resolved
            found.append(_event(chunk, published, start, end, text, day, mention))
            dated_articles.add(chunk.article_id)
        elif chunk.article_id not in ledes and (day := to_date(published)) is not None:
            ledes[chunk.article_id] = _event(chunk, published, start, end, text, day, None)
    found += [lede for article, lede in ledes.items() if article not in dated_articles]
    found.sort(key=lambda e: (e.date, e.published or "", e.article_id, e.start))
    return [Event(**{**asdict(e), "ref": n}) for n, e in enumerate(_deduplicated(found), start=1)]


def _event(chunk: Chunk, published: int | None, start: int, end: int, text: str, day: date,
           mention: str | None) -> Event:  # fmt: skip
    return Event(
        day.isoformat(), chunk.article_id, chunk.title, iso_of(published), text, start, end, mention
    )


def _deduplicated(events: list[Event]) -> list[Event]:
    kept: list[Event] = []
    by_day: dict[str, list[frozenset[str]]] = {}
    for event in events:
        words = _words(event.quote)
        same_day = by_day.setdefault(event.date, [])
        if any(_jaccard(words, other) >= NEAR_DUPLICATE for other in same_day):
            continue  # the oldest report of it is kept (events are sorted by publication)
        same_day.append(words)
        kept.append(event)
    return kept


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def grouped_by_day(events: list[Event]) -> list[dict[str, object]]:
    """[{date, events: [...]}, ...] oldest day first: the JSON of /v1/timeline."""
    days: dict[str, list[dict[str, object]]] = {}
    for event in events:
        days.setdefault(event.date, []).append(asdict(event))
    return [{"date": day, "events": items} for day, items in days.items()]


STORY_PASSAGES = 20  # retrieved for a timeline query
STORY_RATIO = 0.6  # an article joins the story when its best passage scores this share of the best
MAX_STORY_ARTICLES = 10


def story_articles(passages: list[Passage]) -> list[str]:
    """The articles a timeline query is about: those whose best passage scores near the best one."""
    best: dict[str, float] = {}
    for passage in passages:
        article = passage.chunk.article_id
        best[article] = max(best.get(article, float("-inf")), passage.score)
    if not best:
        return []
    top = max(best.values())
    ranked = sorted(best, key=lambda a: -best[a])
    return [a for a in ranked if best[a] >= STORY_RATIO * top][:MAX_STORY_ARTICLES]

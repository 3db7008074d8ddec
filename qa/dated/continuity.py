"""A story is its articles: the follow-ups, updates and corrections published after it.

Story groups (qa/retrieval/story_groups.py) are copies of one text; this is continuity: a later article
about the same event ("monitor raises death toll to 412" after "rebels launch offensive on Aleppo").
Pure; the caller retrieves. A later article B continues the story when the two openings (title and
lede) find each other, with no threshold to fit:
1. retrieving with the story's opening (`story_query`) on or after its first day finds B among its
   passages, B is not the story's own, is dated on or after its oldest article, and names one of the
   story's entities: a gazetteer entity (index/news/aliases.py: "the Kremlin" is Russia) or a
   capitalised name of its titles and ledes ("Aleppo", "Hayat Tahrir al-Sham") (`candidates`);
2. searching (BM25) with B's own opening up to B's day, the best article other than B is one of the
   story's, or a copy of one (same story group) (`continues`). Candidates are checked oldest first, and each one kept joins the story, so a chain
   of updates (C follows B, which follows A) is followed.
Both searches are BM25's (no embedding: a follow-up repeats the story's names and words). `FollowUps`
does the searching through the retriever (qa/retrieval/retriever.py) and remembers each story's
follow-ups until the index changes.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from index.news.aliases import entity_keys
from qa.dated.timeline import MAX_STORY_ARTICLES, STORY_PASSAGES
from qa.types import Filters, Passage
from qa.words import NOT_NAMES

# A capitalised word: what a title or lede names (sentence openers and calendar words are dropped
# through NOT_NAMES).
_NAME = re.compile(r"\b[A-Z][\w'’-]{2,}")
STORY_QUERY_CHARS = 600  # an opening: enough words for both retrievers in one short query
REMEMBERED = 256  # stories whose follow-ups are kept until the index changes


def opening(title: str, lede: str) -> str:
    """An article's opening as a query: its title and the start of its lede."""
    return f"{title}. {lede}"[:STORY_QUERY_CHARS]


def story_query(ledes: Sequence[tuple[str, str]]) -> str:
    """The text that finds a story's follow-ups: its (title, lede) pairs, oldest article first."""
    return " ".join(opening(t, lede) for t, lede in ledes)[:STORY_QUERY_CHARS]


def _names(text: str) -> set[str]:
    words = (re.sub(r"['’]s$", "", w).lower() for w in _NAME.findall(text))
    return {w for w in words if w not in NOT_NAMES}


def story_entities(texts: Sequence[str]) -> tuple[set[str], set[str]]:
    """(gazetteer keys, lower-cased capitalised names) the story's titles and ledes name."""
    keys: set[str] = set()
    names: set[str] = set()
    for text in texts:
        keys |= entity_keys(text)
        names |= _names(text)
    return keys, names


def _names_one(text: str, keys: set[str], names: set[str]) -> bool:
    return bool(keys & entity_keys(text)) or bool(names & _names(text))


def candidates(
    story: Sequence[str],
    published: Mapping[str, int | None],
    found: Sequence[Passage],
    entities: tuple[set[str], set[str]],
) -> list[str]:
    """The articles among the passages `found` for the story's opening that may continue it (ids,
    oldest first). `published`: the story's own articles' dates (yyyymmdd or None)."""
    dates = [d for a in story if (d := published.get(a))]
    if not found or not dates:
        return []  # an undated story has no "later"
    first = min(dates)
    dated: dict[str, int] = {}
    text: dict[str, list[str]] = {}
    for passage in found:
        article = passage.chunk.article_id
        text.setdefault(article, [passage.chunk.title]).append(passage.text)
        if passage.published is not None:
            dated[article] = passage.published
    keys, names = entities
    later = [
        a
        for a, day in dated.items()
        if a not in story and day >= first and _names_one(" ".join(text[a]), keys, names)
    ]
    later.sort(key=lambda a: (dated[a], a))
    return later[:MAX_STORY_ARTICLES]


def continues(candidate: str, story: Collection[str], ranked: Sequence[str]) -> bool:
    """Whether the best article other than `candidate` among those `ranked` for its own opening
    (ids, best first; or their story groups, so that a copy of the story's article counts as it)
    is one of the story's."""
    best = next((a for a in ranked if a != candidate), None)
    return best is not None and best in story


class Searcher(Protocol):
    """What finding follow-ups needs of the retriever (qa/retrieval/retriever.py)."""

    def story(self, article_ids: Sequence[str], vectors: bool = True) -> list[Passage]: ...

    def bm25_passages(self, text: str, filters: Filters, n: int) -> list[Passage]: ...

    def bm25_articles(self, text: str, filters: Filters, n: int) -> list[str]: ...

    def story_group(self, article_id: str) -> str: ...

    def index_token(self) -> object: ...


class FollowUps:
    """`follow_ups(article_ids, filters)`: the later articles of the story these articles tell,
    oldest first, within `filters`; remembered until the index changes (every turn of a chat about
    one story asks the same)."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = searcher
        self._known: OrderedDict[tuple[object, ...], list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(
        self,
        article_ids: Sequence[str],
        filters: Filters | None = None,
        story: Sequence[Passage] | None = None,
    ) -> list[str]:
        key = (tuple(article_ids), filters, id(self._searcher.index_token()))
        with self._lock:
            if (hit := self._known.get(key)) is not None:
                self._known.move_to_end(key)
                return list(hit)
        later = self._find(article_ids, replace(filters or Filters(), article_ids=()), story)
        with self._lock:
            self._known[key] = later
            while len(self._known) > REMEMBERED:
                self._known.popitem(last=False)
        return list(later)

    def _find(
        self, article_ids: Sequence[str], filters: Filters, story: Sequence[Passage] | None
    ) -> list[str]:
        search = self._searcher
        story = search.story(article_ids, vectors=False) if story is None else story
        ledes = [(p.chunk.title, p.text) for p in story if p.chunk.index == 0]
        dated = {p.chunk.article_id: p.published for p in story}
        first = min((d for d in dated.values() if d), default=None)
        if not ledes or first is None:
            return []
        since = replace(filters, published_from=max(first, filters.published_from or 0))
        found = search.bm25_passages(story_query(ledes), since, STORY_PASSAGES)
        entities = story_entities([text for lede in ledes for text in lede])
        members, later = {search.story_group(a) for a in article_ids}, []
        for candidate in candidates(article_ids, dated, found, entities):
            own = search.story([candidate], vectors=False)
            if not own or own[0].published is None:
                continue
            until = replace(filters, published_from=None, published_to=own[0].published)
            back = search.bm25_articles(opening(own[0].chunk.title, own[0].text), until,
                                        STORY_PASSAGES)  # fmt: skip
            group = search.story_group(candidate)
            if continues(group, members, [search.story_group(a) for a in back]):
                members.add(group)
                later.append(candidate)
        return later

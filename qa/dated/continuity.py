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
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from index.news.aliases import entity_keys
from qa.dated.timeline import MAX_STORY_ARTICLES
from qa.types import Passage
from qa.words import NOT_NAMES

# A capitalised word: what a title or lede names (sentence openers and calendar words are dropped
# through NOT_NAMES).
_NAME = re.compile(r"\b[A-Z][\w'’-]{2,}")
STORY_QUERY_CHARS = 600  # an opening: enough words for both retrievers in one short query


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

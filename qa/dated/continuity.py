"""A story is its articles: the follow-ups, updates and corrections published after it.

Story groups (qa/retrieval/story_groups.py) are copies of one text; this is continuity: a later article
about the same event ("death toll rises to 412" after "rebels launch offensive on Aleppo"). Pure: the
caller retrieves with the story's own opening (its titles and ledes, `story_query`), bounded to
articles published on or after the story's first day, and `follow_ups` keeps the articles that
- are not the story's own and are dated on or after its oldest article;
- match that opening nearly as well as the story itself does: their best passage scores at least
  `STORY_RATIO` of the best (the rule a timeline query uses to gather a story's articles,
  qa/dated/timeline.py);
- name one of the story's entities: a gazetteer entity (index/news/aliases.py: "the Kremlin" is
  Russia) or a capitalised name of its titles ("Aleppo", "Hayat Tahrir al-Sham").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from index.news.aliases import entity_keys
from qa.dated.timeline import MAX_STORY_ARTICLES, STORY_RATIO
from qa.types import Passage

# A capitalised word that is not the first of its sentence: what a title names.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]{2,}")
STORY_QUERY_CHARS = 600  # the story's opening: enough words for both retrievers, one embedding


def story_query(ledes: Sequence[tuple[str, str]]) -> str:
    """The text that finds a story's follow-ups: its (title, lede) pairs, oldest article first."""
    return " ".join(f"{title}. {lede}" for title, lede in ledes)[:STORY_QUERY_CHARS]


def story_entities(texts: Sequence[str]) -> tuple[set[str], set[str]]:
    """(gazetteer keys, lower-cased capitalised names) the story's titles and ledes name."""
    keys: set[str] = set()
    names: set[str] = set()
    for text in texts:
        keys |= entity_keys(text)
        names |= {re.sub(r"['’]s$", "", n).lower() for n in _NAME.findall(text)}
    return keys, names


def _names_one(text: str, keys: set[str], names: set[str]) -> bool:
    if keys & entity_keys(text):
        return True
    words = {re.sub(r"['’]s$", "", w).lower() for w in _NAME.findall(text)}
    return bool(names & words)


def follow_ups(
    story: Sequence[str],
    published: Mapping[str, int | None],
    found: Sequence[Passage],
    entities: tuple[set[str], set[str]],
) -> list[str]:
    """The later articles of the story (ids, oldest first) among the passages `found` for its
    opening. `published`: the story's own articles' dates (yyyymmdd or None)."""
    dates = [d for a in story if (d := published.get(a))]
    if not found or not dates:
        return []  # an undated story has no "later"
    first = min(dates)
    best: dict[str, Passage] = {}
    text: dict[str, list[str]] = {}
    for passage in found:
        article = passage.chunk.article_id
        text.setdefault(article, [passage.chunk.title]).append(passage.text)
        if article not in best or passage.score > best[article].score:
            best[article] = passage
    top = max(p.score for p in best.values())
    keys, names = entities
    later = [
        a
        for a, p in best.items()
        if a not in story
        and p.published is not None
        and p.published >= first
        and p.score >= STORY_RATIO * top
        and _names_one(" ".join(text[a]), keys, names)
    ]
    later.sort(key=lambda a: (best[a].published or 0, a))
    return later[:MAX_STORY_ARTICLES]

"""Which story a question is about: the articles the answer is focused on, and why.

"Why now?" means nothing alone; after "What's going on with the US pulling its troops out of Syria?"
it means that story. The conversation is plain text ([{role, content}]), so the story is found the
way a reader would find it: retrieve with the earlier turns (the user's questions and our answers,
which quote the story's sentences) and keep the article(s) that clearly dominate what comes back.
Filters naming articles are a focus of their own; so is an index (or a filter) holding one story.
Our own earlier answers are quotations: when an article found holds, word for word, a sentence of
the latest assistant turn, the conversation is about that article, whatever the share of the other
articles of the same story (a week's pages on one earthquake all match "the earthquake in Turkey").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from qa.types import Focus, Passage, Turn

Retrieve = Callable[[str, int], list[Passage]]  # text, top_k -> passages (filters bound)

STORY_PASSAGES = 10  # passages retrieved for the earlier turns
DOMINANT_SHARE = 0.5  # the top article's share of the retrieved score mass
RUNNER_UP_RATIO = 0.8  # a second article joins the focus only when it is nearly as strong
HISTORY_CHARS = 1200
_CITATION = re.compile(r"\[\d+\]")
_SOURCES = re.compile(r"\n\s*Sources?:.*", re.DOTALL)
# A quoted sentence this long is the article's own wording, not a phrase any page could share.
MIN_QUOTE_CHARS = 60
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'’”]))\s+(?=[\"'‘“A-Z0-9])")


def story_text(history: Sequence[Turn]) -> str:
    """The earlier turns as one retrieval query, the most recent last (and kept when cut)."""
    parts = []
    for turn in history:
        if turn.role not in ("user", "assistant") or not turn.content.strip():
            continue
        text = _CITATION.sub(" ", _SOURCES.sub("", turn.content))
        parts.append(" ".join(text.split()))
    return " ".join(parts)[-HISTORY_CHARS:]


def dominant(passages: Sequence[Passage]) -> tuple[str, ...]:
    """The article(s) holding most of the retrieved score mass, or () when none clearly does."""
    mass: dict[str, float] = {}
    for p in passages:
        mass[p.chunk.article_id] = mass.get(p.chunk.article_id, 0.0) + max(p.score, 0.0)
    total = sum(mass.values())
    if not mass or total <= 0:
        return ()
    ranked = sorted(mass.items(), key=lambda kv: -kv[1])
    top_id, top = ranked[0]
    if top / total < DOMINANT_SHARE:
        return ()
    return (top_id, *(i for i, m in ranked[1:3] if m >= RUNNER_UP_RATIO * top))


def _titles(passages: Sequence[Passage], ids: Sequence[str]) -> str:
    titles = {p.chunk.article_id: p.chunk.title for p in passages}
    return "; ".join(f'"{titles[i]}"' for i in ids if i in titles)


def _plain(text: str) -> str:
    return " ".join(_CITATION.sub(" ", _SOURCES.sub("", text)).split())


def quoted(history: Sequence[Turn], passages: Sequence[Passage]) -> tuple[str, ...]:
    """The articles (up to three, in rank order) whose passages hold, word for word, a long
    sentence of the latest assistant turn: the article(s) our earlier answer quoted."""
    latest = next(
        (t for t in reversed(history) if t.role == "assistant" and t.content.strip()), None
    )
    if latest is None:
        return ()
    sentences = [
        s for s in _SENTENCE_END.split(_plain(latest.content)) if len(s) >= MIN_QUOTE_CHARS
    ]
    if not sentences:
        return ()
    found: list[str] = []
    for passage in passages:
        text = " ".join(passage.chunk.text.split())
        article = passage.chunk.article_id
        if article not in found and any(s in text for s in sentences):
            found.append(article)
    return tuple(found[:3])


def from_history(history: Sequence[Turn], retrieve: Retrieve) -> Focus | None:
    text = story_text(history)
    if not text:
        return None
    passages = retrieve(text, STORY_PASSAGES)
    quoting = quoted(history, passages)
    if quoting:
        return Focus(quoting, f"the conversation quotes {_titles(passages, quoting)}")
    ids = dominant(passages)
    if ids:
        return Focus(ids, f"the conversation so far is about {_titles(passages, ids)}")
    if not passages:
        return None
    # No article holds most of the mass (a story told over several articles): the earlier turns
    # still name a story, and the article that matches them best is the best reading of it.
    best = (passages[0].chunk.article_id,)
    return Focus(best, f"the conversation so far matches {_titles(passages, best)} best")


def from_filters(article_ids: Sequence[str]) -> Focus | None:
    if not article_ids:
        return None
    return Focus(tuple(article_ids), "the request names these articles")


def single_story(passages: Sequence[Passage]) -> Focus | None:
    """Every passage retrieved for the question comes from one article, or from syndicated copies
    of one story (a copy's passage stating what the original does not is cited as the copy's):
    that is the story."""
    if len({p.story_group or p.chunk.article_id for p in passages}) != 1:
        return None
    ids = tuple(dict.fromkeys(p.chunk.article_id for p in passages))
    return Focus(ids, f"every passage found is from {_titles(passages, ids)}")

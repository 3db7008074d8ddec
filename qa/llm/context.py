"""What the model is given: passages chosen to fill a token budget, not a fixed count.

Pure functions; tokens are counted with the chunker's tokenizer (passed in), over each passage as the
prompt frames it (qa/llm/prompt.py `format_passage`: title, date, source, lede and speakers lines).
A passage's text tokens and its relative dates are stored at ingest (index/chunking.py), so sizing
it tokenizes only its frame (qa/llm/prompt.py `passage_tokens`); with an older store, counting a
passage (framing it, resolving its dates, tokenizing) costs about a millisecond, and a scope of ten
web pages holds hundreds: only the passages that may go in are counted. A passage's
words (whitespace-separated) are a lower bound of its tokens (a word-piece tokenizer splits a word,
never joins two), so a story whose words alone exceed the room, or a passage whose words exceed
what is left, is ruled out without counting.
- A story (the focused or scoped articles) goes in whole, in article order, when it fits. Otherwise its
  best passages for the question as many as fit, each article's lede (what happened) joining just
  before that article's best passage, and the other ledes after every ranked passage, still in
  article order, so the model reads the story as it was written. A scope of ten pages does not
  spend half the budget on ten openings before the passage that answers.
- Later articles of the same story (qa/dated/continuity.py) come after it, lede and best passages first,
  in what budget is left.
- Open questions get passages in rank order until the budget is spent (story-group copies are already
  one passage, qa/retrieval/story_groups.py), the best passage with its article's lede before it and
  the passage that follows it in the article: what story the best passage is from ("the strike"
  of its lede) and how its sentence goes on, which a ranking of passages one by one does not bring.
- When the budget must choose, the best passage is taken first, then those nearly as good
  (`NEARLY_AS_GOOD` of its score, the extractive answer's ratio for the newest articles,
  qa/extractive/recency.py) newest article first, then the rest in rank order: of several reports
  on one topic (egg prices a month apart) the newer one is not the one left out. A story's chosen
  passages are still read in article order.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field

from qa.extractive.recency import LEAD_RATIO
from qa.llm.prompt import passage_tokens
from qa.types import Passage

Count = Callable[[str], int]
# The budget's guess at one passage's size when deciding how many to retrieve for an open question:
# a chunk's text (the chunker's 200-token default) and its frame (title, date, source lines).
FRAME_TOKENS = 40
NEARLY_AS_GOOD = LEAD_RATIO  # of the best passage's score (module docstring)


@dataclass(frozen=True)
class Budget:
    tokens: int  # for the passages of the answer prompt
    count: Count
    # chunk id -> tokens, kept by the caller across questions (a chunk id is one version of one
    # article, so a size never goes stale): a story's passages are counted once, not every turn
    known: MutableMapping[str, int] = field(default_factory=dict)

    def size(self, passage: Passage) -> int:
        size = self.known.get(passage.chunk.id)
        if size is None:
            size = self.known[passage.chunk.id] = passage_tokens(passage, self.count)
        return size

    def open_passages(self, chunk_tokens: int, cap: int) -> int:
        """How many passages an open question retrieves: about what fits, at most `cap`."""
        return max(1, min(cap, self.tokens // (chunk_tokens + FRAME_TOKENS)))


def _key(passage: Passage) -> tuple[str, int]:
    return passage.chunk.article_id, passage.chunk.index


def by_rank(ranked: Sequence[Passage], budget: Budget, used: int = 0) -> list[Passage]:
    """Passages in rank order while they fit (one too long is skipped, a shorter one may still fit)."""
    chosen: list[Passage] = []
    for passage in ranked:
        if used + lower_bound(passage) > budget.tokens:
            continue
        size = budget.size(passage)
        if used + size <= budget.tokens:
            chosen.append(passage)
            used += size
    return chosen


def newest_first_among_the_best(ranked: Sequence[Passage]) -> list[Passage]:
    """The order the budget takes ranked passages in: the best, then those scoring at least
    NEARLY_AS_GOOD of it, newest article first (rank order within a day), then the others in rank
    order."""
    if not ranked:
        return []
    best, *others = ranked
    bar = best.score * NEARLY_AS_GOOD
    near = sorted((p for p in others if p.score >= bar), key=lambda p: -(p.published or 0))
    return [best, *near, *(p for p in others if p.score < bar)]


def open_context(
    ranked: Sequence[Passage], budget: Budget, around_best: Sequence[Passage] = ()
) -> list[Passage]:
    """An open question's passages: the best with `around_best` (its article's lede and the passage
    after it), in article order, then the others (`newest_first_among_the_best`) as the budget
    holds."""
    if not ranked:
        return []
    scored = {_key(p): p for p in ranked}  # a passage ranked too keeps its score and vectors
    first = {
        _key(p): scored.get(_key(p), p)
        for p in sorted([ranked[0], *around_best], key=lambda p: p.chunk.index)
    }
    chosen = by_rank(list(first.values()), budget)
    used = sum(budget.size(p) for p in chosen)
    rest = [p for p in newest_first_among_the_best(ranked) if _key(p) not in first]
    return chosen + by_rank(rest, budget, used)


def lower_bound(passage: Passage) -> int:
    """At most the passage's tokens: its text's words (see the module docstring)."""
    return len(passage.chunk.text.split())


def _fits_whole(story: Sequence[Passage], budget: Budget, room: int) -> int | None:
    """The story's tokens when it fits in `room`, else None (counting stops once it is over)."""
    if sum(lower_bound(p) for p in story) > room:
        return None
    used = 0
    for p in story:
        used += budget.size(p)
        if used > room:
            return None
    return used


def _story_part(
    story: Sequence[Passage], ranked: Sequence[Passage], budget: Budget, room: int
) -> tuple[list[Passage], int]:
    """The story's passages (whole if it fits in `room`, else the best with their ledes), in
    article order, with the question's scores where ranked, and the tokens they take."""
    if not story:
        return [], 0
    by_key = {_key(p): p for p in story}
    # the ranked passage itself where there is one: the question's score, and its sentence vectors
    by_key |= {_key(p): p for p in ranked if _key(p) in by_key}
    whole = _fits_whole(story, budget, room)
    if whole is not None:
        return [by_key[_key(p)] for p in story], whole
    lede = {}  # article -> its first chunk: the lede
    for p in story:
        lede.setdefault(p.chunk.article_id, _key(p))
    wanted: list[tuple[str, int]] = []
    for p in newest_first_among_the_best(ranked):
        if _key(p) in by_key:
            wanted += (lede[p.chunk.article_id], _key(p))
    wanted += lede.values()  # ledes of the articles no ranked passage came from, if room is left
    kept: set[tuple[str, int]] = set()
    used = 0
    for key in wanted:
        if key in kept or used + lower_bound(by_key[key]) > room:
            continue
        size = budget.size(by_key[key])
        if used + size <= room:
            kept.add(key)
            used += size
    return [by_key[_key(p)] for p in story if _key(p) in kept], used


def story_context(
    story: Sequence[Passage],
    ranked: Sequence[Passage],
    budget: Budget,
    later: Sequence[Passage] = (),
    later_ranked: Sequence[Passage] = (),
) -> list[Passage]:
    """The passages for a question about a story.

    `story`: every chunk of the story's articles, in article order (articles oldest first);
    `ranked`: the story's passages retrieved for the question, best first (their scores are kept);
    `later` / `later_ranked`: the same for the story's follow-ups, given what budget the story leaves.
    """
    chosen, used = _story_part(story, ranked, budget, budget.tokens)
    if later:
        more, _ = _story_part(later, later_ranked, budget, budget.tokens - used)
        chosen += more
    return chosen

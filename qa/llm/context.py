"""What the model is given: passages chosen to fill a token budget, not a fixed count.

Pure functions; tokens are counted with the chunker's tokenizer (passed in), over each passage as the
prompt frames it (qa/llm/prompt.py `format_passage`: title, date, source, lede and speakers lines).
- A story (the focused or scoped articles) goes in whole, in article order, when it fits. Otherwise its
  ledes (what happened) and its best passages for the question, as many as fit, still in article order,
  so the model reads the story as it was written.
- Later articles of the same story (qa/dated/continuity.py) come after it, lede and best passages first,
  in what budget is left.
- Open questions get passages in rank order until the budget is spent (story-group copies are already
  one passage, qa/retrieval/story_groups.py).
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field, replace

from qa.llm.prompt import format_passage
from qa.types import Passage

Count = Callable[[str], int]
# The budget's guess at one passage's size when deciding how many to retrieve for an open question:
# a chunk's text (the chunker's 200-token default) and its frame (title, date, source lines).
FRAME_TOKENS = 40


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
            size = self.known[passage.chunk.id] = self.count(format_passage(0, passage))
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
        size = budget.size(passage)
        if used + size <= budget.tokens:
            chosen.append(passage)
            used += size
    return chosen


def _story_part(
    story: Sequence[Passage], ranked: Sequence[Passage], budget: Budget, room: int
) -> tuple[list[Passage], int]:
    """The story's passages (whole if it fits in `room`, else ledes and best), in article order,
    and the tokens they take."""
    if not story:
        return [], 0
    scores = {_key(p): p.score for p in ranked}
    story = [replace(p, score=scores.get(_key(p), p.score)) for p in story]
    sizes = {_key(p): budget.size(p) for p in story}
    total = sum(sizes.values())
    if total <= room:
        return list(story), total
    by_key = {_key(p): p for p in story}
    first = {}  # article -> its first chunk: the lede
    for p in story:
        first.setdefault(p.chunk.article_id, _key(p))
    wanted = [*first.values(), *(k for k in (_key(p) for p in ranked) if k in by_key)]
    kept: set[tuple[str, int]] = set()
    used = 0
    for key in wanted:
        if key not in kept and used + sizes[key] <= room:
            kept.add(key)
            used += sizes[key]
    return [p for p in story if _key(p) in kept], used


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

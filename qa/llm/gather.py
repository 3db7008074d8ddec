"""Gathering the model's passages for one question: the retrievals, then the budget (context.py).

- A focused or scoped story (the plan's focus, qa/extractive/story.py): every chunk of its articles
  and its passages ranked for the question, then its follow-ups (qa/dated/continuity.py) the same way.
- An open question: split into one retrieval per named outlet, name or date when it needs several
  articles (by rule, qa/retrieval/decompose.py, or by the model, qa/llm/decompose.py), the rankings
  merged by article and story group, then as many passages as the budget holds; a question asked
  in one retrieval gets its best passage's lede and next passage with it (context.py `open_context`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from qa.dated.continuity import FollowUps
from qa.llm.context import Budget, by_rank, open_context, story_context
from qa.retrieval.decompose import Part, merged, parts
from qa.retrieval.retriever import Retriever, story_order
from qa.types import Filters, Focus, Passage

STORY_CHUNKS = 40  # a story's passages ranked for the question (as the extractive answer reads)
MAX_OPEN_PASSAGES = 50  # an open question's retrieval, at most (the API's top_k bound)
MAX_STORY_CHUNKS = 200  # a story's ranked passages, at most (a 128k budget holds about 500)
Split = Callable[[str, Filters, Sequence[str]], list[Part]]  # question, filters, outlets -> parts


@dataclass(frozen=True)
class Gather:
    retriever: Retriever
    budget: Budget
    chunk_tokens: int  # the chunker's passage size: how many passages a budget holds
    follow_ups: FollowUps  # a story's later articles (qa/dated/continuity.py)
    split: Split = parts  # by rule; the engine passes the model's (qa/llm/decompose.py) with an LLM

    def passages(
        self,
        question: str,
        focus: Focus | None,
        filters: Filters,
        top_k: int | None = None,
        mode: str | None = None,
        follow: bool = True,
    ) -> list[Passage]:
        """`question`: the standalone question; `filters`: the plan's (scoped to the focus);
        `top_k`: the caller's bound on an open question's passages (None: what the budget holds);
        `follow`: add the story's follow-ups (not when the request itself names the articles)."""

        def retrieve(text: str, k: int, f: Filters) -> list[Passage]:
            return self.retriever.retrieve(text, k, f, mode)

        if focus is not None:
            return self._story(question, focus, filters, retrieve, follow)
        k = top_k or self.budget.open_passages(self.chunk_tokens, MAX_OPEN_PASSAGES)
        split = self.split(question, filters, self.retriever.sources())
        if len(split) == 1:
            ranked = retrieve(question, k, filters)
            chosen = open_context(ranked, self.budget, self._around(ranked[:1]))
            return self._with_vectors(chosen[:top_k] if top_k else chosen)
        rankings = [retrieve(p.text, k, p.filters) for p in split]
        return by_rank(merged(rankings, self.retriever.story_group)[:k], self.budget)

    def _story(
        self,
        question: str,
        focus: Focus,
        filters: Filters,
        retrieve: Callable[[str, int, Filters], list[Passage]],
        follow: bool,
    ) -> list[Passage]:
        ranked = retrieve(question, self._story_chunks(), filters)
        story = self._readable(focus.article_ids, ranked)
        later_ids = self.follow_ups(focus.article_ids, filters, story) if follow else []
        if not later_ids:
            return self._with_vectors(story_context(story, ranked, self.budget))
        later_ranked = retrieve(
            question, self._story_chunks(), Filters(article_ids=tuple(later_ids))
        )
        later = self._readable(later_ids, later_ranked)
        return self._with_vectors(story_context(story, ranked, self.budget, later, later_ranked))

    def _readable(self, article_ids: Sequence[str], ranked: Sequence[Passage]) -> list[Passage]:
        """The story's passages that can go in, in story order, without sentence vectors (the
        chosen ones get theirs in `_with_vectors`): every chunk when the story may fit the budget
        whole, else only its ledes and its ranked passages: a scope of ten web pages holds
        hundreds of chunks, and reading them (a Chroma read) cost more than the rest of the
        prompt."""
        if self.retriever.story_bound(article_ids) <= self.budget.tokens:
            return self.retriever.story(article_ids, vectors=False)
        openings = self.retriever.story(article_ids, vectors=False, openings=True)
        mine = [p for p in ranked if p.chunk.article_id in article_ids]
        unique = {(p.chunk.article_id, p.chunk.index): p for p in [*openings, *mine]}
        return story_order(unique.values(), article_ids)

    def _around(self, best: Sequence[Passage]) -> list[Passage]:
        """The lede of the best passage's article and the passage after it (none for no best)."""
        if not best:
            return []
        chunk = best[0].chunk
        prefix = chunk.id.rsplit("#", 1)[0]  # "<article>@<version>", index/chunking.py `chunk_id`
        wanted = [f"{prefix}#{i}" for i in dict.fromkeys((0, chunk.index + 1)) if i != chunk.index]
        found = self.retriever.chunks(wanted)
        return [
            Passage(chunk=s.chunk, score=0.0, source=s.source, published=s.published)
            for s in (found[i] for i in wanted if i in found)
        ]

    def _story_chunks(self) -> int:
        """A story's passages ranked for the question: what the extractive answer reads, or what
        the budget holds when that is more (a 32k or 128k model)."""
        return max(STORY_CHUNKS, self.budget.open_passages(self.chunk_tokens, MAX_STORY_CHUNKS))

    def _with_vectors(self, passages: list[Passage]) -> list[Passage]:
        """The passages, each with its sentence vectors (the ranked ones have them already)."""
        missing = [p.chunk for p in passages if p.sentence_vectors is None]
        if not missing:
            return passages
        found = self.retriever.sentence_vectors(missing)
        return [
            p
            if p.sentence_vectors is not None
            else replace(p, sentence_vectors=found.get(p.chunk.id))
            for p in passages
        ]

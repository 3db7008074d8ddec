"""Answering inside a conversation: find the story, answer from it, refuse what it does not meet.

The engine hands in its retrieval and composing as callables; this module decides:
1. the focus (qa/asking/focus.py): articles named by the filters, the story the earlier turns are about,
   or the one story every passage found comes from;
2. the answer: explainer kinds from the story's structure (qa/extractive/explainer.py), other questions by the
   sentence scorer (qa/extractive/compose.py) over the story's passages (or the whole index without a focus);
3. the hard constraints (qa/asking/constraints.py): named things, years and numbers met by the cited
   evidence, and an answer of the kind asked; otherwise the refusal.
A bare "Why?" with no story anywhere gets a reply that says a story is needed (`needs: "story"`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from qa.asking.asked import Asked
from qa.asking.constraints import MAX_CONSTRAINED_WORDS, of_kind_asked, unmet
from qa.asking.focus import dominant, from_filters, from_history, single_story, story_text
from qa.asking.hinges import hinge_met
from qa.extractive.compose import Analyse, Idf, refusal
from qa.extractive.explainer import explain
from qa.extractive.focus_cover import misses_focus
from qa.types import NEEDS_STORY, Answer, AnswerSentence, Citation, Filters, Focus, Passage, Turn

STORY_CHUNKS = 40  # passages of the focused story an answer may choose from
FOLLOW_UP_WORDS = 12
# Kinds that a story answers by its structure even when the question names more ("Why did the
# building collapse?", "Who brought the case?"): cue words and names, weighed by the question's words.
STORY_KINDS = ("why", "who")
# A yes/no question longer than this usually compares two reports ("Did X report ... before Y
# mentioned ...?"): no one passage names everything, so only shorter ones are held to their names.
YES_NO_CONSTRAINED_WORDS = 12  # a question this short after a story is about that story
NEEDS_STORY_MESSAGE = (
    'Which story do you mean? "{question}" names no story, and the conversation has none yet: '
    'ask about the story first (for example "What happened in Aleppo?") or choose an article.'
)

Retrieve = Callable[[str, int | None, Filters], list[Passage]]
Compose = Callable[[Asked, list[Passage]], Answer]


@dataclass(frozen=True)
class Tools:
    retrieve: Retrieve
    compose: Compose
    analyse: Analyse
    idf: Idf
    vector: Callable[[str], np.ndarray]
    max_sentences: int = 3


@dataclass(frozen=True)
class Plan:
    """What the question is, which story it is about, and what to retrieve with."""

    asked: Asked
    focus: Focus | None
    standalone: Asked  # the question with the conversation folded in (for retrieval)
    filters: Filters


def scoped(filters: Filters, focus: Focus | None) -> Filters:
    return dataclasses.replace(filters, article_ids=focus.article_ids) if focus else filters


def _about_the_story(asked: Asked) -> bool:
    return asked.explainer or asked.bare or asked.follow_up or asked.word_count <= FOLLOW_UP_WORDS


def plan(asked: Asked, history: Sequence[Turn], filters: Filters, tools: Tools) -> Plan:
    """The plan for the question read as `asked` (with the same `history`)."""
    standalone = asked.standalone
    unscoped = dataclasses.replace(filters, article_ids=())
    focus = from_filters(filters.article_ids)
    if focus is None and story_text(history) and _about_the_story(asked):
        focus = from_history(history, lambda text, k: tools.retrieve(text, k, unscoped))
    if focus is None and (asked.bare or asked.explainer):
        found = tools.retrieve(standalone.text, None, filters)
        focus = single_story(found) if asked.bare else (single_story(found) or _dominant(found))
    return Plan(asked, focus, standalone, scoped(filters, focus))


def _dominant(passages: Sequence[Passage]) -> Focus | None:
    ids = dominant(passages)
    if not ids:
        return None
    titles = {p.chunk.article_id: p.chunk.title for p in passages}
    named = "; ".join(f'"{titles[i]}"' for i in ids)
    return Focus(ids, f"the passages found for the question are mostly from {named}")


def needs_story(question: str, backend: str) -> Answer:
    text = NEEDS_STORY_MESSAGE.format(question=" ".join(question.split())[:80])
    return Answer(
        answer=text,
        refused=True,
        backend=backend,
        sentences=[AnswerSentence(text, [], True)],
        needs=NEEDS_STORY,
    )


def answer(
    asked: Asked,
    history: Sequence[Turn],
    filters: Filters,
    tools: Tools,
    top_k: int | None = None,
) -> Answer:
    """The extractive answer inside the conversation (see the module docstring)."""
    p = plan(asked, history, filters, tools)
    if p.focus is None and p.asked.bare:
        return needs_story(asked.text, "extractive")
    if p.focus is not None:
        # An explicit top_k still bounds what is read; by default the whole story (up to 40 chunks).
        passages = tools.retrieve(p.standalone.text, top_k or STORY_CHUNKS, p.filters)
        if p.asked.explainer or p.asked.kind in STORY_KINDS:
            found = explain(
                p.asked,
                passages,
                tools.analyse,
                tools.idf,
                tools.vector(asked.text),
                tools.vector(p.standalone.text if history else asked.text),
                tools.max_sentences,
            )
            result = found or refusal("extractive", passages)
        else:
            # The story is fixed: its sentences are scored against the question itself.
            result = tools.compose(asked, passages[: top_k or 10])
    else:
        passages = tools.retrieve(p.standalone.text, top_k, p.filters)
        result = tools.compose(p.standalone, passages)
    met = (
        p.focus is not None
    )  # the explainer met a said-question's speaker (qa/extractive/speakers.py)
    result = enforce(p.asked, result, met)
    if misses_focus(p.asked, result, tools.analyse, tools.idf, lambda: tools.vector(asked.text)):
        # the cited evidence is about something else than what was asked (focus_cover.py)
        result = refusal(result.backend, result.passages)
    return dataclasses.replace(result, focus=p.focus)


def enforce(asked: Asked, result: Answer, speaker_met: bool = False) -> Answer:
    """The answer with only the sentences of the kind asked, or the refusal when none is left or
    the cited evidence does not meet the question's named things, years and numbers (a
    said-question's speaker, once `speaker_met`, is not among them: "Washington" is met by "US
    Secretary of State Mike Pompeo", who may be all the cited passage names)."""
    if result.refused:
        return result
    keep = [
        k
        for k, s in enumerate(result.sentences)
        if of_kind_asked(asked.kind, s.text, asked.wanted) or asked.kind == "said"
    ]
    # the word a count, yes/no or why question hinges on, met by at least one sentence kept (a
    # sentence composed around another, "Up from 311 reported on ...", need not repeat it)
    if not any(hinge_met(asked, result.sentences[k].text) for k in keep):
        return refusal(result.backend, result.passages)
    result = keep_sentences(result, keep)
    cited = {(c.article_id, c.start) for c in result.citations}
    context = [
        f"{p.chunk.title}\n{p.chunk.section or ''}\n{p.source or ''}\n{p.chunk.text}"
        for p in result.passages
        if any(p.chunk.article_id == a and p.chunk.start <= s < p.chunk.end for a, s in cited)
    ]
    years = [p.published // 10000 for p in result.passages if p.published]
    limit = YES_NO_CONSTRAINED_WORDS if asked.kind == "yesno" else MAX_CONSTRAINED_WORDS
    if asked.word_count > limit:
        return result  # longer questions are only held to the kind of answer (read no names)
    constraints = asked.constraints_without_speaker if speaker_met else asked.constraints
    if unmet(constraints, context, years):
        return refusal(result.backend, result.passages)
    return result


_REF = re.compile(r"\[(\d+)\]")


def keep_sentences(result: Answer, keep: Sequence[int]) -> Answer:
    """The answer with only the sentences at `keep`, citations renumbered 1..n."""
    if len(keep) == len(result.sentences):
        return result
    by_ref = {c.ref: c for c in result.citations}
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    for k in keep:
        s = result.sentences[k]
        refs = []
        for r in s.refs:
            if r not in numbers and r in by_ref:
                numbers[r] = len(numbers) + 1
                citations.append(dataclasses.replace(by_ref[r], ref=numbers[r]))
            if r in numbers:
                refs.append(numbers[r])
        sentences.append(AnswerSentence(s.text, refs, s.supported))
    text = " ".join(f"{s.text} {''.join(f'[{r}]' for r in s.refs)}".rstrip() for s in sentences)
    return dataclasses.replace(result, answer=text, citations=citations, sentences=sentences)

"""Whether an answer covers what the question asks about; if not, it answers something else.

An unanswerable follow-up is most often answered by a sentence of the right story about another
thing: "What are Trellis's opening hours?" by a sentence naming Trellis, "How many of the dead were
children?" by the death toll, "How many migrants have been granted asylum in Poland?" by a count of
migrants at the border. Such a sentence shares the story's words, holds a number or a cue, and so
scores well; what it lacks are the words the question asks about (qa/asking/focus_words.py).

Coverage is the idf-weighted share of those words that the cited evidence meets: a cited sentence
with its neighbours and its page's title and section heading (the sentence's passage, where a
pronoun's referent and the story's subject are named), a word met by itself or, at a discount, by
a word of its family (qa/synonyms.py). A sentence's focus score is the mean of that coverage and
its similarity to the question (compose.support's form: a paraphrase is met by meaning); an
answer's is its best cited sentence's. Below `THRESHOLD` the answer is refused. The threshold is
not set by hand: `python -m eval.fit_focus` fits it on RealTimeQA questions (answerable ones asked
of their pages, the same questions asked of their pages without the gold) and writes
focus_threshold.json beside this file; without that file nothing is refused here (none is
committed: the fitted threshold costs the Wikinews explainer sets a sixth of their right answers,
README issue 25). Pure functions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.chunking import sentences_of
from qa.asking.constraints import MAX_CONSTRAINED_WORDS
from qa.extractive.compose import COSINE_FLOOR, COSINE_SPAN
from qa.synonyms import met_by_kin
from qa.types import Answer, Citation, Passage

if TYPE_CHECKING:  # the reading holds the focus words; only its type is needed here
    from qa.asking.asked import Asked

Analyse = Callable[[str], list[str]]
Idf = Callable[[str], float]

THRESHOLD_FILE = Path(__file__).with_name("focus_threshold.json")
KIN_CREDIT = 0.8  # as qa/extractive/compose.py credits a word of the family
NEIGHBOURS = 1  # sentences on each side of a cited one that count as its context
# Kinds whose answer is found by something other than the question's words: a speaker's quotes,
# the lede, the story's names; their questions name only whom or what the story is about.
UNCHECKED_KINDS = frozenset({"said", "happened", "involved", "powers"})


def load_threshold(path: Path = THRESHOLD_FILE) -> float:
    """The fitted threshold, or 0.0 (no check) when the file is absent or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return float(raw["threshold"])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
        return 0.0


THRESHOLD = load_threshold()


def _located(
    citation: Citation, passages: Sequence[Passage]
) -> tuple[Passage, list[tuple[int, int]], int] | None:
    """The passage holding the cited sentence, its sentence spans and the sentence's index."""
    for passage in passages:
        chunk = passage.chunk
        if chunk.article_id != citation.article_id or not (
            chunk.start <= citation.start < chunk.end
        ):
            continue
        spans = list(chunk.sentences) or sentences_of(chunk.text, chunk.start)
        at = next((k for k, (a, b) in enumerate(spans) if a <= citation.start < b), None)
        return None if at is None else (passage, spans, at)
    return None


def _window(citation: Citation, passages: Sequence[Passage]) -> str:
    """The cited sentence with its neighbours in its passage, and the passage's labels."""
    labels = f"{citation.title} {citation.section or ''}"
    found = _located(citation, passages)
    if found is None:
        return f"{citation.quote} {labels}"
    passage, spans, at = found
    chunk = passage.chunk
    near = spans[max(0, at - NEIGHBOURS) : at + NEIGHBOURS + 1]
    text = " ".join(chunk.text[a - chunk.start : b - chunk.start] for a, b in near)
    return f"{text} {labels}"


def similarity(citation: Citation, passages: Sequence[Passage], vector: np.ndarray | None) -> float:
    """The cited sentence's cosine with the question, rescaled to 0..1 as the sentence scorer
    does (qa/extractive/compose.py); 0 when its vector is not stored."""
    found = _located(citation, passages) if vector is not None else None
    if found is None:
        return 0.0
    passage, spans, at = found
    rows = passage.sentence_vectors
    if rows is None or len(rows) != len(spans):
        return 0.0
    return float(np.clip((rows[at] @ vector - COSINE_FLOOR) / COSINE_SPAN, 0.0, 1.0))


def coverage(terms: Sequence[str], text: str, analyse: Analyse, idf: Idf) -> float:
    """The idf-weighted share of `terms` (stemmed) that `text` meets; 1.0 with no terms."""
    total = sum(idf(t) for t in terms)
    if not terms or total <= 0:
        return 1.0
    stems = set(analyse(text))
    met = 0.0
    for term in terms:
        if term in stems:
            met += idf(term)
        elif met_by_kin(term, stems, analyse):
            met += KIN_CREDIT * idf(term)
    return met / total


def answer_coverage(
    terms: Sequence[str],
    answer: Answer,
    analyse: Analyse,
    idf: Idf,
    vector: np.ndarray | None = None,
) -> float | None:
    """How well the answer's best cited sentence is about what was asked: the mean of its
    context's coverage of `terms` and its similarity to the question (the form of
    compose.support, on the asked words: a paraphrase, "insurgents" for "rebels", is met by
    meaning). None for a refusal or an answer with nothing cited."""
    if answer.refused or not answer.citations:
        return None
    return max(
        0.5 * coverage(terms, _window(c, answer.passages), analyse, idf)
        + 0.5 * similarity(c, answer.passages, vector)
        for c in answer.citations
    )


def checked(kind: str, bare: bool, identity: bool, word_count: int) -> bool:
    """Whether a question of this shape is held to its focus (see UNCHECKED_KINDS; a longer
    question names more than one passage holds, as qa/asking/constraints.py reads it)."""
    return not (bare or identity or kind in UNCHECKED_KINDS or word_count > MAX_CONSTRAINED_WORDS)


def focus_terms(words: Sequence[str], analyse: Analyse) -> tuple[str, ...]:
    """The stemmed content terms of the focus words (stop words drop out), once each."""
    return tuple(dict.fromkeys(t for w in words for t in analyse(w)))


def misses_focus(
    asked: Asked,
    answer: Answer,
    analyse: Analyse,
    idf: Idf,
    vector: Callable[[], np.ndarray] | None = None,
    threshold: float | None = None,
) -> bool:
    """Whether the answer leaves what the question asks about uncovered (below the threshold).
    `vector` gives the question's vector, asked for only when the answer is checked."""
    threshold = THRESHOLD if threshold is None else threshold
    if threshold <= 0 or answer.refused:
        return False
    if not checked(asked.kind, asked.bare, asked.identity is not None, asked.word_count):
        return False
    terms = focus_terms(asked.focus_words, analyse)
    found = answer_coverage(terms, answer, analyse, idf, vector() if vector else None)
    return found is not None and found < threshold

"""Alignment: which clause of the cited passages an answer sentence restates.

Each cited passage is split into sentences (the ones verification already holds) and each sentence
into clauses (qa/checks/clauses.py). The claim is aligned with the sentence covering the largest IDF-weighted
share of its content terms (numbers weigh as much as the rarest term; ties: the sentence verification
chose as the span), and within it with the clause covering most. The claim checks then
compare the claim with that clause (actor, certainty), its sentence (speaker, polarity, numbers,
time) and everything cited (additions). The speaker of each passage sentence is its attribution,
with "he"/"she" resolved to the last named speaker (index/news/attribution.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from index.news.attribution import Attribution, attribute_all
from qa.checks.clauses import split_clauses

Analyse = Callable[[str], list[str]]
Idf = Callable[[str], float]


@dataclass(frozen=True)
class PassageText:
    """What the checks may read of one cited passage."""

    sentences: tuple[str, ...]  # the sentences that may support (no orders to the reader)
    terms: tuple[frozenset[str], ...]  # their analysed terms (verification has them already)
    context: str  # title and section heading
    published: int | None  # yyyymmdd
    _attributions: list[tuple[Attribution, ...]] = field(
        default_factory=list, compare=False, repr=False, hash=False
    )

    def attribution(self, k: int) -> Attribution:
        """Of sentence k, pronouns resolved; worked out for the whole passage on first use only
        (most claims name no speaker)."""
        if not self._attributions:
            self._attributions.append(tuple(attribute_all(self.sentences)))
        return self._attributions[0][k]


@dataclass(frozen=True)
class Aligned:
    """A claim's best-matching clause and where it sits."""

    clause: str
    sentence: str
    passage: PassageText
    index: int  # of the sentence in its passage
    published: int | None
    cited_text: str  # every cited passage's sentences and headings, for additions and time
    coverage: float  # share of the claim's term weight the clause holds
    group: tuple[PassageText, ...] = ()  # every cited passage, for the entity-link check

    @property
    def attribution(self) -> Attribution:
        return self.passage.attribution(self.index)


def passage_text(
    sentences: Sequence[str], terms: Sequence[set[str]], context: str, published: int | None
) -> PassageText:
    return PassageText(tuple(sentences), tuple(map(frozenset, terms)), context, published)


def align(
    claim_terms: Sequence[str],
    passages: Sequence[PassageText],
    analyse: Analyse,
    idf: Idf,
    preferred: str | None = None,
) -> Aligned | None:
    """The clause of `passages` that best covers `claim_terms`; None when nothing is cited.

    Sentences are ranked by coverage with the terms verification already has; only the best one
    is split into clauses and analysed again (analysis is most of the cost)."""
    weights = {t: idf(t) for t in dict.fromkeys(claim_terms)}
    # Numbers anchor a claim to its sentence ("318 seats" is the sentence with 318, whatever else
    # the neighbours share), so each counts as much as the rarest term.
    top = max(weights.values(), default=1.0)
    for term in weights:
        if term.isdigit():
            weights[term] = top
    total = sum(weights.values()) or 1.0

    def cover(terms: frozenset[str] | set[str]) -> float:
        return sum(w for t, w in weights.items() if t in terms) / total

    rows = [
        (cover(terms), sentence == preferred, p, k)
        for p, passage in enumerate(passages)
        for k, (sentence, terms) in enumerate(zip(passage.sentences, passage.terms, strict=True))
    ]
    if not rows:
        return None
    # The sentence first (a clause of a long sentence covers less than a short sentence whole),
    # then its clause that covers most of the claim.
    score, _, p, k = max(rows, key=lambda row: (row[0], row[1]))
    sentence = passages[p].sentences[k]
    clauses = split_clauses(sentence) or [sentence]
    clause = clauses[0]
    if len(clauses) > 1:
        clause = max(clauses, key=lambda c: cover(set(analyse(c))))
    passage = passages[p]
    cited = _cited(tuple(passages))
    return Aligned(
        clause,
        passage.sentences[k],
        passage,
        k,
        passage.published,
        cited,
        round(score, 4),
        tuple(passages),
    )


@functools.lru_cache(maxsize=256)
def _cited(passages: tuple[PassageText, ...]) -> str:
    return " ".join(f"{p.context} {' '.join(p.sentences)}" for p in passages)

"""Alignment: which clause of the cited passages an answer sentence restates.

Each cited passage is split into sentences (the ones verification already holds) and each sentence
into clauses (qa/clauses.py). The claim is aligned with the clause covering the largest IDF-weighted
share of its content terms (ties: the sentence verification chose as the span). The claim checks then
compare the claim with that clause (actor, polarity, certainty), its sentence (speaker, numbers,
time) and everything cited (additions). The speaker of each passage sentence is its attribution,
with "he"/"she" resolved to the last named speaker (index/attribution.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.attribution import Attribution, attribute_all
from qa.clauses import split_clauses

Analyse = Callable[[str], list[str]]
Idf = Callable[[str], float]


@dataclass(frozen=True)
class PassageText:
    """What the checks may read of one cited passage."""

    sentences: tuple[str, ...]  # the sentences that may support (no orders to the reader)
    context: str  # title and section heading
    published: int | None  # yyyymmdd
    attributions: tuple[Attribution, ...] = ()


@dataclass(frozen=True)
class Aligned:
    """A claim's best-matching clause and where it sits."""

    clause: str
    sentence: str
    attribution: Attribution  # of the sentence, pronouns resolved
    published: int | None
    cited_text: str  # every cited passage's sentences and headings, for additions and time
    coverage: float  # share of the claim's term weight the clause holds


def passage_text(
    sentences: Sequence[str], context: str, published: int | None
) -> PassageText:
    return PassageText(tuple(sentences), context, published, tuple(attribute_all(sentences)))


def align(
    claim_terms: Sequence[str],
    passages: Sequence[PassageText],
    analyse: Analyse,
    idf: Idf,
    preferred: str | None = None,
) -> Aligned | None:
    """The clause of `passages` that best covers `claim_terms`; None when nothing is cited."""
    weights = {t: idf(t) for t in dict.fromkeys(claim_terms)}
    total = sum(weights.values()) or 1.0
    best: tuple[float, int, str, str, Attribution, int | None] | None = None
    for passage in passages:
        for sentence, attribution in zip(passage.sentences, passage.attributions, strict=True):
            bonus = 1 if sentence == preferred else 0
            for clause in split_clauses(sentence) or [sentence]:
                terms = set(analyse(clause))
                cover = sum(w for t, w in weights.items() if t in terms) / total
                key = (cover, bonus)
                if best is None or key > (best[0], best[1]):
                    best = (cover, bonus, clause, sentence, attribution, passage.published)
    if best is None:
        return None
    cited = " ".join(f"{p.context} {' '.join(p.sentences)}" for p in passages)
    cover, _, clause, sentence, attribution, published = best
    return Aligned(clause, sentence, attribution, published, cited, round(cover, 4))

"""Every candidate sentence the extractive scorer considers for a question, with its signals and
whether it holds the gold answer: what eval/fit_sentence.py fits the sentence weights on.

A question is asked scoped to its own pages (as `python -m eval.realtimeqa_bench` asks in scoped
mode), retrieving `passages` passages (10 by default: the answer composer sees 5, but the fit learns
more from the gold sentences ranks 6-10 hold). Only the signals, the flags and the label are kept,
never the sentence's text, so records can be cached without copying anyone's article.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from eval.scoring import contains_evidence
from qa.extractive.weights import SIGNALS


@dataclass(frozen=True)
class CandidateRecord:
    signals: tuple[float, ...]  # one per weights.SIGNALS name
    untyped: bool  # the question asks for a type of answer the sentence does not hold
    entity: bool  # ... and that type is an entity label (else a regex type)
    passage: int  # the rank of its passage, 0-based
    gold: bool  # it holds the gold answer string

    @property
    def support(self) -> float:
        """compose.support() of the sentence: heading, else mean of coverage and semantic."""
        values = dict(zip(SIGNALS, self.signals, strict=True))
        return max(values["heading"], 0.5 * (values["coverage"] + values["semantic"]))


@dataclass(frozen=True)
class QuestionRecord:
    id: str
    week: str
    candidates: tuple[CandidateRecord, ...]  # in the scorer's order (best first)

    @property
    def has_gold(self) -> bool:
        return any(c.gold for c in self.candidates)


def holding_gold(texts: Sequence[str], evidence: Sequence[str]) -> list[bool]:
    return [contains_evidence(text, list(evidence)) for text in texts]


def record_question(
    engine: Any,
    question_id: str,
    week: str,
    text: str,
    evidence: Sequence[str],
    article_ids: Sequence[str],
    passages: int,
) -> QuestionRecord:
    """The question asked of `engine` scoped to `article_ids`, every candidate recorded."""
    from qa.asking.asked import read
    from qa.asking.time_scope import scoped
    from qa.extractive.compose import profile, score_sentences
    from qa.types import Filters

    asked = read(text)
    filters, top_k = scoped(
        asked, Filters(article_ids=tuple(article_ids)), passages, *engine._dated_span()
    )
    found = engine.retriever.retrieve(asked.text, top_k, filters)
    bm25 = engine.retriever.bm25()
    entity_typed = any(p.chunk.entities for p in found)
    candidates = score_sentences(
        profile(asked, bm25.analyse, entity_typed),
        found,
        bm25.analyse,
        bm25.idf,
        engine.retriever.query_vector(asked.text) if found else None,
    )
    gold = holding_gold([c.text for c in candidates], evidence)
    entity = asked.wanted is None
    return QuestionRecord(
        question_id,
        week,
        tuple(
            CandidateRecord(c.signals, c.untyped, entity, c.passage, g)
            for c, g in zip(candidates, gold, strict=True)
        ),
    )


def save_records(records: Sequence[QuestionRecord], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(asdict(record)) + "\n")


def load_records(path: Path) -> list[QuestionRecord]:
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        records.append(
            QuestionRecord(
                raw["id"],
                raw["week"],
                tuple(
                    CandidateRecord(
                        tuple(c["signals"]), c["untyped"], c["entity"], c["passage"], c["gold"]
                    )
                    for c in raw["candidates"]
                ),
            )
        )
    return records

"""One question's outcome, scored: what the JSON results file holds per question."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.questions import Question
from eval.scoring import (
    citation_score,
    correct_citation,
    gold_kind,
    lenient_correct,
    retrieval_score,
    strict_correct,
)


@dataclass(frozen=True)
class Reply:
    """What a target returned for one question."""

    answer: dict[str, Any]  # the `--json` contract
    latency_ms: float
    # (title, text, article id) of the retrieved passages, best first; None when the target can't say
    retrieved: Sequence[tuple[str, str, str]] | None = None


@dataclass
class QuestionResult:
    id: str
    type: str
    gold_kind: str
    question: str
    gold: str
    answer: str = ""
    refused: bool = False
    backend: str | None = None
    degraded: str | None = None
    error: str | None = None  # the target failed on this question (counted as wrong)
    strict: bool = False
    lenient: bool | None = None
    citations: int = 0
    cited_passages: int = 0  # distinct passages among the citations
    citation_precision: float | None = None
    citation_recall: float | None = None
    # answered citing the question's article with a sentence (quote) / passage (text) holding evidence
    cited_ok: bool | None = None
    cited_passage_ok: bool | None = None
    sentences: int = 0
    supported: int = 0
    latency_ms: float | None = None
    first_rank: int | None = None
    rr10: float | None = None
    ap10: float | None = None
    articles4: bool | None = None
    articles10: bool | None = None
    retrieval_scored: bool = False  # the question has evidence and the target returned passages
    cited_articles: list[str] = field(default_factory=list)
    retrieved_articles: list[str] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        return self.gold_kind != "refusal"

    @property
    def missed(self) -> bool:
        """An answerable question not answered with a correct citation, or an unanswerable one
        not refused."""
        return not self.refused if not self.answerable else not self.cited_ok


def _base(question: Question) -> QuestionResult:
    return QuestionResult(
        id=question.id,
        type=question.type,
        gold_kind=gold_kind(question),
        question=question.question,
        gold=question.answer,
    )


def failed(question: Question, error: str) -> QuestionResult:
    result = _base(question)
    result.error = error
    if correct_citation(question, {"refused": True}) is not None:
        result.cited_ok = result.cited_passage_ok = False
    result.lenient = None if question.answerable and not question.answer else False
    return result


def score(question: Question, reply: Reply) -> QuestionResult:
    answer = reply.answer
    result = _base(question)
    result.answer = answer["answer"]
    result.refused = bool(answer["refused"])
    result.backend = answer.get("backend")
    result.degraded = answer.get("degraded")
    result.strict = strict_correct(question, answer)
    result.lenient = lenient_correct(question, answer)
    cited = answer.get("citations") or []
    result.citations = len(cited)
    result.cited_passages = len({c["text"] for c in cited})
    result.cited_articles = list(dict.fromkeys(c["article_id"] for c in cited))
    citations = citation_score(question, answer)
    result.citation_precision, result.citation_recall = citations.precision, citations.recall
    result.cited_ok = correct_citation(question, answer, "quote")
    result.cited_passage_ok = correct_citation(question, answer, "text")
    if not result.refused:
        sentences = answer.get("sentences") or []
        result.sentences = len(sentences)
        result.supported = sum(bool(s.get("supported")) for s in sentences)
    result.latency_ms = round(reply.latency_ms, 2)
    if reply.retrieved is not None:
        result.retrieved_articles = [article_id for _, _, article_id in reply.retrieved]
        retrieval = retrieval_score(question, [(t, text) for t, text, _ in reply.retrieved])
        if retrieval is not None:
            result.retrieval_scored = True
            result.first_rank, result.rr10, result.ap10 = (
                retrieval.first_rank,
                retrieval.rr10,
                retrieval.ap10,
            )
            result.articles4, result.articles10 = retrieval.articles4, retrieval.articles10
    return result

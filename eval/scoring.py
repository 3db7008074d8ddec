"""Pure scoring of one answer (the `--json` contract) and one retrieved list against a question's gold.

Evidence matching follows MultiHop-RAG's evaluator: a gold fact with spaces and newlines removed must be
a substring of the passage with spaces and newlines removed. Strict answer accuracy: a yes/no gold must
match the first yes/no of the answer, any other gold (or one of the answer keys) must appear as whole
words in the normalised answer, and an unanswerable question must be refused. The lenient accuracy is
the benchmark's own: prediction and gold share any lower-cased whitespace-separated word (any one of
the acceptable answers when the gold is a list). A correct citation (the explainer set): a citation from
the question's article whose supporting sentence contains a gold evidence string.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eval.questions import Question

BENCHMARK_NO_ANSWER = "Insufficient information."
_MARKER = re.compile(r"\[\d+\]")
_NON_WORD = re.compile(r"[\W_]+")
_YES_NO = re.compile(r"\b(yes|no)\b")


def squash(text: str) -> str:
    """The benchmark's matching rule: spaces and newlines removed (nothing else)."""
    return text.replace(" ", "").replace("\n", "")


def contains_evidence(passage: str, evidence: Sequence[str]) -> bool:
    text = squash(passage)
    return any(squash(e) in text for e in evidence)


def normalise(text: str) -> str:
    """Lower-cased words separated by single spaces; [n] markers and punctuation dropped."""
    return " ".join(_NON_WORD.sub(" ", _MARKER.sub(" ", text).lower()).split())


def gold_kind(question: Question) -> str:
    """How the answer is judged: refusal, yes/no, span (an answer key appears) or open (no gold)."""
    if not question.answerable:
        return "refusal"
    if normalise(question.answer) in ("yes", "no") and len(question.answer_keys) <= 1:
        return "yes/no"
    return "span" if question.answer_keys else "open"


def _has_words(text: str, phrase: str) -> bool:
    phrase = normalise(phrase)
    return bool(phrase) and f" {phrase} " in f" {text} "


def strict_correct(question: Question, answer: dict[str, Any]) -> bool:
    refused = bool(answer["refused"])
    kind = gold_kind(question)
    if kind == "refusal" or refused:
        return kind == "refusal" and refused
    text = normalise(answer["answer"])
    if kind == "yes/no":
        first = _YES_NO.search(text)
        return first is not None and first.group(1) == normalise(question.answer)
    if kind == "span":
        return any(_has_words(text, key) for key in question.answer_keys)
    return True  # no gold answer: answering at all is what can be judged


def lenient_correct(question: Question, answer: dict[str, Any]) -> bool | None:
    """MultiHop-RAG's accuracy. A refusal is read as the benchmark's "Insufficient information."."""
    golds = (
        (question.answers or (question.answer,)) if question.answerable else (BENCHMARK_NO_ANSWER,)
    )
    golds = tuple(g for g in golds if g)
    if not golds:
        return None
    predicted = BENCHMARK_NO_ANSWER if answer["refused"] else _MARKER.sub(" ", answer["answer"])
    words = set(predicted.lower().split())
    return any(words & set(gold.lower().split()) for gold in golds)


def correct_citation(
    question: Question, answer: dict[str, Any], part: str = "quote"
) -> bool | None:
    """Answered, citing the question's article (when it names one) with a citation whose `part`
    (`quote`: the supporting sentence; `text`: the whole cited passage) contains a gold evidence string.
    None for questions it does not apply to (unanswerable, or no evidence)."""
    if not question.answerable or not question.evidence:
        return None
    if answer["refused"]:
        return False
    for citation in answer.get("citations") or ():
        if question.article_id and citation.get("article_id") != question.article_id:
            continue
        cited = citation.get(part) or citation.get("text") or ""
        if contains_evidence(cited, question.evidence):
            return True
    return False


@dataclass(frozen=True)
class CitationScore:
    precision: float | None  # cited passages holding gold evidence / cited passages
    recall: float | None  # gold evidence items found in some cited passage / evidence items


def citation_score(question: Question, answer: dict[str, Any]) -> CitationScore:
    if not question.answerable or not question.evidence:
        return CitationScore(None, None)
    cited = [c["text"] for c in answer["citations"]]
    found = sum(any(contains_evidence(t, [e]) for t in cited) for e in question.evidence)
    precision = (
        sum(contains_evidence(t, question.evidence) for t in cited) / len(cited) if cited else None
    )
    return CitationScore(precision, found / len(question.evidence))


@dataclass(frozen=True)
class RetrievalScore:
    first_rank: int | None  # 1-based rank of the first passage holding gold evidence, within 10
    rr10: float
    ap10: float  # the benchmark's MAP@10 term
    articles4: bool | None  # every evidence article among the first 4 passages
    articles10: bool | None

    def hits(self, k: int) -> bool:
        return self.first_rank is not None and self.first_rank <= k


def retrieval_score(
    question: Question, passages: Sequence[tuple[str, str]]
) -> RetrievalScore | None:
    """`passages`: (article title, passage text) best first. None for questions without evidence."""
    if not question.answerable or not question.evidence:
        return None
    gold = [squash(e) for e in question.evidence]
    first: int | None = None
    found: set[str] = set()
    precision_sum = 0.0
    for rank, (_, text) in enumerate(passages[:10], start=1):
        squashed = squash(text)
        hits = {g for g in gold if g in squashed}
        if hits:
            first = first or rank
            precision_sum += len(hits - found) / rank
            found |= hits
    titles = [_title(t) for t, _ in passages]
    wanted = {_title(t) for t in question.evidence_titles}
    return RetrievalScore(
        first_rank=first,
        rr10=1 / first if first else 0.0,
        ap10=precision_sum / min(len(gold), 10),
        articles4=wanted <= set(titles[:4]) if wanted else None,
        articles10=wanted <= set(titles[:10]) if wanted else None,
    )


def _title(title: str) -> str:
    return " ".join(title.split()).casefold()


@dataclass(frozen=True)
class Score:
    """The seed benchmark's per-question verdict (kept for eval/seed_bench.py and other scripts)."""

    refused: bool
    answer_ok: bool  # strictly correct answer (answerable) / refused (unanswerable)
    citation_ok: bool  # some cited passage contains gold evidence
    correct: bool  # answer_ok and citation_ok (or a correct refusal)


def score_answer(question: Question, answer: dict[str, Any]) -> Score:
    refused = bool(answer["refused"])
    answer_ok = strict_correct(question, answer)
    if not question.answerable:
        return Score(refused, answer_ok, answer_ok, answer_ok)
    citation_ok = not refused and (
        not question.evidence
        or any(contains_evidence(c["text"], question.evidence) for c in answer["citations"])
    )
    return Score(refused, answer_ok, citation_ok, answer_ok and citation_ok)

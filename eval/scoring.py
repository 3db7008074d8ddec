"""Pure scoring of one answer (as the `--json` contract) against a question's gold data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from eval.questions import Question


def squash(text: str) -> str:
    """The benchmark's matching rule: lower-cased, with all whitespace removed."""
    return re.sub(r"\s+", "", text).lower()


@dataclass(frozen=True)
class Score:
    refused: bool
    answer_ok: bool  # contains an answer key (answerable) / refused (unanswerable)
    citation_ok: bool  # some cited passage contains gold evidence
    correct: bool  # answer_ok and citation_ok (or a correct refusal)


def score_answer(question: Question, answer: dict[str, Any]) -> Score:
    refused = bool(answer["refused"])
    if not question.answerable:
        return Score(refused, refused, refused, refused)
    text = answer["answer"].lower()
    answer_ok = not refused and any(k.lower() in text for k in question.answer_keys)
    cited = [squash(c["text"]) for c in answer["citations"]]
    citation_ok = not refused and (
        not question.evidence or any(squash(e) in c for e in question.evidence for c in cited)
    )
    return Score(refused, answer_ok, citation_ok, answer_ok and citation_ok)

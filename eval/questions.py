"""Question sets: our seed set and any JSON Lines file of {question, answer?, evidence?, answerable?}."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data"
SEED_QUESTIONS = DATA / "seed_questions.jsonl"


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answerable: bool = True
    answer: str = ""
    answer_keys: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    type: str = "question"


@dataclass
class QuestionSet:
    questions: list[Question] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def load_questions(path: Path) -> QuestionSet:
    result = QuestionSet()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            answer = str(record.get("answer") or "")
            keys = record.get("answer_keys") or ([answer] if answer else [])
            result.questions.append(
                Question(
                    id=str(record.get("id") or record.get("qid") or number),
                    question=str(record["question"] if "question" in record else record["query"]),
                    answerable=bool(record.get("answerable", True)),
                    answer=answer,
                    answer_keys=tuple(str(k) for k in keys),
                    evidence=tuple(
                        e["fact"] if isinstance(e, dict) else str(e)
                        for e in record.get("evidence") or ()
                    ),
                    type=str(record.get("type") or record.get("question_type") or "question"),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            result.errors.append(f"{path}:{number}: {err}")
    return result

"""Question sets: our seed set, the MultiHop-RAG queries, and any JSON Lines file of
{question, answer?, evidence?: [str | {title, fact}], answerable?, type?}."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data"
SEED_QUESTIONS = DATA / "seed_questions.jsonl"
MULTIHOP = DATA / "multihop-rag"
MULTIHOP_QUESTIONS = MULTIHOP / "queries_dev.jsonl"
MULTIHOP_CORPUS = MULTIHOP / "corpus.jsonl"

# The benchmark's gold answer for questions the corpus cannot answer.
NO_ANSWER = "insufficient information."
MAX_QUESTION_CHARS = 2000  # the engine's own limit: longer questions are rejected at load time


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answerable: bool = True
    answer: str = ""
    answer_keys: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # substrings a relevant passage / correct citation contains
    type: str = "question"
    evidence_titles: tuple[str, ...] = ()  # titles of the articles the evidence comes from


@dataclass
class QuestionSet:
    questions: list[Question] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _evidence(record: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    facts: list[str] = []
    titles: list[str] = []
    for item in record.get("evidence") or ():
        if isinstance(item, dict):
            facts.append(str(item["fact"]))
            if item.get("title"):
                titles.append(str(item["title"]))
        elif isinstance(item, str):
            facts.append(item)
        else:
            raise TypeError(f"evidence items are strings or {{title, fact}}, not {item!r}")
    return tuple(f for f in facts if f.strip()), tuple(dict.fromkeys(titles))


def _answerable(record: dict, answer: str, kind: str) -> bool:
    if "answerable" in record:
        if not isinstance(record["answerable"], bool):
            raise TypeError(f"answerable must be true or false, not {record['answerable']!r}")
        return record["answerable"]
    return answer.strip().lower() != NO_ANSWER and kind != "null"


def parse_question(record: object, number: int) -> Question:
    if not isinstance(record, dict):
        raise TypeError("a record must be a JSON object")
    text = record.get("question", record.get("query"))
    if not isinstance(text, str) or not text.strip():
        raise KeyError("no question (a non-empty 'question' string)")
    if len(text) > MAX_QUESTION_CHARS:
        raise ValueError(f"the question is longer than {MAX_QUESTION_CHARS} characters")
    answer = str(record.get("answer") or "")
    # MultiHop-RAG says "comparison_query"; the report reads better as "comparison".
    kind = str(record.get("type") or record.get("question_type") or "").removesuffix("_query")
    answerable = _answerable(record, answer, kind)
    keys = record.get("answer_keys") or ([answer] if answer and answerable else [])
    if not isinstance(keys, list):
        raise TypeError("answer_keys must be a list of strings")
    evidence, titles = _evidence(record)
    return Question(
        id=str(record.get("id") or record.get("qid") or number),
        question=text,
        answerable=answerable,
        answer=answer,
        answer_keys=tuple(str(k) for k in keys if str(k).strip()),
        evidence=evidence,
        type=kind or ("question" if answerable else "unanswerable"),
        evidence_titles=titles,
    )


def load_questions(path: Path) -> QuestionSet:
    """Every well-formed record of a JSON Lines file; each bad one is reported by file and line."""
    result = QuestionSet()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            result.questions.append(parse_question(json.loads(line), number))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
            message = err.args[0] if isinstance(err, KeyError) and err.args else err
            result.errors.append(f"{path}:{number}: {message}")
    counts = Counter(q.id for q in result.questions)
    twice = sorted(i for i, n in counts.items() if n > 1)
    if twice:
        result.errors.append(f"{path}: question ids used more than once: {', '.join(twice[:10])}")
    return result

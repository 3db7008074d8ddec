"""Question sets: our seed set, the MultiHop-RAG queries, the Wikinews explainer set, and any JSON Lines
file of {question, answer?: str | [str], answer_keys?, evidence?: [str | {title, fact}], answerable?,
type? | kind?, article_id?, history?: [{role, content}], filters?: {article_ids, sources, published_from,
published_to}}."""

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
EXPLAINER_QUESTIONS = DATA / "explainer_questions.jsonl"
WIKINEWS_CORPUS = DATA / "wikinews" / "articles.jsonl"

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
    answers: tuple[str, ...] = ()  # every acceptable answer (`answer` is how the report shows them)
    article_id: str | None = None  # the story asked about: a correct citation comes from it
    history: tuple[tuple[str, str], ...] = ()  # earlier turns (role, content), oldest first
    filters: QuestionFilters | None = None  # passed to the engine with the question


@dataclass(frozen=True)
class QuestionFilters:
    """The `/v1/ask` filters of a question; dates as written (YYYY-MM-DD), checked at load time."""

    article_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    published_from: str | None = None
    published_to: str | None = None

    def as_json(self) -> dict[str, object]:
        """The `filters` object of a `/v1/ask` request (only the conditions given)."""
        body: dict[str, object] = {}
        if self.article_ids:
            body["article_ids"] = list(self.article_ids)
        if self.sources:
            body["sources"] = list(self.sources)
        for key in ("published_from", "published_to"):
            if getattr(self, key) is not None:
                body[key] = getattr(self, key)
        return body


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


def _answers(value: object) -> tuple[str, ...]:
    """`answer` is one answer or a list of acceptable ones; numbers are read as their text."""
    items = value if isinstance(value, list) else [value]
    answers: list[str] = []
    for item in items:
        if item is None or item == "":
            continue
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise TypeError(f"answer must be a string or a list of strings, not {item!r}")
        answers.append(str(item))
    return tuple(a for a in answers if a.strip())


def _answerable(record: dict, answers: tuple[str, ...], kind: str) -> bool:
    if "answerable" in record:
        if not isinstance(record["answerable"], bool):
            raise TypeError(f"answerable must be true or false, not {record['answerable']!r}")
        return record["answerable"]
    return not any(a.strip().lower() == NO_ANSWER for a in answers) and kind != "null"


def _strings(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TypeError(f"{what} must be a list of non-empty strings")
    return tuple(value)


def _history(value: object) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TypeError("history must be a list of {role, content} objects")
    turns: list[tuple[str, str]] = []
    for turn in value:
        if (
            not isinstance(turn, dict)
            or turn.get("role") not in ("user", "assistant")
            or not isinstance(turn.get("content"), str)
            or set(turn) - {"role", "content"}
        ):
            raise TypeError(
                f"a history turn is {{role: user|assistant, content: string}}, not {turn!r}"
            )
        turns.append((turn["role"], turn["content"]))
    return tuple(turns)


FILTER_KEYS = ("article_ids", "sources", "published_from", "published_to")


def _filters(value: object) -> QuestionFilters | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError("filters must be an object")
    unknown = sorted(set(value) - set(FILTER_KEYS))
    if unknown:
        raise ValueError(
            f"unknown filter(s) {', '.join(unknown)} (known: {', '.join(FILTER_KEYS)})"
        )
    from index.formats.loaders import ArticleError, parse_published

    dates: dict[str, str | None] = {}
    for key in ("published_from", "published_to"):
        text = value.get(key)
        if text is not None:
            if not isinstance(text, str):
                raise TypeError(f"filters.{key} must be a date string (YYYY-MM-DD)")
            try:
                parse_published(text)
            except ArticleError as err:
                raise ValueError(f"filters.{key}: {err}") from None
        dates[key] = text
    return QuestionFilters(
        article_ids=_strings(value.get("article_ids", []), "filters.article_ids"),
        sources=_strings(value.get("sources", []), "filters.sources"),
        **dates,
    )


def _article_id(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError("article_id must be a string")
    return value


def parse_question(record: object, number: int) -> Question:
    if not isinstance(record, dict):
        raise TypeError("a record must be a JSON object")
    text = record.get("question", record.get("query"))
    if not isinstance(text, str) or not text.strip():
        raise KeyError("no question (a non-empty 'question' string)")
    if len(text) > MAX_QUESTION_CHARS:
        raise ValueError(f"the question is longer than {MAX_QUESTION_CHARS} characters")
    answers = _answers(record.get("answer"))
    # MultiHop-RAG says "comparison_query"; the report reads better as "comparison". The explainer
    # set says "kind" (why, said, count, ...): the report groups by it the same way.
    kind = str(
        record.get("kind") or record.get("type") or record.get("question_type") or ""
    ).removesuffix("_query")
    answerable = _answerable(record, answers, kind)
    keys = record.get("answer_keys") or (list(answers) if answerable else [])
    if not isinstance(keys, list):
        raise TypeError("answer_keys must be a list of strings")
    evidence, titles = _evidence(record)
    return Question(
        id=str(record.get("id") or record.get("qid") or number),
        question=text,
        answerable=answerable,
        answer=" | ".join(answers),
        answer_keys=tuple(str(k) for k in keys if str(k).strip()),
        evidence=evidence,
        type=kind or ("question" if answerable else "unanswerable"),
        evidence_titles=titles,
        answers=answers,
        article_id=_article_id(record.get("article_id")),
        history=_history(record.get("history")),
        filters=_filters(record.get("filters")),
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

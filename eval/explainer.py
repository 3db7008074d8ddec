"""The explainer benchmark's pure parts: the two ways a question is asked, and the figures by kind.

- chat: as newsroom staff ask it, after the topic turn (the record's `history`), with no filters;
- scoped: alone, with `filters.article_ids = [article_id]` (no history), as a bot that knows the story.

Figures, per mode and per question kind: of the answerable questions, the share answered with a
correct citation (a citation from the question's article whose supporting sentence holds a gold
evidence string) and the share whose answer holds an answer key; of the unanswerable ones, the share
refused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from eval.questions import Question, QuestionFilters
from eval.report import aligned
from eval.results import QuestionResult

MODES = ("chat", "scoped")
GOAL_CITED = 0.85  # issue 12: answered with a correct citation
GOAL_REFUSED = 0.80  # issue 12: unanswerable refused
_SEP = "/"


def as_asked(question: Question, mode: str) -> Question | None:
    """The question as `mode` asks it, its id prefixed by the mode; None when the mode does not
    apply (scoped needs the question's article: a "no story" question has none)."""
    if mode == "chat":
        return replace(question, id=f"chat{_SEP}{question.id}", filters=None)
    if mode == "scoped":
        if not question.article_id:
            return None
        scope = QuestionFilters(article_ids=(question.article_id,))
        return replace(question, id=f"scoped{_SEP}{question.id}", history=(), filters=scope)
    raise ValueError(f"unknown mode {mode!r} (modes: {', '.join(MODES)})")


def questions_for(questions: Sequence[Question], modes: Sequence[str]) -> list[Question]:
    """Every question in every mode, mode after mode."""
    return [q for mode in modes for base in questions if (q := as_asked(base, mode)) is not None]


def mode_of(result: QuestionResult) -> str:
    return result.id.split(_SEP, 1)[0]


@dataclass(frozen=True)
class KindFigures:
    answerable: int
    cited: float | None  # answered with a correct citation (supporting sentence)
    cited_passage: float | None  # ... the cited passage holds the evidence (a looser reading)
    keyed: float | None  # the answer holds an answer key (strict accuracy on answerable questions)
    wrongly_refused: float | None  # answerable questions refused
    unanswerable: int
    refused: float | None  # unanswerable questions refused


def _share(values: Sequence[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def figures(results: Sequence[QuestionResult]) -> KindFigures:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    scored = [r for r in answerable if r.cited_ok is not None]
    return KindFigures(
        answerable=len(answerable),
        cited=_share([bool(r.cited_ok) for r in scored]),
        cited_passage=_share([bool(r.cited_passage_ok) for r in scored]),
        keyed=_share([r.strict for r in answerable]),
        wrongly_refused=_share([r.refused for r in answerable]),
        unanswerable=len(unanswerable),
        refused=_share([r.refused for r in unanswerable]),
    )


def by_kind(results: Sequence[QuestionResult]) -> dict[str, KindFigures]:
    """ "all" first, then each kind in order of first appearance."""
    kinds: dict[str, list[QuestionResult]] = {}
    for result in results:
        kinds.setdefault(result.type, []).append(result)
    return {"all": figures(results), **{k: figures(rs) for k, rs in kinds.items()}}


def by_mode(results: Sequence[QuestionResult]) -> dict[str, dict[str, KindFigures]]:
    modes: dict[str, list[QuestionResult]] = {}
    for result in results:
        modes.setdefault(mode_of(result), []).append(result)
    return {mode: by_kind(rs) for mode, rs in modes.items()}


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def table(rows: dict[str, KindFigures]) -> str:
    header = ["kind", "n", "cited right", "cited passage", "answer key", "refused wrongly",
              "n unans.", "unans. refused"]  # fmt: skip
    body = [
        [
            kind,
            str(f.answerable),
            _cell(f.cited),
            _cell(f.cited_passage),
            _cell(f.keyed),
            _cell(f.wrongly_refused),
            str(f.unanswerable),
            _cell(f.refused),
        ]
        for kind, f in rows.items()
    ]
    return aligned([header, *body])


def verdict(
    overall: KindFigures, goal_cited: float = GOAL_CITED, goal_refused: float = GOAL_REFUSED
) -> str:
    """The overall figures against the goals (issue 12's by default; other benches pass theirs)."""

    def one(value: float | None, goal: float, what: str) -> str:
        if value is None:
            return f"{what} n/a"
        return f"{what} {value:.3f} (goal {goal:.2f}: {'met' if value >= goal else 'not met'})"

    return "; ".join(
        (
            one(overall.cited, goal_cited, "answered with a correct citation"),
            one(overall.refused, goal_refused, "unanswerable refused"),
        )
    )


def miss_lines(results: Sequence[QuestionResult]) -> list[str]:
    """One line per miss (answerable not answered with a correct citation, unanswerable answered)."""
    lines = []
    for r in results:
        if r.missed:
            said = "(refused)" if r.refused else " ".join(r.answer.split())[:160]
            lines.append(f"MISS {r.id} [{r.type}] {r.question!r}: {said}")
    return lines


def results_json(
    figures: dict[str, dict[str, KindFigures]], results: Sequence[QuestionResult], **head: object
) -> str:
    """Every result with the figures by mode and kind (`head`: what the bench adds on top)."""
    body = {
        **head,
        "figures": {m: {k: asdict(f) for k, f in rows.items()} for m, rows in figures.items()},
        "results": [asdict(r) for r in results],
    }
    return json.dumps(body, ensure_ascii=False, indent=1)

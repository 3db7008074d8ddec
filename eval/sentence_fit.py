"""The listwise fit of the sentence weights (qa/extractive/weights.py) and the measures that judge it.

Pure numpy. A question's candidates compete in a softmax over their scores, scored as the answerer
scores them (the weighted sum of the signals, times the untyped factor) divided by a temperature; the
loss is minus the log of the probability that the top sentence holds the gold answer, averaged over
the questions that have both a gold and a non-gold candidate, plus a pull towards the hand weights
(`pull`: 0 fits freely, large keeps the hand weights). Weights stay >= 0 and the untyped factor in
[0.3, 1]: the fit keeps the scorer's form, so its scores stay on the hand scale that the answer's
keep rule (`keep_ratio` of the best score) and the refusal threshold were set on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from eval.sentence_records import CandidateRecord, QuestionRecord
from qa.extractive.weights import SentenceWeights

UNTYPED_RANGE = (0.3, 1.0)
STEPS = 3000
LEARNING_RATE = 0.01
MIN_SUPPORT = 0.34  # qa/settings.py AnswerSettings.min_support: the refusal threshold
MAX_SENTENCES = 3  # AnswerSettings.max_sentences


@dataclass(frozen=True)
class Arrays:
    """All candidates of the fitted questions, concatenated; `starts` opens each question."""

    x: np.ndarray  # (n, signals)
    untyped: np.ndarray  # (n,) 1.0 where the sentence lacks the regex type asked for
    gold: np.ndarray  # (n,) bool
    starts: np.ndarray  # (questions,)


def arrays(records: Sequence[QuestionRecord], passages: int) -> Arrays:
    """The candidates of passages ranked below `passages`, of questions with a gold and a non-gold
    one (the others cannot tell weights apart). Entity-typed factors are not fitted: the default
    index stores no entities."""
    rows: list[CandidateRecord] = []
    starts: list[int] = []
    for record in records:
        kept = [c for c in record.candidates if c.passage < passages]
        if not any(c.gold for c in kept) or all(c.gold for c in kept):
            continue
        starts.append(len(rows))
        rows.extend(kept)
    return Arrays(
        x=np.array([c.signals for c in rows], dtype=float).reshape(len(rows), -1),
        untyped=np.array([c.untyped and not c.entity for c in rows], dtype=float),
        gold=np.array([c.gold for c in rows], dtype=bool),
        starts=np.array(starts, dtype=int),
    )


def _segment_max(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.maximum.reduceat(values, starts)


def _segment_sum(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.add.reduceat(values, starts)


def loss_and_gradient(
    params: np.ndarray, data: Arrays, hand: np.ndarray, pull: float
) -> tuple[float, np.ndarray]:
    """params = (weights..., untyped factor, log temperature); hand = (weights..., untyped)."""
    k = data.x.shape[1]
    w, u, log_t = params[:k], params[k], params[k + 1]
    t = np.exp(log_t)
    factor = np.where(data.untyped > 0, u, 1.0)
    linear = data.x @ w
    logits = linear * factor / t
    sizes = np.diff(np.append(data.starts, len(logits)))
    shifted = logits - np.repeat(_segment_max(logits, data.starts), sizes)
    e = np.exp(shifted)
    p = e / np.repeat(_segment_sum(e, data.starts), sizes)
    gold_mass = _segment_sum(np.where(data.gold, p, 0.0), data.starts)
    questions = len(data.starts)
    loss = -np.log(np.maximum(gold_mass, 1e-300)).mean()
    q = np.where(data.gold, p, 0.0) / np.repeat(gold_mass, sizes)
    d_logit = (p - q) / questions
    grad_w = data.x.T @ (d_logit * factor / t)
    grad_u = float(np.sum(d_logit * linear * data.untyped / t))
    grad_log_t = float(-np.sum(d_logit * logits))
    delta = params[: k + 1] - hand  # the weights and the untyped factor, pulled to the hand ones
    loss += pull * float(np.sum(delta**2))
    grad = np.concatenate([grad_w, [grad_u, grad_log_t]])
    grad[: k + 1] += 2 * pull * delta
    return float(loss), grad


def fit(
    records: Sequence[QuestionRecord], start: SentenceWeights, pull: float, passages: int
) -> SentenceWeights:
    """Weights and untyped factor fitted by projected Adam from `start` (deterministic)."""
    data = arrays(records, passages)
    if not len(data.starts):
        raise ValueError("no question has both a gold and a non-gold candidate: nothing to fit")
    k = data.x.shape[1]
    hand = np.array([*start.linear, start.untyped])
    params = np.concatenate([hand, [np.log(0.1)]])
    m, v = np.zeros_like(params), np.zeros_like(params)
    for step in range(1, STEPS + 1):
        _, grad = loss_and_gradient(params, data, hand, pull)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        params -= LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        params[:k] = np.maximum(params[:k], 0.0)
        params[k] = np.clip(params[k], *UNTYPED_RANGE)
    return replace(
        start,
        linear=tuple(round(float(w), 4) for w in params[:k]),
        untyped=round(float(params[k]), 4),
    )


# -- measures on records, as the answer composer would choose -------------------------------------


def _scored(
    record: QuestionRecord, weights: SentenceWeights, passages: int
) -> list[tuple[float, CandidateRecord]]:
    seen = [c for c in record.candidates if c.passage < passages]
    scored = [(weights.score(c.signals, c.untyped, c.entity), c) for c in seen]
    return sorted(scored, key=lambda sc: -sc[0])


def chosen(
    record: QuestionRecord, weights: SentenceWeights, passages: int = 5
) -> list[CandidateRecord]:
    """compose.compose's choice: refused ([]) when the top sentence's support is under the
    threshold, else the top and those scoring >= keep_ratio of it with some support."""
    scored = _scored(record, weights, passages)
    if not scored or scored[0][1].support < MIN_SUPPORT:
        return []
    top = scored[0][0]
    kept = [scored[0][1]]
    for score, candidate in scored[1:]:
        if len(kept) == MAX_SENTENCES or score < weights.keep_ratio * top:
            break
        if candidate.support > 0:
            kept.append(candidate)
    return kept


@dataclass(frozen=True)
class Measures:
    questions: int
    top_gold: float  # the top sentence holds the gold answer
    kept_gold: float  # a kept sentence holds it (the bench's strict, scoped, from these records)
    kept: float  # sentences kept per answered question
    refused: float


def measure(
    records: Sequence[QuestionRecord], weights: SentenceWeights, passages: int = 5
) -> Measures:
    tops, kepts, counts, refused = [], [], [], []
    for record in records:
        kept = chosen(record, weights, passages)
        scored = _scored(record, weights, passages)
        tops.append(bool(scored) and scored[0][1].gold)
        kepts.append(any(c.gold for c in kept))
        refused.append(not kept)
        if kept:
            counts.append(len(kept))
    n = max(len(records), 1)
    return Measures(
        questions=len(records),
        top_gold=round(sum(tops) / n, 3),
        kept_gold=round(sum(kepts) / n, 3),
        kept=round(float(np.mean(counts)) if counts else 0.0, 3),
        refused=round(sum(refused) / n, 3),
    )


def matched_keep_ratio(
    records: Sequence[QuestionRecord],
    fitted: SentenceWeights,
    hand: SentenceWeights,
    passages: int = 5,
) -> float:
    """The keep ratio at which the fitted weights keep as many sentences per answer as the hand
    weights do on the same questions: the fit changes which sentences lead, not how long answers
    are (a longer answer cites gold more often by length alone)."""
    goal = measure(records, hand, passages).kept
    grid = [round(0.5 + step / 100, 2) for step in range(50)]
    return min(
        grid,
        key=lambda r: (
            abs(measure(records, replace(fitted, keep_ratio=r), passages).kept - goal),
            -r,
        ),
    )


PULLS = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
FOLDS = 5


def choose_pull(
    records: Sequence[QuestionRecord],
    start: SentenceWeights,
    passages: int,
    pulls: Sequence[float] = PULLS,
) -> tuple[float, dict[float, float]]:
    """The pull whose fits, their keep ratio matched (see matched_keep_ratio), cite the gold most
    often on weeks they were not fitted on (FOLDS folds of whole weeks: questions of one week share
    stories); ties go to the larger pull (closer to the hand weights)."""
    weeks = sorted({r.week for r in records})
    folds = [set(weeks[i::FOLDS]) for i in range(min(FOLDS, len(weeks)))]
    held: dict[float, float] = {}
    for pull in pulls:
        hits = 0.0
        for fold in folds:
            train = [r for r in records if r.week not in fold]
            test = [r for r in records if r.week in fold]
            fitted = fit(train, start, pull, passages)
            fitted = replace(fitted, keep_ratio=matched_keep_ratio(train, fitted, start))
            hits += measure(test, fitted).kept_gold * len(test)
        held[pull] = round(hits / len(records), 3)
    best = max(pulls, key=lambda p: (held[p], p))
    return best, held

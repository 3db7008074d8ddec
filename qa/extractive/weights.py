"""How the extractive scorer combines a sentence's signals into its score.

A sentence's score is a weighted sum of named signals (SIGNALS, each 0..1), multiplied by `untyped`
(or `untyped_entity`) when the question asks for a type of answer the sentence does not hold. The
answer keeps the sentences scoring at least `keep_ratio` of the best one.

The hand weights (HAND) were calibrated on our seed questions. `python -m eval.fit_sentence --write`
refits them on third-party questions (RealTimeQA dev weeks) and stores the result in
sentence_weights.json beside this file, with what it was fitted on; when that file is absent the
hand weights are used. A file that is present but malformed is an error, never silently ignored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# semantic: cosine to the question, rescaled; coverage: weighted share of the question's terms met;
# in_context: the same with the article's title and section; heading: the section heading is the
# question; cue: a cue word of the question's kind; rank, position: 1 / (1 + passage rank or the
# sentence's place in its passage); retrieval: the passage's fused retrieval score; new_name: a
# capitalised name the question does not hold (what "who" and "which" questions ask for).
SIGNALS = (
    "semantic",
    "coverage",
    "in_context",
    "heading",
    "cue",
    "rank",
    "position",
    "retrieval",
    "new_name",
)
WEIGHTS_FILE = Path(__file__).with_name("sentence_weights.json")


class WeightsError(ValueError):
    """The weights file cannot be used as it is."""


@dataclass(frozen=True)
class SentenceWeights:
    linear: tuple[float, ...]  # one per SIGNALS name, in that order
    untyped: float  # factor of a sentence without the regex type asked for ("how many": a number)
    untyped_entity: float  # ... without the entity label asked for ("which team": ORG)
    keep_ratio: float = 0.75  # keep sentences scoring at least this share of the best
    fitted_on: dict[str, Any] = field(default_factory=dict, compare=False)

    def score(self, signals: Sequence[float], untyped: bool = False, entity: bool = False) -> float:
        total = sum(w * s for w, s in zip(self.linear, signals, strict=True))
        if untyped:
            total *= self.untyped_entity if entity else self.untyped
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "linear": dict(zip(SIGNALS, self.linear, strict=True)),
            "untyped": self.untyped,
            "untyped_entity": self.untyped_entity,
            "keep_ratio": self.keep_ratio,
            "fitted_on": self.fitted_on,
        }


# Calibrated by hand on eval/data/seed_questions.jsonl (see README).
HAND = SentenceWeights(
    linear=(0.40, 0.30, 0.10, 0.15, 0.08, 0.04, 0.01, 0.0, 0.0),
    untyped=0.7,
    # the NER misses or mislabels some answers ("Mahan Air" read as a FAC): a sentence without
    # the label could rank lower by less; the same factor measured best so far
    untyped_entity=0.7,
    fitted_on={"by": "hand, on the seed questions"},
)


def _number(raw: dict[str, Any], name: str, low: float, high: float) -> float:
    value = raw.get(name)
    if not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
        raise WeightsError(f"{name!r} must be a number in [{low}, {high}], not {value!r}")
    return float(value)


def parse(raw: Any) -> SentenceWeights:
    """The weights of a decoded JSON object; WeightsError naming what is wrong."""
    if not isinstance(raw, dict) or not isinstance(raw.get("linear"), dict):
        raise WeightsError("expected an object with a 'linear' object of signal weights")
    linear = raw["linear"]
    unknown = set(linear) - set(SIGNALS)
    missing = set(SIGNALS) - set(linear)
    if unknown or missing:
        raise WeightsError(f"signals unknown {sorted(unknown)}, missing {sorted(missing)}")
    weights = tuple(_number(linear, name, 0.0, 10.0) for name in SIGNALS)
    if not any(weights):
        raise WeightsError("every signal weight is 0: no sentence could rank above another")
    fitted_on = raw.get("fitted_on", {})
    return SentenceWeights(
        linear=weights,
        untyped=_number(raw, "untyped", 0.0, 1.0),
        untyped_entity=_number(raw, "untyped_entity", 0.0, 1.0),
        keep_ratio=_number(raw, "keep_ratio", 0.0, 1.0),
        fitted_on=fitted_on if isinstance(fitted_on, dict) else {},
    )


def load(path: Path = WEIGHTS_FILE) -> SentenceWeights:
    """The fitted weights of `path`, or HAND when there is no such file."""
    if not path.is_file():
        return HAND
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise WeightsError(f"{path}: {err}") from err
    try:
        return parse(raw)
    except WeightsError as err:
        raise WeightsError(f"{path}: {err}") from err


def save(weights: SentenceWeights, path: Path = WEIGHTS_FILE) -> None:
    path.write_text(json.dumps(weights.as_dict(), indent=1) + "\n", encoding="utf-8")

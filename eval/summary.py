"""Aggregate scored questions into the report's metrics: per suite, per question type, per gold kind.

Every metric is computed over the questions it applies to (retrieval and citations: answerable questions
with evidence; refusals: all questions) and is None when none apply, so "n/a" is never shown as 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from eval.results import QuestionResult

Summary = dict[str, float | int | None]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str  # "rate" (0..1), "ms" or "count"


METRICS: tuple[Metric, ...] = (
    Metric("n", "questions", "count"),
    Metric("hits4", "Hits@4", "rate"),
    Metric("hits10", "Hits@10", "rate"),
    Metric("mrr10", "MRR@10", "rate"),
    Metric("map10", "MAP@10", "rate"),
    Metric("articles4", "ArtRecall@4", "rate"),
    Metric("articles10", "ArtRecall@10", "rate"),
    Metric("strict", "strict acc", "rate"),
    Metric("lenient", "lenient acc", "rate"),
    Metric("refusal_precision", "refusal P", "rate"),
    Metric("refusal_recall", "refusal R", "rate"),
    Metric("citation_precision", "citation P", "rate"),
    Metric("citation_recall", "citation R", "rate"),
    Metric("cited_ok", "cited right", "rate"),
    Metric("supported", "supported", "rate"),
    Metric("degraded", "degraded", "rate"),
    Metric("errors", "errors", "count"),
    Metric("p50_ms", "p50 ms", "ms"),
    Metric("p95_ms", "p95 ms", "ms"),
)
LABELS = {m.key: m.label for m in METRICS}


def _mean(values: Iterable[float | bool | None]) -> float | None:
    kept = [float(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def _share(items: Sequence[QuestionResult], test: Callable[[QuestionResult], bool]) -> float | None:
    return sum(map(test, items)) / len(items) if items else None


def percentile(values: Sequence[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


def summarise(results: Sequence[QuestionResult]) -> Summary:
    ranked = [r for r in results if r.retrieval_scored]
    answered = [r for r in results if not r.error]
    refused = [r for r in answered if r.refused]
    unanswerable = [r for r in results if not r.answerable]
    spoken = [r for r in answered if not r.refused]
    sentences = sum(r.sentences for r in spoken)
    latencies = [r.latency_ms for r in answered if r.latency_ms is not None]
    return {
        "n": len(results),
        "hits4": _share(ranked, lambda r: r.first_rank is not None and r.first_rank <= 4),
        "hits10": _share(ranked, lambda r: r.first_rank is not None),
        "mrr10": _mean(r.rr10 for r in ranked),
        "map10": _mean(r.ap10 for r in ranked),
        "articles4": _mean(r.articles4 for r in ranked),
        "articles10": _mean(r.articles10 for r in ranked),
        "strict": _share(results, lambda r: r.strict),
        "lenient": _mean(r.lenient for r in results),
        "refusal_precision": _share(refused, lambda r: not r.answerable) if unanswerable else None,
        "refusal_recall": _share(unanswerable, lambda r: r.refused),
        "citation_precision": _mean(r.citation_precision for r in results),
        "citation_recall": _mean(r.citation_recall for r in results),
        "cited_ok": _mean(r.cited_ok for r in results),
        "supported": sum(r.supported for r in spoken) / sentences if sentences else None,
        "degraded": _share(answered, lambda r: r.degraded is not None),
        "errors": len(results) - len(answered),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
    }


def grouped(
    results: Sequence[QuestionResult], key: Callable[[QuestionResult], str]
) -> dict[str, Summary]:
    """ "all" first, then one summary per group in order of first appearance."""
    groups: dict[str, list[QuestionResult]] = {}
    for result in results:
        groups.setdefault(key(result), []).append(result)
    return {"all": summarise(results), **{name: summarise(g) for name, g in groups.items()}}


def weakest(by_type: dict[str, Summary], metric: str = "strict") -> list[tuple[str, float]]:
    """Question types ordered from the lowest value of `metric` up (the "all" row left out)."""
    scored = [(t, s[metric]) for t, s in by_type.items() if t != "all" and s[metric] is not None]
    return sorted(scored, key=lambda pair: pair[1])  # type: ignore[arg-type, return-value]


def one_line(name: str, summary: Summary) -> str:
    parts = [f"{name}: {summary['n']} questions"]
    for key in (
        "strict",
        "lenient",
        "hits10",
        "mrr10",
        "refusal_precision",
        "refusal_recall",
        "citation_precision",
        "citation_recall",
        "supported",
    ):
        value = summary[key]
        parts.append(f"{LABELS[key]} {'n/a' if value is None else f'{value:.3f}'}")
    for key in ("p50_ms", "p95_ms"):
        value = summary[key]
        parts.append(f"{LABELS[key].split()[0]} {'n/a' if value is None else f'{value:.0f} ms'}")
    if summary["degraded"]:
        parts.append(f"degraded {summary['degraded']:.3f}")
    if summary["errors"]:
        parts.append(f"{summary['errors']} errors")
    return ", ".join(parts)


def degraded_reasons(results: Sequence[QuestionResult]) -> list[tuple[str, int]]:
    """Why answers fell back to the extractive backend, most frequent first."""
    return Counter(r.degraded for r in results if r.degraded).most_common()

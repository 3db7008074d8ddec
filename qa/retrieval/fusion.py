"""Fusing the dense and BM25 rankings: by rank alone (RRF), or by their scores scaled to [0, 1]."""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], k: int = 60, weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """score(d) = sum_i w_i / (k + rank_i(d)), ranks from 1; ties keep first-seen order."""
    weights = weights or [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def relative_score_fusion(
    scored: Sequence[Sequence[tuple[str, float]]], weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """score(d) = sum_i w_i * (s_i(d) - min_i) / (max_i - min_i) over each list's candidates.

    Unlike RRF this keeps how far ahead a hit is: a chunk that alone contains a rare name the
    question asks about leads BM25 by a wide margin and is not outvoted by passages that are
    merely close in meaning (RRF let a dense rank of ~100 sink such a BM25 first place)."""
    weights = weights or [1.0] * len(scored)
    if len(weights) != len(scored):
        raise ValueError("one weight per ranking")
    scores: dict[str, float] = {}
    for hits, weight in zip(scored, weights, strict=True):
        if not hits:
            continue
        values = [s for _, s in hits]
        low, span = min(values), max(values) - min(values)
        for item, value in hits:
            scaled = (value - low) / span if span > 0 else 1.0
            scores[item] = scores.get(item, 0.0) + weight * scaled
    return sorted(scores.items(), key=lambda pair: -pair[1])

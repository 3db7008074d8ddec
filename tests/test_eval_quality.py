"""CI's quality floor: the seed suite and the first 100 MultiHop-RAG questions, in-process, offline
backend. Fails when retrieval, answers, refusals or citations fall below what was measured (minus a
small margin), so a change that makes newsdesk worse is caught here rather than in a report.

Measured (2026-11-24, hybrid with relative score fusion, top_k 5, chunks 200/40, extractive
backend); the floors sit one or two questions below (a seed question is 0.02, a seed refusal 0.11,
a benchmark null question 0.1), and were set against rank fusion's slightly lower figures:
  seed (51):      strict 0.824, lenient 0.824, Hits@4 0.929, MRR@10 0.798, citation P 0.741,
                  citation R 0.782, refusal P 0.636, refusal R 0.778
  multihop (100): strict 0.420, lenient 0.460, Hits@4 0.978, Hits@10 0.989, MRR@10 0.921,
                  ArtRecall@10 0.733, citation P 0.732, citation R 0.609, refusal P 0.900, refusal R 0.900
Run `newsdesk eval --suite seed` / `--suite multihop --limit 100` to see the same figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.configs import RunConfig
from eval.suites import load_suite
from eval.summary import summarise

FLOORS = {
    "seed": {
        "strict": 0.78,
        "lenient": 0.78,
        "hits4": 0.89,
        "mrr10": 0.75,
        "citation_precision": 0.69,
        "citation_recall": 0.75,
        "refusal_precision": 0.55,
        "refusal_recall": 0.66,
    },
    "multihop": {
        "strict": 0.39,
        "lenient": 0.43,
        "hits4": 0.95,
        "hits10": 0.97,
        "mrr10": 0.86,
        "articles10": 0.67,
        "citation_precision": 0.70,
        "citation_recall": 0.54,
        "refusal_precision": 0.70,
        "refusal_recall": 0.80,
    },
}


@pytest.fixture(scope="module")
def summaries(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    from eval.runner import run_in_process
    from qa.settings import Settings

    data_dir: Path = tmp_path_factory.mktemp("eval-quality") / "data"
    settings = Settings(data_dir=data_dir, backend="extractive")
    out = {}
    for name, limit in (("seed", None), ("multihop", 100)):
        suite = load_suite(name, limit=limit)
        [run] = run_in_process(suite, [RunConfig()], settings, embedder, progress=False)
        out[name] = summarise(run.results)
    return out


@pytest.mark.parametrize("suite", ["seed", "multihop"])
def test_quality_stays_above_the_floors(summaries, suite: str) -> None:  # type: ignore[no-untyped-def]
    summary = summaries[suite]
    assert summary["errors"] == 0
    below = {
        metric: (round(summary[metric], 3), floor)
        for metric, floor in FLOORS[suite].items()
        if summary[metric] is None or summary[metric] < floor
    }
    assert not below, f"{suite}: below the floor (measured, floor): {below}"

"""Fit how the extractive scorer combines a sentence's signals, on third-party questions.

    python -m eval.fit_sentence [--weeks 10] [--passages 10] [--pull auto|P] [--write]
                                [--check] [--records FILE] [--refresh]

Records every candidate sentence of RealTimeQA dev questions (eval/sentence_records.py), asked scoped
to their pages on the fit weeks (eval/fit_weeks.py: spread over dev, never the benchmark's 3 check
weeks, never the blind split), labelled by whether it holds the gold answer string. Then fits the
signal weights and the untyped factor (eval/sentence_fit.py), pulled towards the hand weights by the
pull whose answers cite the gold most often on fit weeks left out of the fit (`--pull auto`), and sets
the keep ratio so answers keep as many sentences as with the hand weights. Prints, for the hand and the fitted weights, on the
fit weeks and (`--check`) on the check weeks, read from the benchmark's own week indexes
(eval/out/realtimeqa, built by `python -m eval.realtimeqa_bench --split dev --weeks 3`): the share of
answerable questions whose top sentence holds the gold, whose kept sentences do, and sentences kept.

`--write` stores the fitted weights in qa/extractive/sentence_weights.json, which the answerer reads
(qa/extractive/weights.py); deleting that file restores the hand weights. Records are cached in
eval/local/realtimeqa_fit/ (`--refresh` records again, needed after a signal changes). The fit is
deterministic: the same records give the same file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from eval.fit_weeks import (
    CHECK_WEEKS,
    FIT_INDEX,
    add_fit_arguments,
    answerable_questions,
    dev_split,
    fit_weeks,
)
from eval.realtimeqa_bench import INDEX, pick_weeks
from eval.sentence_fit import choose_pull, fit, matched_keep_ratio, measure
from eval.sentence_records import QuestionRecord, load_records, record_question, save_records
from qa.extractive.weights import HAND, SIGNALS, WEIGHTS_FILE, save
from ui.offline import go_offline

OpenEngine = Callable[[str], Any]  # week -> an Engine over its pages (closed by the caller)


def record_weeks(
    weeks: Sequence[str], split_dir: Path, open_engine: OpenEngine, passages: int
) -> list[QuestionRecord]:
    records: list[QuestionRecord] = []
    for week in weeks:
        engine = open_engine(week)
        try:
            for q in answerable_questions(split_dir / week / "questions.jsonl"):
                records.append(
                    record_question(engine, q.id, week, q.question, q.gold, q.article_ids, passages)
                )
        finally:
            engine.close()
        print(f"{week}: recorded", file=sys.stderr)
    return records


def cached(
    path: Path, refresh: bool, build: Callable[[], list[QuestionRecord]]
) -> list[QuestionRecord]:
    if path.is_file() and not refresh:
        return load_records(path)
    records = build()
    save_records(records, path)
    return records


def bench_engine(settings: Any, embedder: Any) -> OpenEngine:
    """The check weeks' own indexes, as the benchmark built them (never ingested here)."""
    from eval.runner import _collection
    from eval.suites import Suite
    from index.store.store import Store
    from qa.engine import Engine

    def open_engine(week: str) -> Any:
        collection = _collection(Suite(f"rtqa-{week}", [], (Path("articles.jsonl"),)), settings)
        store = Store.open(settings.data_dir, settings.chroma_url, collection)
        if not store.versions():
            store.close()
            raise SystemExit(
                f"{week} has no index under {settings.data_dir}: run "
                "python -m eval.realtimeqa_bench --split dev --weeks 3 first"
            )
        engine = Engine(settings.model_copy(update={"collection": collection}), store, embedder)
        engine.warm_up()
        return engine

    return open_engine


def report(label: str, records: Sequence[QuestionRecord], weights: Any) -> str:
    m = measure(records, weights)
    return (
        f"{label}: {m.questions} questions, top holds gold {m.top_gold:.3f}, kept hold gold "
        f"{m.kept_gold:.3f}, {m.kept:.2f} sentences kept, refused {m.refused:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    go_offline()
    from eval.fit_weeks import week_engine
    from qa.engine import make_embedder
    from qa.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m eval.fit_sentence")
    add_fit_arguments(parser, 10, WEIGHTS_FILE.name)
    parser.add_argument("--passages", type=int, default=10, help="passages recorded and fitted")
    parser.add_argument(
        "--pull", default="auto", help="pull towards the hand weights, or auto (chosen by folds)"
    )
    args = parser.parse_args(argv)
    split_dir, available = dev_split(parser)
    weeks = fit_weeks(available, args.weeks)
    embedder = make_embedder(Settings().embedding)
    fit_settings = Settings(data_dir=FIT_INDEX)
    records = cached(
        args.records / f"records-{args.weeks}w-{args.passages}p.jsonl",
        args.refresh,
        lambda: record_weeks(
            weeks,
            split_dir,
            lambda week: week_engine(week, split_dir, fit_settings, embedder),
            args.passages,
        ),
    )
    if args.pull == "auto":
        pull, held = choose_pull(records, HAND, args.passages)
        print(
            "pull: kept sentences hold the gold, on weeks not fitted on: "
            + ", ".join(f"{p} {v:.3f}" for p, v in held.items())
        )
    else:
        pull = float(args.pull)
    fitted = fit(records, HAND, pull, args.passages)
    fitted = replace(fitted, keep_ratio=matched_keep_ratio(records, fitted, HAND))
    fitted = replace(
        fitted,
        fitted_on={
            "by": "python -m eval.fit_sentence",
            "data": "RealTimeQA dev, scoped askings",
            "weeks": weeks,
            "questions": len(records),
            "passages": args.passages,
            "pull": pull,
        },
    )
    print(f"fit weeks: {', '.join(weeks)}")
    print("weights: " + ", ".join(f"{n} {w}" for n, w in zip(SIGNALS, fitted.linear, strict=True)))
    print(f"untyped {fitted.untyped}, keep ratio {fitted.keep_ratio}")
    print(report("fit weeks, hand", records, HAND))
    print(report("fit weeks, fitted", records, fitted))
    if args.check:
        check = pick_weeks(available, CHECK_WEEKS)
        check_records = cached(
            args.records / f"records-check-{args.passages}p.jsonl",
            args.refresh,
            lambda: record_weeks(
                check, split_dir, bench_engine(Settings(data_dir=INDEX), embedder), args.passages
            ),
        )
        print(report("check weeks, hand", check_records, HAND))
        print(report("check weeks, fitted", check_records, fitted))
    if args.write:
        save(fitted)
        print(f"wrote {WEIGHTS_FILE}: {asdict(fitted)['fitted_on']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Explainer benchmark: the Wikinews explainer questions (eval/data/explainer_questions.jsonl) over the
317 Wikinews articles, ingested into the suite's own collection, asked in two modes (see
eval/explainer.py): in a chat after the topic turn, and scoped to the article. Prints, per mode and
question kind, the share answered with a correct citation and the share of unanswerable questions
refused, against the goals of issue 12 (0.85 and 0.80).

    python -m eval.explainer_bench [--backend extractive|openai] [--modes chat scoped] [--limit N]
                                   [--questions FILE] [--only-asked] [--data-dir DIR]
                                   [--out results.json] [--verbose] [--throughput]

`--questions FILE` asks another question file in the same format (e.g. the held-out set
eval/data/explainer_heldout.jsonl) over the same corpus, in the same collection.

`--backend openai` asks the OpenAI-compatible server of the LLM settings (NEWSDESK_LLM__BASE_URL,
NEWSDESK_LLM__MODEL, NEWSDESK_LLM__API_KEY, ...). Without `--data-dir` the corpus is ingested into a
temporary directory (about two minutes on 2 cores); with it the collection is kept and reused.
`--only-asked` ingests only the articles the questions are about (a quick check: no distractors, so
its figures are not the benchmark's). `--throughput` also ingests the corpus into a fresh index and
prints ingest throughput against the raw model on the same chunks (as eval/seed_bench.py does).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from eval.questions import EXPLAINER_QUESTIONS, WIKINEWS_CORPUS
from eval.suites import EXPLAINER_NOTE, Suite, SuiteError, load_suite
from ui.offline import go_offline


def main(argv: list[str] | None = None) -> int:
    go_offline()
    from eval.configs import RunConfig
    from eval.explainer import (
        MODES,
        by_mode,
        miss_lines,
        questions_for,
        results_json,
        table,
        verdict,
    )
    from eval.perf_common import ingest_against_raw_model
    from eval.runner import run_in_process
    from qa.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m eval.explainer_bench")
    parser.add_argument("--backend", choices=["extractive", "openai"], default="extractive")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument(
        "--questions",
        type=Path,
        default=EXPLAINER_QUESTIONS,
        help="question file (JSON Lines, explainer format) asked over the Wikinews corpus",
    )
    parser.add_argument(
        "--only-asked", action="store_true", help="ingest only the articles the questions ask about"
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the index here")
    parser.add_argument("--out", type=Path, default=None, help="write every result as JSON")
    parser.add_argument("--verbose", action="store_true", help="print each miss")
    parser.add_argument(
        "--throughput", action="store_true", help="also time ingest against the raw model"
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")

    try:
        base = explainer_suite(args.questions, args.limit)
    except SuiteError as err:
        parser.error(str(err))
    with tempfile.TemporaryDirectory() as tmp:
        corpus, name = base.corpus, base.name
        if args.only_asked:
            corpus, name = (asked_articles(base, Path(tmp) / "asked.jsonl"),), "explainer-asked"
        suite = Suite(name, questions_for(base.questions, args.modes), corpus, base.note)
        settings = Settings(data_dir=args.data_dir or Path(tmp))
        started = time.perf_counter()
        (run,) = run_in_process(suite, [RunConfig(backend=args.backend)], settings, progress=False)
        seconds = time.perf_counter() - started
        throughput = (
            ingest_against_raw_model(corpus, Path(tmp) / "throughput") if args.throughput else None
        )
    figures = by_mode(run.results)
    print(
        f"explainer questions: {len(base.questions)} "
        f"({sum(q.answerable for q in base.questions)} answerable) over "
        f"{len({q.article_id for q in base.questions if q.article_id})} Wikinews articles; "
        f"backend {args.backend}; ingest {run.setup['ingest']}; {seconds:.0f} s in all"
    )
    if throughput:
        print(f"ingest (Wikinews corpus, fresh index): {throughput}")
    for mode, rows in figures.items():
        print(f"\n{mode}: {verdict(rows['all'])}")
        print(table(rows))
    degraded = sum(r.degraded is not None for r in run.results)
    if degraded:
        print(f"\n{degraded} of {len(run.results)} answers degraded to extractive", file=sys.stderr)
    if args.verbose:
        for line in miss_lines(run.results):
            print(line)
    if args.out:
        args.out.write_text(results_json(figures, run.results, setup=run.setup), encoding="utf-8")
    return 0


def explainer_suite(questions: Path, limit: int | None = None) -> Suite:
    """The explainer suite with its questions read from `questions`: the corpus, name (so the
    collection) and note stay the explainer suite's, since only the questions differ."""
    loaded = load_suite(str(questions), corpus=(WIKINEWS_CORPUS,), limit=limit)
    return Suite("explainer", loaded.questions, loaded.corpus, EXPLAINER_NOTE)


def asked_articles(suite, path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The suite's corpus records whose id a question names, written to `path`."""
    wanted = {q.article_id for q in suite.questions if q.article_id}
    with path.open("w", encoding="utf-8") as out:
        for corpus in suite.corpus:
            for line in corpus.read_text(encoding="utf-8").splitlines():
                if line.strip() and json.loads(line).get("id") in wanted:
                    out.write(line + "\n")
    return path


if __name__ == "__main__":
    sys.exit(main())

"""`newsdesk eval`: score the library in-process, or a running service over HTTP, on a question suite.

    newsdesk eval --suite seed|multihop|explainer|QUESTIONS.jsonl [--backend extractive|openai] [--mode M] [--k N]
                  [--api URL --api-key KEY] [--limit N] [--out DIR] [--compare SPEC ...] [--corpus PATH ...]

Kept free of heavy imports: ui/cli.py imports it to build its parser.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C
DEFAULT_OUT = Path("eval") / "out"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--suite",
        required=True,
        help="seed, multihop, explainer, or a JSON Lines file of questions",
    )
    parser.add_argument("--backend", choices=["extractive", "openai"], default=None)
    parser.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default=None)
    parser.add_argument("--k", type=int, default=None, help="passages per answer (1-50)")
    parser.add_argument("--api", metavar="URL", help="score a running service at URL instead")
    parser.add_argument("--api-key", metavar="KEY", help="Bearer key for --api")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default eval/out/SUITE-TIME)"
    )
    parser.add_argument(
        "--compare",
        nargs="+",
        metavar="SPEC",
        help="run several configurations on the same questions: presets modes, chunks, topk, "
        "backends, or key=value[,key=value] with keys mode, k, chunk, overlap, backend, min_support",
    )
    parser.add_argument(
        "--corpus",
        nargs="+",
        type=Path,
        default=(),
        help="articles for a question file (ingested into the suite's own collection); "
        "without it a question file is scored against the index as it is",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def _fail(message: str, code: int) -> int:
    print(f"newsdesk eval: {message}", file=sys.stderr)
    return code


def run_eval(args: argparse.Namespace) -> int:
    from eval.configs import ConfigError, RunConfig, expand
    from eval.suites import SuiteError, load_suite

    if args.limit is not None and args.limit < 1:
        return _fail("--limit must be at least 1", EXIT_USAGE)
    if args.k is not None and not 1 <= args.k <= 50:
        return _fail("--k must be between 1 and 50", EXIT_USAGE)
    if args.api_key and not args.api:
        return _fail("--api-key needs --api URL", EXIT_USAGE)
    if args.api and args.corpus:
        return _fail("--corpus is for in-process runs: ingest into the service instead", EXIT_USAGE)
    base = RunConfig(mode=args.mode, top_k=args.k, backend=args.backend)
    if args.api and args.mode:
        return _fail("--mode cannot be set over HTTP (the service's settings fix it)", EXIT_USAGE)
    try:
        suite = load_suite(args.suite, args.corpus, args.limit)
        configs = expand(args.compare, base) if args.compare else [base]
        return _run(args, suite, configs)
    except (SuiteError, ConfigError) as err:
        return _fail(str(err), EXIT_USAGE)


def _run(args: argparse.Namespace, suite, configs) -> int:  # type: ignore[no-untyped-def]
    from eval.runner import Interrupted, run_http, run_in_process
    from eval.targets import TargetError
    from index.store.store import StoreError

    started = time.strftime("%Y-%m-%d %H:%M:%S")
    try:
        if args.api:
            runs = run_http(suite, configs, args.api, args.api_key, not args.quiet)
        else:
            runs = run_in_process(suite, configs, _settings(args), progress=not args.quiet)
    except Interrupted as stop:  # Ctrl-C: keep what was scored
        if not stop.runs:
            return _fail("interrupted before any question was scored", EXIT_INTERRUPTED)
        _write(args, suite, stop.runs, started, interrupted=True)
        return _fail(
            "interrupted: the results above cover the questions asked so far", EXIT_INTERRUPTED
        )
    except StoreError as err:
        hint = "another process using the data dir? pass --data-dir, or --api URL to score it"
        return _fail(f"{err} ({hint})", EXIT_FAILED)
    except TargetError as err:
        return _fail(str(err), EXIT_FAILED)
    _write(args, suite, runs, started)
    return 0


def _write(args: argparse.Namespace, suite, runs, started: str, interrupted: bool = False) -> None:  # type: ignore[no-untyped-def]
    from eval.report import COMPARE, text_table, write
    from eval.summary import degraded_reasons, one_line

    out = args.out or DEFAULT_OUT / f"{suite.name}-{time.strftime('%Y%m%d-%H%M%S')}"
    meta = {
        "created": started,
        "target": args.api or "in-process",
        "limit": args.limit,
        "interrupted": interrupted,
    }
    written, analyses = write(out, suite, runs, meta)
    if len(analyses) > 1:  # one table, a row per configuration
        rows = {a.run.config.label: a.summary for a in analyses}
        print(text_table(rows, COMPARE, f"{suite.name} ({len(suite.questions)} questions)"))
        print(f"report {written.markdown}")
    else:
        print(f"{one_line(suite.name, analyses[0].summary)}; report {written.markdown}")
    for analysis in analyses:
        for reason, count in degraded_reasons(analysis.run.results)[:1]:
            total = len(analysis.run.results)
            print(f"newsdesk eval: {count} of {total} answers degraded: {reason}", file=sys.stderr)
    if written.chart is None:
        print("newsdesk eval: no chart (matplotlib is not installed)", file=sys.stderr)


def _settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from qa.settings import Settings

    return Settings(**({"data_dir": args.data_dir} if getattr(args, "data_dir", None) else {}))

"""`newsdesk`: ingest articles, ask questions, serve the API and page, run evaluations."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ui.offline import go_offline

EXIT_USAGE = 2
EXIT_FAILED = 1
PROGRESS_FROM = 20  # articles; smaller runs print no bar


def _filters(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from index.formats.loaders import ArticleError, parse_published
    from qa.types import Filters

    try:
        return Filters(
            article_ids=tuple(args.article or ()),
            sources=tuple(args.source or ()),
            published_from=parse_published(args.published_from),
            published_to=parse_published(args.published_to),
        )
    except ArticleError as err:
        raise SystemExit(_fail(f"bad date filter: {err}", EXIT_USAGE)) from None


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"newsdesk: {message}", file=sys.stderr)
    return code


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from index.store.store import StoreError
    from qa.engine import Engine
    from qa.settings import Settings

    overrides = {"data_dir": args.data_dir} if args.data_dir else {}
    try:
        return Engine.from_settings(Settings(**overrides))
    except StoreError as err:
        raise SystemExit(_fail(str(err))) from None


def cmd_ingest(args: argparse.Namespace) -> int:
    from index.formats.loaders import load_paths

    engine = _engine(args)
    try:
        if args.delete:
            for article_id in args.delete:
                found = engine.delete(article_id)
                print(f"{'deleted' if found else 'no such article'}: {article_id}")
            return 0 if all(engine.article(a) is None for a in args.delete) else EXIT_FAILED
        # Leftovers of a killed ingest go first, automatically in an embedded data dir: cheap
        # (~0.1 ms a chunk) and safe, as no other process can be writing there. With a Chroma
        # server another writer's uncommitted chunks look the same, so there it takes --repair.
        if args.repair or engine.store.exclusive:
            removed = engine.store.repair()
            if args.repair or removed:
                print(f"removed {removed} orphaned chunks")
        loaded = load_paths([Path(p) for p in (args.paths or ["seeds"])])
        bar = None
        if len(loaded.articles) >= PROGRESS_FROM and not args.quiet:
            from tqdm import tqdm

            bar = tqdm(total=len(loaded.articles), unit="article", file=sys.stderr)
        report = engine.ingest_loaded(loaded, bar.update if bar else None)
        if bar:
            bar.close()
        for error in report.failed:
            print(f"skipped {error}", file=sys.stderr)
        for why in report.skipped:
            print(f"not an article: {why}", file=sys.stderr)
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
        print(f"ingest: {report.summary()} ({report.chunks} chunks written)")
        return (
            EXIT_FAILED
            if report.failed and not (report.added or report.updated or report.unchanged)
            else 0
        )
    finally:
        engine.close()


def _print_answer(answer, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return
    print(answer.answer)
    for c in answer.citations:
        where = f"{c.title}" + (f" — {c.section}" if c.section else "")
        print(f"  [{c.ref}] {where} ({c.article_id}, chars {c.start}-{c.end})")
    for s in answer.sentences:
        if not s.supported:
            print(f"  ! not supported by the passages it cites: {s.text}")
            for reason in s.reasons:
                print(f"    ({reason})")
        elif s.reasons:  # notes: checks whose flags alone are not evidence of an error
            print(f"  note on a supported sentence: {s.text}")
            for reason in s.reasons:
                print(f"    ({reason})")


def _ask(engine, question: str, args, filters) -> int:  # type: ignore[no-untyped-def]
    """Print one answer; a degraded one (the LLM failed) also prints why, and returns 1."""
    answer = engine.ask(question, args.k, filters, args.mode, backend=args.backend)
    _print_answer(answer, args.json)
    if answer.degraded:
        print(f"newsdesk: {answer.backend} answer instead: {answer.degraded}", file=sys.stderr)
        return EXIT_FAILED
    return 0


def _llm_problem(engine, args) -> str | None:  # type: ignore[no-untyped-def]
    """Why `--backend openai` cannot run at all (missing key or base URL), checked before asking."""
    if (args.backend or engine.settings.backend) != "openai":
        return None
    problem = engine.settings.llm.problem()
    return f"the openai backend is not usable: {problem}" if problem else None


def cmd_ask(args: argparse.Namespace) -> int:
    from qa.engine import QuestionError

    question = " ".join(args.question).strip() if args.question else None
    if question is not None and not question:
        return _fail("the question is empty", EXIT_USAGE)
    filters = _filters(args)
    engine = _engine(args)
    try:
        if problem := _llm_problem(engine, args):
            return _fail(problem, EXIT_USAGE)
        if question is not None:
            try:
                return _ask(engine, question, args, filters)
            except QuestionError as err:
                return _fail(str(err), EXIT_USAGE)
        return _interactive(engine, args, filters)
    finally:
        engine.close()


def _interactive(engine, args, filters) -> int:  # type: ignore[no-untyped-def]
    from qa.engine import QuestionError

    engine.warm_up()
    print("Ask a question about the indexed articles (empty line or Ctrl-D to quit).")
    while True:
        try:
            question = input("? ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            return 0
        try:
            _ask(engine, question, args, filters)
        except QuestionError as err:
            print(f"newsdesk: {err}", file=sys.stderr)


def cmd_timeline(args: argparse.Namespace) -> int:
    from ui.cli_timeline import run_timeline

    return run_timeline(args, _engine, _filters)


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.serve import serve_command

    return serve_command(args.data_dir, args.host, args.port, args.watch)


def cmd_watch(args: argparse.Namespace) -> int:
    import logging

    from ui.watch import Watcher

    folder = Path(args.folder)
    if not folder.is_dir():
        return _fail(f"not a folder: {folder}", EXIT_USAGE)
    engine = _engine(args)
    watcher = Watcher(engine, folder, args.poll, args.stable, args.polling, say=print)
    logging.basicConfig(level=logging.WARNING)
    try:
        if args.once:
            import time

            watcher.scan_once()  # a first look: files must then stand still for --stable
            time.sleep(args.stable)
            watcher.scan_once()
            return 0
        watcher.run()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        engine.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__)
    parser.add_argument(
        "--data-dir", help="where the index lives (default ./data, NEWSDESK_DATA_DIR)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="add or update articles (files or folders)")
    ingest.add_argument(
        "paths", nargs="*", help=".txt, .md or .jsonl files or folders (default seeds/)"
    )
    ingest.add_argument("--delete", action="append", metavar="ID", help="remove an article by id")
    ingest.add_argument(
        "--repair",
        action="store_true",
        help="remove chunks left by a crash first (automatic in an embedded data dir)",
    )
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest.set_defaults(func=cmd_ingest)

    ask = commands.add_parser("ask", help="ask a question (no question: interactive)")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--k", type=int, default=None, help="passages to retrieve")
    ask.add_argument("--json", action="store_true", help="the JSON contract for scripts")
    ask.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default=None)
    ask.add_argument(
        "--backend",
        choices=["extractive", "openai"],
        default=None,
        help="who writes the answer (default NEWSDESK_BACKEND, extractive); openai needs "
        "NEWSDESK_LLM_BASE_URL and/or NEWSDESK_LLM_API_KEY",
    )
    ask.add_argument("--article", action="append", metavar="ID", help="search only this article")
    ask.add_argument("--source", action="append", help="search only this outlet")
    ask.add_argument("--from", dest="published_from", help="published on or after (YYYY-MM-DD)")
    ask.add_argument("--to", dest="published_to", help="published on or before (YYYY-MM-DD)")
    ask.set_defaults(func=cmd_ask)

    from ui.cli_timeline import add_timeline_arguments

    add_timeline_arguments(commands, cmd_timeline)

    serve = commands.add_parser("serve", help="serve the HTTP API (see README, 'HTTP API')")
    serve.add_argument("--host", help="default 127.0.0.1; any other address needs API keys")
    serve.add_argument("--port", type=int, help="default 8000 (NEWSDESK_SERVER__PORT)")
    serve.add_argument("--watch", metavar="DIR", help="also ingest files dropped into DIR")
    serve.set_defaults(func=cmd_serve)

    watch = commands.add_parser("watch", help="ingest files as they are dropped into a folder")
    watch.add_argument("folder")
    watch.add_argument("--poll", type=float, default=0.5, help="seconds between scans")
    watch.add_argument(
        "--stable", type=float, default=1.0, help="seconds a file must stop changing first"
    )
    watch.add_argument("--polling", action="store_true", help="poll instead of inotify")
    watch.add_argument("--once", action="store_true", help="ingest what is there, then exit")
    watch.set_defaults(func=cmd_watch)

    from eval.cli import add_arguments, run_eval  # light: argparse only until it runs

    evaluate = commands.add_parser("eval", help="score answers, citations and refusals on a suite")
    add_arguments(evaluate)
    evaluate.set_defaults(func=run_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    go_offline()
    args = build_parser().parse_args(argv)
    if getattr(args, "k", None) is not None and not 1 <= args.k <= 50:
        return _fail("--k must be between 1 and 50", EXIT_USAGE)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

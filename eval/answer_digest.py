"""Fingerprints of every suite's answers, to prove a refactor changed no behaviour.

    python -m eval.answer_digest [--data-dir DIR] [--suites seed explainer heldout time multihop]
                                 [--out FILE]

Asks each suite's questions in-process with the extractive backend (the explainer sets in both of
their modes, chat and scoped; the time questions and their timelines as eval/time_bench.py asks them)
and prints the sha1 of the JSON of all the answers of each suite: the same digest before and after a
change means byte-identical answers. `--out` writes the answers themselves (one JSON line per
question), to diff when a digest differs. The indexes are kept in `--data-dir` (default
eval/out/digest-index) and reused, so a second run only asks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ui.offline import go_offline

SUITES = ("seed", "explainer", "heldout", "time", "multihop")


def _asked(suite: str) -> tuple[list[Path], list[Any]]:
    """(corpus, questions as eval.questions.Question) of a question suite."""
    from eval.explainer import MODES, questions_for
    from eval.questions import DATA, EXPLAINER_QUESTIONS, WIKINEWS_CORPUS
    from eval.suites import load_suite

    if suite in ("explainer", "heldout"):
        path = EXPLAINER_QUESTIONS if suite == "explainer" else DATA / "explainer_heldout.jsonl"
        base = load_suite(str(path), [WIKINEWS_CORPUS])
        return [WIKINEWS_CORPUS], questions_for(base.questions, MODES)
    loaded = load_suite(suite)
    return list(loaded.corpus), list(loaded.questions)


def _answers(engine: Any, suite: str, questions: list[Any]) -> Iterator[dict[str, Any]]:
    from eval.targets import engine_filters, engine_history

    for q in questions:
        answer = engine.ask(
            q.question, filters=engine_filters(q), history=engine_history(q), backend="extractive"
        )
        yield {"suite": suite, "id": q.id, "answer": answer.to_json()}


def _time_answers(engine: Any) -> Iterator[dict[str, Any]]:
    from eval.time_bench import GOLD, load_questions

    for q in load_questions():
        yield {"suite": "time", "id": q["id"], "answer": engine.ask(q["question"]).to_json()}
    for story in json.loads(GOLD.read_text())["stories"]:
        for name, kwargs in (("ids", {"article_ids": story["article_ids"]}), ("q", {})):
            timeline = engine.timeline(story["query"], **kwargs)
            yield {"suite": "time", "id": f"timeline/{name}/{story['query']}", "answer": timeline}


def _engine(data_dir: Path, collection: str, corpus: list[Path]) -> Any:
    from qa.engine import Engine
    from qa.settings import Settings

    engine = Engine.from_settings(Settings(data_dir=data_dir, collection=collection))
    if corpus:
        engine.ingest_paths(corpus)
    engine.warm_up()
    return engine


def main(argv: list[str] | None = None) -> int:
    go_offline()
    from eval.perf_common import OUT
    from eval.questions import WIKINEWS_CORPUS

    parser = argparse.ArgumentParser(prog="python -m eval.answer_digest")
    parser.add_argument("--data-dir", type=Path, default=OUT / "digest-index")
    parser.add_argument("--suites", nargs="+", choices=SUITES, default=list(SUITES))
    parser.add_argument("--out", type=Path, default=None, help="write every answer (JSON lines)")
    args = parser.parse_args(argv)

    out = args.out.open("w") if args.out else None
    try:
        for suite in args.suites:
            started = time.perf_counter()
            if suite == "time":
                corpus, questions = [WIKINEWS_CORPUS], []
            else:
                corpus, questions = _asked(suite)
            # the explainer, held-out and time suites share one Wikinews index
            collection = f"digest-{suite}" if suite in ("seed", "multihop") else "digest-wikinews"
            engine = _engine(args.data_dir, collection, corpus)
            try:
                rows = (
                    _time_answers(engine) if suite == "time" else _answers(engine, suite, questions)
                )
                digest, n = hashlib.sha1(), 0
                for row in rows:
                    line = json.dumps(row, sort_keys=True, ensure_ascii=False)
                    digest.update(line.encode() + b"\n")
                    n += 1
                    if out:
                        out.write(line + "\n")
            finally:
                engine.close()
            seconds = time.perf_counter() - started
            print(
                f"{suite:9s} {n:5d} answers  sha1 {digest.hexdigest()}  ({seconds:.0f} s)",
                flush=True,
            )
    finally:
        if out:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

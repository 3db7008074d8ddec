"""RealTimeQA benchmark: third-party quiz questions over the real web pages fetched for them.

    python -m eval.realtimeqa_bench [--split dev|blind] [--weeks N|all] [--modes chat scoped]
                                    [--data DIR] [--index DIR] [--out results.json] [--verbose]

Needs the local files of `python -m eval.realtimeqa_data MIRROR` (eval/local/realtimeqa, never
committed). Each week is its own index (one collection per week under `--index`, default
eval/out/realtimeqa, kept and reused: unchanged articles are skipped by version): its pages ingested
as articles, as scraped (bylines, datelines, embedded posts and all). Each question is asked with the
extractive backend in two modes: **chat** (a first question over the week's whole index) and
**scoped** (`filters.article_ids` = the question's own pages). Figures per mode:

- Hits@10: one of the first 10 retrieved passages holds the gold answer;
- strict: the answer cites a sentence that holds the gold answer (any article);
- keyed: the answer's own words hold the gold answer;
- refused: answerable questions refused; unanswerable questions refused (another week's question
  whose gold no page of this week holds: see eval/realtimeqa_data.py).

`--weeks N` takes N weeks spread evenly over the split (default 6: a week is ~190 pages, ~3 minutes
to ingest on 2 cores), `--weeks all` every one. The blind split is for one final run: with it nothing
per question is printed or written (`--verbose` and `--out` are refused).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from eval.questions import Question, parse_question
from eval.results import QuestionResult
from eval.suites import Suite
from ui.offline import go_offline

DATA = Path(__file__).parent / "local" / "realtimeqa"
INDEX = Path(__file__).parent / "out" / "realtimeqa"
MODES = ("chat", "scoped")
DEFAULT_WEEKS = 6
GOAL_STRICT = 0.85  # issue 25: third-party factual questions, strict, on the blind split


def pick_weeks(weeks: Sequence[str], wanted: str) -> list[str]:
    """`all`, or N weeks spread evenly over the split (always the same ones for the same N)."""
    if wanted == "all":
        return list(weeks)
    count = int(wanted)
    if count < 1:
        raise ValueError("--weeks must be at least 1 or 'all'")
    if count >= len(weeks):
        return list(weeks)
    step = len(weeks) / count
    return [weeks[int(k * step + step / 2)] for k in range(count)]


def week_questions(path: Path, modes: Sequence[str]) -> list[Question]:
    """The week's questions as each mode asks them (ids prefixed by the mode)."""
    questions: list[Question] = []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for mode in modes:
        for row in rows:
            record = {
                "id": f"{mode}/{row['id']}",
                "question": row["question"],
                "answer": row["gold"],
                "answer_keys": row["evidence"],
                "evidence": row["evidence"],
                "answerable": row["answerable"],
                "kind": "answerable" if row["answerable"] else "unanswerable",
            }
            if mode == "scoped":
                record["filters"] = {"article_ids": row["article_ids"]}
            questions.append(parse_question(record, len(questions) + 1))
    return questions


@dataclass(frozen=True)
class Figures:
    answerable: int
    hits10: float | None
    strict: float | None
    keyed: float | None
    wrongly_refused: float | None
    unanswerable: int
    refused: float | None


def _share(values: Sequence[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def figures(results: Sequence[QuestionResult]) -> Figures:
    answerable = [r for r in results if r.answerable]
    other = [r for r in results if not r.answerable]
    return Figures(
        answerable=len(answerable),
        hits10=_share([r.first_rank is not None for r in answerable if r.retrieval_scored]),
        strict=_share([bool(r.cited_ok) for r in answerable]),
        keyed=_share([r.strict for r in answerable]),
        wrongly_refused=_share([r.refused for r in answerable]),
        unanswerable=len(other),
        refused=_share([r.refused for r in other]),
    )


def table(rows: dict[str, Figures]) -> str:
    def cell(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [
        "| mode | answerable | Hits@10 | strict | keyed | answerable refused | unanswerable | refused |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for mode, f in rows.items():
        lines.append(
            f"| {mode} | {f.answerable} | {cell(f.hits10)} | {cell(f.strict)} | {cell(f.keyed)} "
            f"| {cell(f.wrongly_refused)} | {f.unanswerable} | {cell(f.refused)} |"
        )
    return "\n".join(lines)


def add_split_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a bench over the RealTimeQA weeks: which split, where its data and week
    indexes are, and the per-question output only the dev split may have."""
    parser.add_argument("--split", choices=["dev", "blind"], default="dev")
    parser.add_argument("--data", type=Path, default=DATA, help="eval.realtimeqa_data's output")
    parser.add_argument("--index", type=Path, default=INDEX, help="keep the week indexes here")
    parser.add_argument("--out", type=Path, default=None, help="write every result as JSON (dev)")
    parser.add_argument("--verbose", action="store_true", help="print each miss (dev only)")


def checked_split(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Path:
    """The split's folder; a usage error when it is missing or when the blind split is asked for
    anything per question (it is for one final run: figures only)."""
    if args.split == "blind" and (args.verbose or args.out):
        parser.error("the blind split prints figures only: no --verbose, no --out")
    split_dir = args.data / args.split
    if not split_dir.is_dir():
        parser.error(
            f"{split_dir} is missing: build it with "
            "python -m eval.realtimeqa_data /path/to/realtimeqa_public (see its docstring)"
        )
    return split_dir


def main(argv: list[str] | None = None) -> int:
    go_offline()
    from eval.configs import RunConfig
    from eval.runner import run_in_process
    from qa.engine import make_embedder
    from qa.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m eval.realtimeqa_bench")
    parser.add_argument("--weeks", default=str(DEFAULT_WEEKS), help="N (spread evenly) or all")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    add_split_arguments(parser)
    args = parser.parse_args(argv)
    split_dir = checked_split(parser, args)
    available = sorted(p.name for p in split_dir.iterdir() if (p / "questions.jsonl").is_file())
    try:
        weeks = pick_weeks(available, args.weeks)
    except ValueError as err:
        parser.error(str(err))

    settings = Settings(data_dir=args.index)
    embedder = make_embedder(settings.embedding)
    results: list[QuestionResult] = []
    ingests: list[str] = []
    started = time.perf_counter()
    for week in weeks:
        folder = split_dir / week
        suite = Suite(
            f"rtqa-{week}",
            week_questions(folder / "questions.jsonl", args.modes),
            (folder / "articles.jsonl",),
        )
        (run,) = run_in_process(
            suite, [RunConfig(backend="extractive")], settings, embedder, progress=False
        )
        ingests.append(f"{week}: {run.setup['ingest']}")
        results.extend(run.results)
        print(f"{week}: {len(run.results)} asked", file=sys.stderr)
    seconds = time.perf_counter() - started

    by_mode = {m: figures([r for r in results if r.id.startswith(f"{m}/")]) for m in args.modes}
    print(
        f"RealTimeQA {args.split}: {len(weeks)} of {len(available)} weeks "
        f"({', '.join(weeks)}); extractive; {seconds:.0f} s in all"
    )
    print(table(by_mode))
    if args.verbose:
        for line in ingests:
            print(f"ingest {line}")
        for r in results:
            if r.missed:
                said = "(refused)" if r.refused else " ".join(r.answer.split())[:200]
                print(f"MISS {r.id} gold={r.gold!r} hit@10={r.first_rank} {r.question!r}: {said}")
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "weeks": weeks,
                    "figures": {m: asdict(f) for m, f in by_mode.items()},
                    "results": [asdict(r) for r in results],
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

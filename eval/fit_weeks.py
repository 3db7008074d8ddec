"""The RealTimeQA dev weeks the sentence weights are fitted on, and their indexes.

The fit weeks are dev weeks spread evenly over the split, never the check weeks the benchmark uses
(`python -m eval.realtimeqa_bench --split dev --weeks 3`), never the blind split. Each fit week's
index holds only the pages its answerable questions cite (the fit records scoped askings, which see
only those pages): about 60% of a week, so ingesting is that much faster. The pages are written to
eval/local/realtimeqa_fit/<week>/articles.jsonl (RealTimeQA's texts are not ours to publish:
eval/local/ is ignored) and ingested into their own collection under eval/out/realtimeqa_fit.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.realtimeqa_bench import DATA, pick_weeks
from eval.suites import Suite

FIT_PAGES = Path(__file__).parent / "local" / "realtimeqa_fit"
FIT_INDEX = Path(__file__).parent / "out" / "realtimeqa_fit"
CHECK_WEEKS = "3"  # the benchmark's default check: `--weeks 3`


@dataclass(frozen=True)
class FitQuestion:
    id: str
    question: str
    gold: tuple[str, ...]  # the answer as written in the pages (any of these)
    article_ids: tuple[str, ...]


def fit_weeks(available: Sequence[str], count: int) -> list[str]:
    """`count` weeks spread evenly over the dev weeks that are not check weeks."""
    check = set(pick_weeks(available, CHECK_WEEKS))
    rest = [w for w in available if w not in check]
    return pick_weeks(rest, str(count))


def add_fit_arguments(parser: argparse.ArgumentParser, weeks: int, written: str) -> None:
    """The options every fit script takes: how many fit weeks, the check, the cache, writing."""
    parser.add_argument("--weeks", type=int, default=weeks, help="fit weeks, spread over dev")
    parser.add_argument("--check", action="store_true", help="measure on the 3 check weeks too")
    parser.add_argument("--records", type=Path, default=FIT_PAGES, help="cache folder")
    parser.add_argument("--refresh", action="store_true", help="record again")
    parser.add_argument("--write", action="store_true", help=f"write {written}")


def dev_split(parser: argparse.ArgumentParser) -> tuple[Path, list[str]]:
    """The dev split's folder and its weeks (the parser's error when it is not built)."""
    split_dir = DATA / "dev"
    if not split_dir.is_dir():
        parser.error(f"{split_dir} is missing: build it with python -m eval.realtimeqa_data")
    return split_dir, sorted(
        p.name for p in split_dir.iterdir() if (p / "questions.jsonl").is_file()
    )


def answerable_questions(path: Path) -> list[FitQuestion]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        FitQuestion(r["id"], r["question"], tuple(r["evidence"]), tuple(r["article_ids"]))
        for r in rows
        if r["answerable"]
    ]


def cited_pages(week_dir: Path, out_dir: Path) -> Path:
    """The week's pages its answerable questions cite, written to `out_dir` (once)."""
    target = out_dir / "articles.jsonl"
    if target.is_file():
        return target
    cited = {a for q in answerable_questions(week_dir / "questions.jsonl") for a in q.article_ids}
    lines = (week_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line and json.loads(line)["id"] in cited]
    out_dir.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def week_engine(week: str, split_dir: Path, settings: Any, embedder: Any) -> Any:
    """An Engine over the week's cited pages, ingested into its own collection (kept and reused:
    unchanged articles are skipped). The caller closes `engine.store`."""
    from eval.runner import _collection, _ingest
    from index.store.store import Store
    from qa.engine import Engine

    pages = cited_pages(split_dir / week, FIT_PAGES / week)
    suite = Suite(f"rtqa-fit-{week}", [], (pages,))
    collection = _collection(suite, settings)
    store = Store.open(settings.data_dir, settings.chroma_url, collection)
    engine = Engine(settings.model_copy(update={"collection": collection}), store, embedder)
    report = _ingest(engine, suite, progress=False)
    print(f"{week}: {report}", file=sys.stderr)
    engine.warm_up()
    return engine

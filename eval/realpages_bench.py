"""Real-pages explainer benchmark (issue 25): explainer questions written by a person over RealTimeQA's
scraped news pages (CNN, USA Today, The Week ... as fetched: bylines, datelines, embedded posts), asked
as newsroom staff ask them, in the format of eval/data/explainer_heldout.jsonl.

    python -m eval.realpages_bench [--split dev|blind] [--modes chat scoped] [--questions FILE]
                                   [--data DIR] [--index DIR] [--out results.json] [--verbose]
    python -m eval.realpages_bench --split dev|blind --pick

Each question's article is found in the split's weeks (eval/local/realtimeqa/<split>/<week>, built by
`python -m eval.realtimeqa_data`); each week is asked over its own index, the same collection as
eval/realtimeqa_bench.py's (kept under `--index`, default eval/out/realtimeqa, and reused), so a chat
question has the week's ~150-200 other pages as distractors. The two modes and the scoring are the
explainer bench's (eval/explainer.py): **chat** after the question's topic turn (its `history`), no
filters; **scoped** alone, filtered to its article. Printed per mode and kind: answered with a correct
citation (a citation from the question's article whose sentence holds a gold evidence string) and
unanswerable questions refused, against issue 25's goals (0.75 chat, 0.80 scoped, 0.80 refused).

Each question record names its `week` (RealTimeQA fetched some pages in several weeks: the question is
asked over the index of the week it was written for). The questions (default
eval/local/realpages/<split>.jsonl) quote the pages, which are not ours to
publish: they stay in the git-ignored eval/local/, never committed. Their articles were chosen before
any question was written, by `pick_articles` (`--pick` prints them): per week, the pages of at least
`MIN_WORDS` words in the order of their id (a hash of the URL, so of nothing in the text), taking one
page of each site in turn until `PER_WEEK`, from the weeks `pick_weeks(weeks, "3")` of
eval/realtimeqa_bench.py picks (so the prebuilt week indexes serve both benches).

The blind split is for one final run by someone who did not write its questions: with it nothing per
question is printed or written (`--verbose` and `--out` are refused).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from eval.questions import Question
from eval.realtimeqa_bench import add_split_arguments, checked_split, pick_weeks
from eval.suites import Suite, SuiteError, load_suite
from ui.offline import go_offline

QUESTIONS = Path(__file__).parent / "local" / "realpages"
GOAL_CITED = {"chat": 0.75, "scoped": 0.80}  # issue 25, on the blind split
GOAL_REFUSED = 0.80
WEEKS = "3"  # pick_weeks(split, WEEKS): the weeks the questions were written over
PER_WEEK = 4  # articles per week
MIN_WORDS = 400  # a page shorter than this is too short for five explainer questions


def pick_articles(
    pages: Iterable[dict], per_week: int = PER_WEEK, min_words: int = MIN_WORDS
) -> list[dict]:
    """The week's articles to write questions over, chosen by a rule blind to the text: pages of at
    least `min_words` words in id order (a hash of the URL), one of each site in turn."""
    long = sorted((p for p in pages if len(p["body"].split()) >= min_words), key=lambda p: p["id"])
    by_site: dict[str, list[dict]] = {}
    for page in long:
        by_site.setdefault(page.get("source") or "", []).append(page)
    picked: list[dict] = []
    while len(picked) < per_week and any(by_site.values()):
        for pages_of_site in by_site.values():  # sites in order of their first page's id
            if pages_of_site and len(picked) < per_week:
                picked.append(pages_of_site.pop(0))
    return picked


def _ids(articles: Path) -> set[str]:
    ids = set()
    for line in articles.read_text(encoding="utf-8").splitlines():
        if line.strip():
            ids.add(str(json.loads(line).get("id")))
    return ids


def named_weeks(path: Path) -> dict[str, str]:
    """question id -> the `week` its record names (the week the question was written over)."""
    named = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line) if line.strip() else {}
        if isinstance(record, dict) and record.get("week"):
            named[str(record.get("id"))] = str(record["week"])
    return named


def by_week(
    questions: Sequence[Question], split_dir: Path, named: dict[str, str] | None = None
) -> dict[str, list[Question]]:
    """The questions grouped by the week whose index they are asked over, in week order: the week
    the record names (`named`), else the one week whose pages hold the article. RealTimeQA fetched
    some pages in several weeks, so a question whose article is in no week, whose named week does
    not hold it, or that is in several weeks and names none is an error, named."""
    weeks_of: dict[str, list[str]] = {}
    for folder in sorted(split_dir.iterdir()):
        if (folder / "articles.jsonl").is_file():
            for article_id in _ids(folder / "articles.jsonl"):
                weeks_of.setdefault(article_id, []).append(folder.name)
    named = named or {}
    grouped: dict[str, list[Question]] = {}
    problems = []
    for question in questions:
        holding = weeks_of.get(str(question.article_id), [])
        week = named.get(question.id) or (holding[0] if len(holding) == 1 else None)
        if week in holding:
            grouped.setdefault(str(week), []).append(question)
        elif not holding:
            problems.append(f"{question.id}: its article is in no week")
        elif question.id in named:
            problems.append(f"{question.id}: week {week} does not hold its article")
        else:
            problems.append(
                f"{question.id}: its article is in weeks {', '.join(holding)}; name one"
            )
    if problems:
        shown = "; ".join(problems[:5])
        raise SuiteError(f"{len(problems)} question(s) with no week of {split_dir}: {shown}")
    return dict(sorted(grouped.items()))


def fresh_weeks(weeks: Sequence[str], count: str) -> list[str]:
    """`pick_weeks(weeks, count)` without the weeks of `pick_weeks(weeks, WEEKS)`: a further set of
    questions over weeks no earlier file was written over (a blind split run too often is spent)."""
    used = set(pick_weeks(weeks, WEEKS))
    return [w for w in pick_weeks(weeks, count) if w not in used]


def _print_pick(split_dir: Path, fresh: str | None, per_week: int) -> None:
    weeks = sorted(p.name for p in split_dir.iterdir() if (p / "articles.jsonl").is_file())
    for week in fresh_weeks(weeks, fresh) if fresh else pick_weeks(weeks, WEEKS):
        lines = (split_dir / week / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        for page in pick_articles((json.loads(ln) for ln in lines if ln.strip()), per_week):
            words = len(page["body"].split())
            print(f"{week} {page['id']} {page.get('source')} {words} words: {page['title']}")


def main(argv: list[str] | None = None) -> int:
    go_offline()
    from eval import explainer
    from eval.configs import RunConfig
    from eval.runner import run_in_process
    from qa.engine import make_embedder
    from qa.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m eval.realpages_bench")
    parser.add_argument("--modes", nargs="+", choices=explainer.MODES, default=explainer.MODES)
    parser.add_argument("--questions", type=Path, default=None, help="default: QUESTIONS/<split>")
    parser.add_argument("--pick", action="store_true", help="print the rule's articles and stop")
    parser.add_argument(
        "--fresh",
        metavar="N",
        default=None,
        help="with --pick: the weeks of `--weeks N` that the first files were not written over",
    )
    parser.add_argument(
        "--per-week", type=int, default=PER_WEEK, help="with --pick: articles per week"
    )
    add_split_arguments(parser)
    args = parser.parse_args(argv)
    split_dir = checked_split(parser, args)
    if args.pick:
        _print_pick(split_dir, args.fresh, args.per_week)
        return 0
    path = args.questions or QUESTIONS / f"{args.split}.jsonl"
    try:
        base = load_suite(str(path)).questions
        weeks = by_week(base, split_dir, named_weeks(path))
    except SuiteError as err:
        parser.error(str(err))

    settings = Settings(data_dir=args.index)
    embedder = make_embedder(settings.embedding)
    results, setups = [], []
    started = time.perf_counter()
    for week, questions in weeks.items():
        # the suite name is realtimeqa_bench's, so both benches share the week's collection
        suite = Suite(
            f"rtqa-{week}",
            explainer.questions_for(questions, args.modes),
            (split_dir / week / "articles.jsonl",),
        )
        (run,) = run_in_process(
            suite, [RunConfig(backend="extractive")], settings, embedder, progress=False
        )
        results.extend(run.results)
        setups.append(run.setup)
        print(f"{week}: {len(run.results)} asked; ingest {run.setup['ingest']}", file=sys.stderr)
    seconds = time.perf_counter() - started

    figures = explainer.by_mode(results)
    print(
        f"real pages {args.split}: {len(base)} questions ({sum(q.answerable for q in base)} "
        f"answerable) over {len({q.article_id for q in base})} articles of {len(weeks)} weeks "
        f"({', '.join(weeks)}); extractive; {seconds:.0f} s in all"
    )
    for mode, rows in figures.items():
        print(f"\n{mode}: {explainer.verdict(rows['all'], GOAL_CITED[mode], GOAL_REFUSED)}")
        print(explainer.table(rows))
    if args.verbose:
        for line in explainer.miss_lines(results):
            print(line)
    if args.out:
        args.out.write_text(
            explainer.results_json(
                figures, results, split=args.split, weeks=list(weeks), setups=setups
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The time-aware answers, measured on the Wikinews corpus: `python -m eval.time_bench`.

Ingests the 317 Wikinews articles (idempotent: a data dir that already holds them is reused), then prints
- the share of eval/data/time_questions.jsonl answered with the newest correct figure cited (a citation
  of an expected article whose quote holds the expected words), and how often the "As of" lead does;
- timeline precision and recall of dated events against eval/data/timeline_gold.json, for the story's
  own articles and for the story found from its query;
- relative-date resolution accuracy (eval/date_bench.py);
- the p50 latency of GET /v1/timeline through a real `newsdesk serve`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from eval.date_bench import accuracy, load_labels
from eval.perf_common import OUT, percentiles

DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path("/work/shared/corpora/wikinews/articles.jsonl")
QUESTIONS = DATA / "time_questions.jsonl"
GOLD = DATA / "timeline_gold.json"


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def score_answer(question: dict[str, Any], answer: dict[str, Any]) -> dict[str, bool]:
    """newest: an expected (newest) article is cited; figure: and its cited quote holds the expected
    words; lead: the first sentence cites it with those words."""
    expected = set(question["expected_articles"])
    words = question["expected"].lower()
    cited = [c for c in answer["citations"] if c["article_id"] in expected]
    figure = [c for c in cited if words in c["quote"].lower()]
    lead = False
    if answer["sentences"] and answer["sentences"][0]["refs"] and not answer["refused"]:
        first = answer["citations"][answer["sentences"][0]["refs"][0] - 1]
        lead = first["article_id"] in expected and words in first["quote"].lower()
    return {
        "newest": bool(cited),
        "figure": bool(figure),
        "lead": lead,
        "refused": answer["refused"],
    }


def event_matches(event: dict[str, Any], gold: dict[str, Any]) -> bool:
    return (
        event["article_id"] == gold["article_id"]
        and gold["quote"] in event["quote"]
        and event["date"] == gold["date"]
    )


def precision_recall(
    days: list[dict[str, Any]], gold: list[dict[str, Any]]
) -> tuple[int, int, int, int]:
    """(predicted events that match a gold event, predicted, gold events found, gold)."""
    events = [e for day in days for e in day["events"]]
    right = sum(any(event_matches(e, g) for g in gold) for e in events)
    found = sum(any(event_matches(e, g) for e in events) for g in gold)
    return right, len(events), found, len(gold)


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.1%}" if b else "n/a"


def run_questions(engine: Any, questions: list[dict[str, Any]]) -> dict[str, Any]:
    totals: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {}
    misses: list[str] = []
    for question in questions:
        answer = engine.ask(question["question"]).to_json()
        scores = score_answer(question, answer)
        kind = by_kind.setdefault(question["kind"], Counter())
        kind["n"] += 1
        totals["n"] += 1
        for key, hit in scores.items():
            kind[key] += hit
            totals[key] += hit
        if not scores["figure"]:
            misses.append(f"  {question['id']} {question['question']} -> {answer['answer'][:160]}")
    return {"totals": totals, "by_kind": by_kind, "misses": misses}


def _baseline(engine: Any, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """The same questions with the recency step and the date scope switched off (same process,
    same index), so the difference is theirs."""
    import qa.engine as engine_module

    saved = engine_module.as_of_newest, engine_module.scoped
    engine_module.as_of_newest = lambda q, passages, compose, *_: compose(passages)
    engine_module.scoped = lambda asked, filters, top_k, *_span: (filters, top_k)
    try:
        return run_questions(engine, questions)
    finally:
        engine_module.as_of_newest, engine_module.scoped = saved


def run_timelines(engine: Any, stories: list[dict[str, Any]]) -> dict[str, list[int]]:
    out = {"articles": [0, 0, 0, 0], "query": [0, 0, 0, 0]}
    for story in stories:
        for mode, result in (
            ("articles", engine.timeline(None, tuple(story["article_ids"]))),
            ("query", engine.timeline(story["query"])),
        ):
            counts = precision_recall(result["days"], story["events"])
            out[mode] = [a + b for a, b in zip(out[mode], counts, strict=True)]
    return out


def timeline_latency(
    data_dir: Path, stories: list[dict[str, Any]], rounds: int
) -> dict[str, float]:
    import httpx

    from eval.api_bench import running_server

    OUT.mkdir(parents=True, exist_ok=True)
    times: list[float] = []
    log = OUT / "time_bench_server.log"
    with (
        running_server(data_dir, log) as (url, _, _),
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        client.get("/v1/timeline", params={"q": stories[0]["query"]})  # warm
        for _ in range(rounds):
            for story in stories:
                started = time.perf_counter()
                reply = client.get("/v1/timeline", params={"q": story["query"]})
                times.append((time.perf_counter() - started) * 1000)
                reply.raise_for_status()
    return percentiles(times) | {"n": float(len(times))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=OUT / "wikinews-index")
    parser.add_argument("--rounds", type=int, default=5, help="timeline requests per story")
    parser.add_argument("--no-server", action="store_true", help="skip the /v1/timeline latency")
    parser.add_argument(
        "--baseline", action="store_true",
        help="also ask without the time-aware steps (no 'as of' lead, no date scope), to compare",
    )  # fmt: skip
    args = parser.parse_args(argv)

    from qa.engine import Engine
    from qa.settings import Settings

    engine = Engine.from_settings(Settings(data_dir=args.data_dir))
    try:
        started = time.perf_counter()
        report = engine.ingest_paths([CORPUS])
        print(f"corpus: {len(engine.articles())} articles ({len(report.added)} added in "
              f"{time.perf_counter() - started:.0f} s)")  # fmt: skip
        engine.warm_up()
        questions = load_questions()
        started = time.perf_counter()
        asked = run_questions(engine, questions)
        seconds = time.perf_counter() - started
        baseline = _baseline(engine, questions) if args.baseline else None
        stories = json.loads(GOLD.read_text())["stories"]
        timelines = run_timelines(engine, stories)
    finally:
        engine.close()

    t = asked["totals"]
    print(f"\ntime questions: {t['n']} ({seconds / max(t['n'], 1) * 1000:.0f} ms each)")
    print(f"  answered with the newest correct figure cited: {_ratio(t['figure'], t['n'])}")
    print(f"  newest article cited at all: {_ratio(t['newest'], t['n'])}")
    print(f"  first sentence ('As of ...') cites it: {_ratio(t['lead'], t['n'])}")
    print(f"  refused: {t['refused']}")
    for kind, c in sorted(asked["by_kind"].items()):
        print(
            f"    {kind:7s} figure {_ratio(c['figure'], c['n'])}, newest cited {_ratio(c['newest'], c['n'])}"
        )
    if baseline is not None:
        b = baseline["totals"]
        print(f"  baseline without the time-aware steps: newest correct figure cited "
              f"{_ratio(b['figure'], b['n'])}, newest article cited {_ratio(b['newest'], b['n'])}")  # fmt: skip
    print("  missed:")
    print("\n".join(asked["misses"]))

    print(
        f"\ntimeline ({len(stories)} stories, {sum(len(s['events']) for s in stories)} gold events):"
    )
    for mode, (right, predicted, found, gold) in timelines.items():
        print(
            f"  from the {mode:8s}: precision {_ratio(right, predicted)}, recall {_ratio(found, gold)}"
        )

    dates = accuracy(load_labels())
    rel_ok, rel_n = dates["relative"]
    print(f"\ndate resolution: {dates['accuracy']:.1%} of {dates['labels']} labelled dates; "
          f"relative dates {_ratio(rel_ok, rel_n)}")  # fmt: skip

    if not args.no_server:
        latency = timeline_latency(args.data_dir, stories, args.rounds)
        print(f"\nGET /v1/timeline?q=...: p50 {latency['p50']:.0f} ms, p95 {latency['p95']:.0f} ms "
              f"over {latency['n']:.0f} requests (real server, loopback)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the LLM is given: the share of questions whose evidence is in the model's prompt.

    python -m eval.context_bench [--suites explainer multihop ...] [--limit N] [--data-dir DIR]
                                 [--questions FILE --corpus PATH ...]

Every question is asked in-process with the "openai" backend of a FAKE OpenAI-compatible model
(tests/fake_openai.py on 127.0.0.1, its `sentinel` script: it always declines, so nothing but the
prompt matters), which records each request. From the answer prompt it reports:
- single-story questions (the explainer sets asked in a chat and scoped to the article, RealTimeQA's
  dev weeks (`--weeks N`, or by name: `--weeks 20230217,20230519`; built by eval/realtimeqa_data.py;
  `--split blind` asks the blind split's weeks instead: once, at the end, nothing of it printed but
  the figures) and any question file with evidence strings): the share whose gold
  evidence is in a passage's text, by the benchmark's rule (spaces removed, case kept) or as words
  in any case (eval/prompt_evidence.py), and by the benchmark's rule alone;
- MultiHop-RAG: the share whose every evidence article (by title) has a passage in the prompt, by
  question type, with the questions whose `qid % 5 == 3` reported apart as a blind check;
- the prompt's tokens (system and user message, counted with the chunker's tokenizer), the time spent
  retrieving during the ask (every retrieval: plan, parts, story, follow-ups) and the time building
  the prompt besides retrieval (story chunks, follow-up bookkeeping, budget, formatting), p50 / p95.

Indexes are kept in `--data-dir` (default eval/out/context-index) and reused; a RealTimeQA week is
kept in the collection eval/realtimeqa_bench.py uses, so `--data-dir eval/out/realtimeqa` asks its
indexes. `--misses FILE` writes each question whose evidence is not in the prompt, with the prompt's
passages. Questions are split by the rule (qa/retrieval/decompose.py); `--model-split` runs the
model's path instead, with the fake's clause split standing in for a model (it exercises the code,
it says nothing of a model's splits).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.context_timing import Timed
from eval.prompt_evidence import benchmark_evidence_in, evidence_in, squeezed
from ui.offline import go_offline

SUITES = ("explainer", "heldout", "multihop", "realtimeqa")
_TITLE = re.compile(r"^title: (.*)$", re.MULTILINE)


@dataclass
class Tally:
    """One row of the report."""

    n: int = 0
    hit: int = 0
    hit_benchmark: int = 0  # by the benchmark's matching rule alone (eval/prompt_evidence.py)
    tokens: list[int] = field(default_factory=list)
    passages: list[int] = field(default_factory=list)
    retrieve_ms: list[float] = field(default_factory=list)
    build_ms: list[float] = field(default_factory=list)

    def add(
        self,
        hit: tuple[bool, bool],
        tokens: int,
        passages: int,
        retrieve_ms: float,
        build_ms: float | None,
    ) -> None:
        self.n += 1
        self.hit += hit[0]
        self.hit_benchmark += hit[1]
        self.tokens.append(tokens)
        self.passages.append(passages)
        self.retrieve_ms.append(retrieve_ms)
        if build_ms is not None:
            self.build_ms.append(build_ms)


def gold_in(passages: dict[int, str], evidence: Iterable[str]) -> tuple[bool, bool]:
    """(some gold evidence string is in some passage's text, the same by the benchmark's rule
    alone): eval/prompt_evidence.py."""
    texts, golds = list(passages.values()), list(evidence)
    return evidence_in(texts, golds), benchmark_evidence_in(texts, golds)


def articles_in(titles: Iterable[str], wanted: Iterable[str]) -> bool:
    """Every wanted article title has a passage in the prompt."""
    have = {squeezed(t).lower() for t in titles}
    return all(squeezed(w).lower() in have for w in wanted)


def answer_prompt(requests: list[dict[str, Any]]) -> list[dict[str, str]] | None:
    """The messages of the last answer request (the one holding passages), if one was made."""
    for body in reversed(requests):
        messages = body.get("messages") or []
        if any("<passage n=" in (m.get("content") or "") for m in messages):
            return messages
    return None


def ask_all(
    engine: Any,
    fake: Any,
    questions: list[Any],
    judge: Callable[[Any, dict[int, str], list[str]], tuple[bool, bool]],
    row: Callable[[Any], list[str]],
    tallies: dict[str, Tally],
    count: Callable[[str], int],
    timer: Timed,
    misses: list[dict[str, Any]] | None = None,
) -> None:
    from eval.perf_common import fake_openai
    from eval.targets import engine_filters, engine_history

    parse_prompt = fake_openai().parse_prompt

    timer.watch(engine)
    for q in questions:
        fake.reset()
        timer.reset()
        engine.ask(
            q.question, filters=engine_filters(q), history=engine_history(q), backend="openai"
        )
        messages = answer_prompt(fake.requests)
        if messages is None:
            passages, titles, tokens = {}, [], 0
        else:
            _, passages = parse_prompt(messages)
            user = next(m["content"] for m in messages if m["role"] == "user")
            titles = _TITLE.findall(user)
            tokens = sum(count(m["content"]) for m in messages)
        hit = judge(q, passages, titles)
        if not hit[0] and misses is not None:
            misses.append(_miss(q, row(q)[0], passages, titles))
        for name in row(q):
            tallies[name].add(hit, tokens, len(passages), timer.retrieve_ms, timer.build_ms)


def _miss(q: Any, row: str, passages: dict[int, str], titles: list[str]) -> dict[str, Any]:
    """One question whose evidence is not in the prompt, with what the prompt held (`--misses`)."""
    return {
        "set": row,
        "id": q.id,
        "question": q.question,
        "evidence": list(q.evidence),
        "evidence_titles": list(getattr(q, "evidence_titles", ()) or ()),
        "titles": titles,
        "passages": [passages[n] for n in sorted(passages)],
    }


def _engine(args: argparse.Namespace, collection: str, corpus: list[Path], url: str) -> Any:
    from qa.engine import Engine
    from qa.settings import LLMSettings, Settings

    # The fake's split of a question (its clauses) is no model's: by default the rule splits.
    llm = LLMSettings(
        base_url=url,
        model="sentinel",
        timeout=30.0,
        decompose=args.model_split,
        context_tokens=args.context_tokens,
    )
    settings = Settings(data_dir=args.data_dir, collection=collection, backend="openai", llm=llm)
    engine = Engine.from_settings(settings)
    engine.ingest_paths(corpus)
    engine.warm_up()
    return engine


def _explainer(name: str, limit: int | None) -> tuple[list[Path], list[Any]]:
    from eval.explainer import MODES, questions_for
    from eval.questions import DATA, EXPLAINER_QUESTIONS, WIKINEWS_CORPUS
    from eval.suites import load_suite

    path = EXPLAINER_QUESTIONS if name == "explainer" else DATA / "explainer_heldout.jsonl"
    base = load_suite(str(path), [WIKINEWS_CORPUS], limit)
    asked = [q for q in base.questions if q.answerable and q.evidence]
    return [WIKINEWS_CORPUS], questions_for(asked, MODES)


def _realtimeqa(
    args: argparse.Namespace,
    fake: Any,
    tallies: dict[str, Tally],
    timer: Timed,
    misses: list[dict[str, Any]],
) -> None:
    """RealTimeQA's weeks of `--split` (dev unless asked) as eval/realtimeqa_bench.py asks them
    (chat and scoped), each week over its own pages; the evidence is the gold answer inside a
    passage of the prompt."""
    from eval.realtimeqa_bench import DATA, MODES, week_questions

    split = DATA / args.split
    weeks = sorted(p.name for p in split.glob("*") if (p / "questions.jsonl").is_file())
    if not weeks:
        print(
            f"(no {split}: realtimeqa skipped; build it with eval.realtimeqa_data)", file=sys.stderr
        )
        return
    for week in _weeks(weeks, args.weeks):
        asked = week_questions(split / week / "questions.jsonl", MODES)
        questions = [q for q in asked if q.answerable and q.evidence][: args.limit]
        corpus = [split / week / "articles.jsonl"]
        engine = _engine(args, _week_collection(week), corpus, fake.url)
        try:
            ask_all(engine, fake, questions,
                    lambda q, p, t: gold_in(p, q.evidence),
                    lambda q: [f"realtimeqa {args.split} · {_mode(q)}"],
                    tallies, engine.embedder.count_tokens, timer, misses)  # fmt: skip
        finally:
            engine.close()


def _week_collection(week: str) -> str:
    """The collection eval/realtimeqa_bench.py keeps the week in (default chunking): with
    `--data-dir eval/out/realtimeqa` its indexes are asked as they are, nothing ingested again."""
    from eval.suites import Suite
    from index.chunking import ChunkingConfig

    chunking = ChunkingConfig()
    return Suite(f"rtqa-{week}", [], ()).collection(chunking.max_tokens, chunking.overlap_tokens)


def _weeks(split_weeks: list[str], wanted: str) -> list[str]:
    """`--weeks`: N of the split's weeks spread evenly (as eval/realtimeqa_bench.py picks them),
    `all`, or named weeks (`20230217,20230519`: a check on dev weeks not tuned on)."""
    from eval.realtimeqa_bench import pick_weeks

    if not re.fullmatch(r"\d{8}(,\d{8})*", wanted):
        return pick_weeks(split_weeks, wanted)
    named = wanted.split(",")
    if unknown := [w for w in named if w not in split_weeks]:
        raise SystemExit(f"not weeks of this split: {', '.join(unknown)}")
    return named


def _mode(q: Any) -> str:
    return q.id.split("/", 1)[0]


def _blind(q: Any) -> bool:
    """The part of MultiHop-RAG not looked at while building (the dev file already lacks every
    5th query of the original order, withheld upstream: qid % 5 == 0)."""
    return q.id.isdigit() and int(q.id) % 5 == 3


def run(args: argparse.Namespace, misses: list[dict[str, Any]] | None = None) -> dict[str, Tally]:
    """The tallies by set; each question whose evidence is not in the prompt joins `misses`."""
    misses = [] if misses is None else misses
    from eval.perf_common import fake_openai
    from eval.questions import MULTIHOP_CORPUS, MULTIHOP_QUESTIONS, load_questions
    from eval.suites import load_suite

    FakeOpenAI = fake_openai().FakeOpenAI

    tallies: dict[str, Tally] = defaultdict(Tally)
    timer = Timed()
    with FakeOpenAI() as fake:
        for suite in args.suites:
            if suite in ("explainer", "heldout"):
                corpus, questions = _explainer(suite, args.limit)
                engine = _engine(args, "context-wikinews", corpus, fake.url)
                try:
                    ask_all(engine, fake, questions,
                            lambda q, p, t: gold_in(p, q.evidence),
                            lambda q, s=suite: [f"{s} · {_mode(q)}"],
                            tallies, engine.embedder.count_tokens, timer, misses)  # fmt: skip
                finally:
                    engine.close()
            elif suite == "multihop":
                loaded = load_questions(MULTIHOP_QUESTIONS).questions
                questions = [q for q in loaded if q.answerable and q.evidence_titles]
                questions = questions[: args.limit] if args.limit else questions
                engine = _engine(args, "context-multihop", [MULTIHOP_CORPUS], fake.url)
                try:
                    ask_all(engine, fake, questions,
                            lambda q, p, t: (articles_in(t, q.evidence_titles),) * 2,
                            lambda q: ["multihop · all", f"multihop · {q.type}",
                                       "multihop · blind (qid % 5 == 3)" if _blind(q)
                                       else "multihop · looked at"],
                            tallies, engine.embedder.count_tokens, timer, misses)  # fmt: skip
                finally:
                    engine.close()
            elif suite == "realtimeqa":
                _realtimeqa(args, fake, tallies, timer, misses)
                continue
            if suite == "questions" and args.questions:
                loaded_suite = load_suite(str(args.questions), args.corpus, args.limit)
                questions = [q for q in loaded_suite.questions if q.answerable and q.evidence]
                name = args.questions.stem
                engine = _engine(args, f"context-{name[:20]}", list(loaded_suite.corpus), fake.url)
                try:
                    ask_all(engine, fake, questions,
                            lambda q, p, t: gold_in(p, q.evidence),
                            lambda q, n=name: [f"{n} · all"], tallies,
                            engine.embedder.count_tokens, timer, misses)  # fmt: skip
                finally:
                    engine.close()
    return tallies


def _p(values: list[float], q: float) -> float:
    from eval.perf_common import percentiles

    return percentiles(values)[f"p{round(q * 100)}"]


def report(tallies: dict[str, Tally]) -> str:
    from eval.report import aligned

    rows = [["set", "n", "evidence in prompt", "benchmark rule", "passages p50", "tokens p50", "tokens p95",
             "retrieve p50 ms", "build p50 ms", "build p95 ms"]]  # fmt: skip
    for name, t in tallies.items():
        build = (
            (f"{_p(t.build_ms, 0.5):.1f}", f"{_p(t.build_ms, 0.95):.1f}")
            if t.build_ms
            else ("n/a", "n/a")
        )
        rows.append(
            [
                name,
                str(t.n),
                f"{t.hit / t.n:.3f}" if t.n else "n/a",
                f"{t.hit_benchmark / t.n:.3f}" if t.n else "n/a",
                f"{_p([float(x) for x in t.passages], 0.5):.0f}",
                f"{_p([float(x) for x in t.tokens], 0.5):.0f}",
                f"{_p([float(x) for x in t.tokens], 0.95):.0f}",
                f"{_p(t.retrieve_ms, 0.5):.1f}",
                *build,
            ]
        )
    return aligned(rows)


def main(argv: list[str] | None = None) -> int:
    go_offline()
    from eval.perf_common import OUT, conditions
    from qa.settings import LLMSettings

    parser = argparse.ArgumentParser(prog="python -m eval.context_bench")
    parser.add_argument("--suites", nargs="+", choices=[*SUITES, "questions"],
                        default=["explainer", "multihop", "realtimeqa"])  # fmt: skip
    parser.add_argument("--limit", type=int, default=None, help="the first N questions of each")
    parser.add_argument("--data-dir", type=Path, default=OUT / "context-index")
    parser.add_argument(
        "--weeks",
        default="3",
        help="realtimeqa: N weeks (spread), all, or weeks by name (20230217,20230519)",
    )
    parser.add_argument(
        "--split",
        choices=["dev", "blind"],
        default="dev",
        help="realtimeqa: the weeks of this split (blind: run once, at the end)",
    )
    parser.add_argument("--questions", type=Path, default=None, help="suite 'questions': a file")
    parser.add_argument("--corpus", type=Path, nargs="*", default=[], help="... and its articles")
    parser.add_argument(
        "--context-tokens",
        type=int,
        default=LLMSettings().context_tokens,
        help="the prompt's budget of passage tokens (NEWSDESK_LLM__CONTEXT_TOKENS; default %(default)s,"
        " 28000 for a 32k model, 120000 for 128k)",
    )
    parser.add_argument(
        "--misses",
        type=Path,
        default=None,
        help="write each question whose evidence is not in the prompt, with the prompt's passages"
        " (JSON lines)",
    )
    parser.add_argument(
        "--model-split",
        action="store_true",
        help="questions split by the model's path (the fake's clause split) instead of the rule",
    )
    args = parser.parse_args(argv)
    if "questions" in args.suites and args.questions is None:
        parser.error("the suite 'questions' needs --questions FILE")
    print("MODEL: a FAKE recording model (tests/fake_openai.py, script 'sentinel')")
    print(f"budget: {args.context_tokens} tokens of passages")
    print(f"measured {conditions()}")
    started = time.perf_counter()
    misses: list[dict[str, Any]] = []
    tallies = run(args, misses)
    print(report(tallies))
    if args.misses is not None:
        args.misses.parent.mkdir(parents=True, exist_ok=True)
        args.misses.write_text("".join(json.dumps(m) + "\n" for m in misses), encoding="utf-8")
        print(f"{len(misses)} misses written to {args.misses}")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

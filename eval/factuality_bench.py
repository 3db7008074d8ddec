"""The claim checks on sentences real summarisers wrote, labelled by people outside this project.

    python -m eval.consistency_data --qags ... --aggrefact ...     (once: builds eval/local/factuality/)
    python -m eval.factuality_bench [--split tune|blind] [--judge] [--limit N] [--dump FILE]
        [--without CODE ...]

Each labelled record is (document, model sentence, supported?). Every document is ingested as an
article into a real index (eval/local/factuality-index/, reused between runs); for each sentence the
article's passages are retrieved with the sentence as the question (filtered to that article), and
the FAKE `repeater` model of tests/fake_openai.py (real HTTP on 127.0.0.1, the real `openai`
client) answers with that very sentence, citing the two passages sharing most of its words: what a
new user would see if a model had written it. The answer goes through the real LLM answer path
(qa/llm/answer.py) and its verification (qa/checks/verify.py), re-run here to time it and to read
its problem codes.

Printed per set: balanced accuracy (mean of faithful kept and errors flagged; 0.5 is chance),
faithful sentences kept, errors flagged (by the set's own error types where it has them), the codes
of the flags on errors and of the false alarms, flags with no code (a defect), what the reader got
when the sentence was flagged, and the median verification time. `--split blind` is the held-out
30% (eval/consistency_data.py); run it once, at the end. `--dump` writes one row per sentence (score,
codes) for eval/fit_factuality.py. `--without CODE ...` also verifies every answer with those claim
checks left out, in the same run and interleaved (so the machine's load is the same for both):
the figures without them and the verification time they add per answer (median of the paired
differences) are printed after the figures with them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from eval.consistency_data import LOCAL
from eval.llm_bench import share
from ui.offline import go_offline

INDEX = LOCAL.parent / "factuality-index"


@dataclass
class Tally:
    faithful: int = 0
    kept: int = 0
    errors: int = 0
    flagged: int = 0
    by_type: Counter[str] = field(default_factory=Counter)  # error type -> errors of that type
    by_type_flagged: Counter[str] = field(default_factory=Counter)
    error_codes: Counter[str] = field(default_factory=Counter)  # codes on flagged errors
    false_alarm_codes: Counter[str] = field(default_factory=Counter)
    no_code: int = 0  # flagged with no problem code: a defect
    unretrieved: int = 0  # sentences whose article gave no passage (left out)
    shown: Counter[str] = field(default_factory=Counter)  # what the reader got for a flagged one
    ms: list[float] = field(default_factory=list)
    added_ms: list[float] = field(default_factory=list)  # with minus without `--without`'s checks

    def balanced(self) -> float:
        return (self.kept / max(self.faithful, 1) + self.flagged / max(self.errors, 1)) / 2


def load(split: str, sets: list[str] | None) -> list[dict]:  # type: ignore[type-arg]
    files = sorted(LOCAL.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no labelled sets under {LOCAL}: run `python -m eval.consistency_data`")
    rows = [json.loads(line) for f in files for line in f.read_text().splitlines() if line.strip()]
    return [r for r in rows if r["split"] == split and (not sets or r["dataset"] in sets)]


def build_engine(url: str, model: str, split: str):  # type: ignore[no-untyped-def]
    from qa.engine import Engine
    from qa.settings import LLMSettings, Settings

    llm = LLMSettings(base_url=url, model=model, timeout=30.0)
    # One index per split, so the blind documents never shape the tuning runs' term weights.
    data = INDEX / split
    return Engine.from_settings(Settings(data_dir=data, collection="factuality", llm=llm))


def ingest(engine, records: list[dict]) -> None:  # type: ignore[no-untyped-def,type-arg]
    from index.types import Article

    docs = {r["doc_id"]: (r["dataset"], r["doc"]) for r in records}
    # A title would add words the document does not have, so it is the set's name only.
    articles = [Article(i, f"{name} article", body) for i, (name, body) in docs.items()]
    started = time.perf_counter()
    report = engine.ingest_articles(articles)
    print(f"index: {report.summary()} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def outcome(answer) -> str:  # type: ignore[no-untyped-def]
    if answer.degraded:
        return "replaced by the extractive answer"
    if answer.refused:
        return "replaced by the refusal"
    if answer.sentences and not answer.sentences[0].supported:
        return "shown, marked, with reasons" if answer.sentences[0].reasons else "shown, no reason"
    return "shown as supported"


def run(  # type: ignore[no-untyped-def]
    engine,
    fake,
    records: list[dict],  # type: ignore[type-arg]
    judge: bool,
    dump: list[dict],  # type: ignore[type-arg]
    threshold: float | None = None,
    min_alignment: dict[str, float] | None = None,
    without: frozenset[str] = frozenset(),
    notes: frozenset[str] | None = None,
    ablated: dict[str, Tally] | None = None,
) -> dict[str, Tally]:
    """Tallies per set (and "all"); with `without`, `ablated` gets the same tallies for
    verification without those checks."""
    from qa.asking.asked import read
    from qa.llm.answer import llm_answer_stream
    from qa.llm.judge import judge as judge_sentences
    from qa.types import Answer, Filters

    tallies: dict[str, Tally] = defaultdict(Tally)
    llm = engine._llm_or_error()
    checker = replace(
        engine._checker(), threshold=threshold, min_alignment=min_alignment, notes=notes
    )
    started = time.perf_counter()
    for n, record in enumerate(records):
        if n and n % 200 == 0:
            print(f"{n}/{len(records)} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        sentence = record["sentence"]
        passages = engine.retrieve(sentence, None, Filters(article_ids=(record["doc_id"],)))
        if not passages:  # the article's text is stored as another's copy: nothing to cite
            tallies["all"].unretrieved += 1
            continue
        fake.reset()
        final = [
            e
            for e in llm_answer_stream(
                read(sentence),
                (),
                llm,
                lambda _q, p=passages: p,
                engine._compose,
                lambda: checker,
                judge=judge,
            )
            if isinstance(e, Answer)
        ][-1]
        reply = fake.replies[0][1].text  # the answer (a judge call may follow it)
        lean_first = without and ablated is not None and n % 2
        if lean_first:  # alternate which runs first: the second finds the caches warm
            lean, lean_ms = _timed_verify(reply, passages, replace(checker, skip=without))
        checked, elapsed = _timed_verify(reply, passages, checker)
        if judge:
            checked = judge_sentences(checked, llm)
        if without and ablated is not None:
            if not lean_first:
                lean, lean_ms = _timed_verify(reply, passages, replace(checker, skip=without))
            if judge:
                lean = judge_sentences(lean, llm)
            _count(ablated, record, lean, lean_ms, "(not run)")
            for name in (record["dataset"], "all"):
                tallies[name].added_ms.append(elapsed - lean_ms)
        checked_codes = _count(tallies, record, checked, elapsed, outcome(final))
        dump.append(
            {
                "dataset": record["dataset"],
                "label": record["label"],
                "errors": record["errors"],
                "sentence": sentence,
                "scores": [s.score for s in checked.sentences],
                "sentences": [
                    {"score": s.score, "alignment": s.alignment, "codes": s.codes}
                    for s in checked.sentences
                ],
                "codes": checked_codes,
                "reasons": [p.reason for s in checked.sentences for p in s.problems],
                "cited": [list(s.cited) for s in checked.sentences],
            }
        )
    return tallies


def _timed_verify(reply: str, passages, checker):  # type: ignore[no-untyped-def]
    from qa.checks.verify import verify

    started = time.perf_counter()
    checked = verify(reply, passages, checker)
    return checked, (time.perf_counter() - started) * 1000


def _count(  # type: ignore[no-untyped-def]
    tallies: dict[str, Tally],
    record: dict,  # type: ignore[type-arg]
    checked,
    elapsed: float,
    shown: str,
) -> list[str]:
    """Adds one verified sentence to its set's tally and to "all"; returns its codes."""
    ok = bool(checked.sentences) and all(s.supported for s in checked.sentences)
    codes = sorted({c for s in checked.sentences for c in s.codes})
    for tally in (tallies[record["dataset"]], tallies["all"]):
        tally.ms.append(elapsed)
        if record["label"]:
            tally.faithful += 1
            tally.kept += ok
            if not ok:
                tally.false_alarm_codes.update(codes or ["(none)"])
        else:
            tally.errors += 1
            tally.flagged += not ok
            for kind in record["errors"] or ["(untyped)"]:
                tally.by_type[kind] += 1
                tally.by_type_flagged[kind] += not ok
            if not ok:
                tally.error_codes.update(codes or ["(none)"])
        if not ok:
            tally.no_code += not codes
            tally.shown[shown] += 1
    return codes


def report(name: str, t: Tally) -> None:
    print(f"\n{name}: balanced accuracy {t.balanced():.3f}")
    print(f"  faithful kept:  {share(t.kept, t.faithful)}")
    print(f"  errors flagged: {share(t.flagged, t.errors)}")
    for kind, n in sorted(t.by_type.items(), key=lambda kv: -kv[1]):
        print(f"    {kind:24s} {share(t.by_type_flagged[kind], n)}")
    print(f"  codes on flagged errors: {dict(t.error_codes.most_common())}")
    print(f"  codes of false alarms:   {dict(t.false_alarm_codes.most_common())}")
    print(f"  flags with no code: {t.no_code}")
    if t.unretrieved:
        print(f"  left out, their article gave no passage: {t.unretrieved}")
    print(f"  the reader got, for a flagged sentence: {dict(t.shown.most_common())}")
    if t.ms:
        print(f"  verification per answer: median {statistics.median(t.ms):.1f} ms")
    if t.added_ms:
        added = statistics.median(t.added_ms)
        print(f"  added by the checks of --without, per answer: median {added:.2f} ms")


def main() -> None:
    go_offline()
    from eval.perf_common import fake_openai

    FakeOpenAI = fake_openai().FakeOpenAI

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "blind"), default="tune")
    parser.add_argument("--sets", nargs="*", help="datasets to run (default: all)")
    parser.add_argument("--judge", action="store_true", help="also ask the fake judge")
    parser.add_argument("--limit", type=int, default=0, help="first N sentences only")
    parser.add_argument("--dump", type=Path, help="one JSON row per sentence, for fitting")
    parser.add_argument(
        "--without", nargs="*", default=[], help="claim check codes to also verify without"
    )
    args = parser.parse_args()
    records = load(args.split, args.sets)
    if args.limit:
        records = records[: args.limit]
    print(
        f"MODEL: the FAKE `repeater` (tests/fake_openai.py) repeating {len(records)} labelled "
        f"sentences ({args.split} split); labels are the sets' own (eval/consistency_data.py)"
    )
    dump: list[dict] = []  # type: ignore[type-arg]
    with FakeOpenAI() as fake:
        engine = build_engine(fake.url, "repeater", args.split)
        try:
            ingest(engine, records)
            engine.warm_up()
            without = frozenset(args.without)
            ablated: dict[str, Tally] = defaultdict(Tally)
            tallies = run(engine, fake, records, args.judge, dump, without=without, ablated=ablated)
        finally:
            engine.close()
    for name in sorted(tallies, key=lambda n: (n == "all", n)):
        report(name, tallies[name])
    for name in sorted(ablated, key=lambda n: (n == "all", n)):
        report(f"{name}, without {', '.join(sorted(without))}", ablated[name])
    if args.dump:
        args.dump.write_text("".join(json.dumps(row) + "\n" for row in dump))


if __name__ == "__main__":
    main()

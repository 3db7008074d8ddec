"""The LLM path over the seed question set and 200 MultiHop-RAG questions, through a FAKE model.

    python -m eval.llm_bench [--questions 200]      (from the repository root)

The model is the `copier` script of tests/fake_openai.py behind a real OpenAI-compatible HTTP server
on 127.0.0.1, reached with the real `openai` client: it copies the passage sentences that share most
words with the question, cites them, and errs on purpose in fixed shares (wrong passage, invented
sentence, unknown passage number, invented quotation, refusal, no citations; trimmed copies as
paraphrases). It is not a language model: the figures measure the citation checker and the
degradation path, not answer quality. Prints the share of citations kept, of sentences verified
supported, of answers degraded, how many planted errors were caught, and the verification overhead
per answer (median ms).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from eval.questions import DATA
from ui.offline import go_offline

MULTIHOP = DATA / "multihop-rag"  # corpus.jsonl and queries_dev.jsonl (see its README)


@dataclass
class Tally:
    answers: int = 0
    degraded: int = 0
    refused: int = 0
    citations_given: int = 0
    citations_kept: int = 0
    sentences: int = 0
    supported: int = 0
    overhead_ms: list[float] = field(default_factory=list)
    score_only_ms: list[float] = field(default_factory=list)  # the same without the claim checks
    # CPU time of this thread (the claim checks are pure Python here; the embedding runs in
    # onnxruntime's threads): the checks' cost without the wait for a busy machine's cores
    claims_cpu_ms: list[float] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    planted: Counter[str] = field(default_factory=Counter)  # kind -> answers with that error
    caught: Counter[str] = field(default_factory=Counter)  # kind -> planted error flagged
    correct_sentences: int = 0  # sentences of error-free answers
    correct_kept: int = 0  # ... verified supported


def run_set(engine, fake, questions, tally: Tally) -> None:  # type: ignore[no-untyped-def]
    from qa.checks.verify import Checker, canon, strip_citations, verify
    from qa.llm.answer import build_answer

    bm25 = engine.retriever.bm25()
    checker = Checker(bm25.analyse, bm25.idf, engine.embedder.embed)  # what the engine checks with
    score_only = dataclasses.replace(checker, claims=False)
    for question in questions:
        fake.reset()
        answer = engine.ask(question, backend="openai")
        tally.answers += 1
        tally.degraded += answer.degraded is not None
        tally.refused += answer.refused
        if answer.degraded:
            tally.reasons[answer.degraded.split(" (")[0]] += 1
        script, reply = fake.replies[-1]
        assert script == "copier"
        # The engine ran exactly this; it is re-run here to time it (embedding included).
        # Timed twice, in turn, so that the claim checks' cost is measured under the same load.
        started, cpu = time.perf_counter(), time.thread_time()
        verify(reply.text, answer.passages, score_only)
        tally.score_only_ms.append((time.perf_counter() - started) * 1000)
        score_cpu = time.thread_time() - cpu
        started, cpu = time.perf_counter(), time.thread_time()
        checked = verify(reply.text, answer.passages, checker)
        build_answer(checked, answer.passages, strict=False)
        tally.overhead_ms.append((time.perf_counter() - started) * 1000)
        tally.claims_cpu_ms.append((time.thread_time() - cpu - score_cpu) * 1000)
        tally.citations_given += checked.citations_given
        tally.citations_kept += checked.citations_kept
        tally.sentences += len(checked.sentences)
        tally.supported += len(checked.supported)
        kind = reply.truth.get("kind", "?")
        tally.planted[kind] += 1
        if kind == "correct":
            tally.correct_sentences += len(checked.sentences)
            tally.correct_kept += len(checked.supported)
        elif "bad" in reply.truth:
            bad = canon(strip_citations(reply.truth["bad"])).rstrip(".")
            flagged = [
                s for s in checked.sentences if canon(s.text).rstrip(".") == bad and not s.supported
            ]
            tally.caught[kind] += bool(flagged)


def share(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a"


def report(name: str, tally: Tally) -> None:
    print(f"\n{name}: {tally.answers} questions")
    print(f"  citations kept: {share(tally.citations_kept, tally.citations_given)}")
    print(f"  sentences verified supported: {share(tally.supported, tally.sentences)}")
    print(f"  answers degraded to extractive: {share(tally.degraded, tally.answers)}")
    for reason, count in tally.reasons.most_common():
        print(f"    {count:4d}  {reason}")
    print(f"  refusals: {share(tally.refused, tally.answers)}")
    print(
        "  sentences of error-free answers kept: "
        f"{share(tally.correct_kept, tally.correct_sentences)}"
    )
    for kind in ("wrong-passage", "invented", "unknown-ref", "invented-quote"):
        if tally.planted[kind]:
            print(f"  planted {kind:15s} caught: {share(tally.caught[kind], tally.planted[kind])}")
    if tally.overhead_ms:
        times = sorted(tally.overhead_ms)
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(
            f"  verification overhead per answer: median {statistics.median(times):.1f} ms, "
            f"p95 {p95:.1f} ms (one embedding call for the answer's sentences is most of it)"
        )
        added = [a - b for a, b in zip(tally.overhead_ms, tally.score_only_ms, strict=True)]
        print(
            f"  of which the claim checks: median {statistics.median(added):.1f} ms per answer "
            f"(score and rules only: median {statistics.median(tally.score_only_ms):.1f} ms); "
            f"CPU time of the checks: median {statistics.median(tally.claims_cpu_ms):.1f} ms"
        )


def build_engine(data_dir: Path, collection: str, url: str):  # type: ignore[no-untyped-def]
    from qa.engine import Engine
    from qa.settings import LLMSettings, Settings

    llm = LLMSettings(base_url=url, model="copier", timeout=10.0)
    return Engine.from_settings(Settings(data_dir=data_dir, collection=collection, llm=llm))


def main() -> None:
    go_offline()
    from eval.perf_common import fake_openai
    from eval.questions import SEED_QUESTIONS, load_questions

    FakeOpenAI = fake_openai().FakeOpenAI

    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=200, help="MultiHop-RAG questions")
    parser.add_argument("--multihop", type=Path, default=MULTIHOP)
    args = parser.parse_args()

    print(
        "MODEL: a FAKE copier model (tests/fake_openai.py), not a language model; see the docstring"
    )
    totals: dict[str, Tally] = defaultdict(Tally)
    with FakeOpenAI() as fake, tempfile.TemporaryDirectory() as tmp:
        engine = build_engine(Path(tmp) / "seed", "newsdesk", fake.url)
        engine.ingest_paths([Path("seeds")])
        engine.warm_up()
        seed = [q.question for q in load_questions(SEED_QUESTIONS).questions]
        run_set(engine, fake, seed, totals["seed question set"])
        engine.close()

        corpus, queries = args.multihop / "corpus.jsonl", args.multihop / "queries_dev.jsonl"
        if corpus.exists() and queries.exists():
            engine = build_engine(Path(tmp) / "multihop", "multihop", fake.url)
            started = time.perf_counter()
            ingested = engine.ingest_paths([corpus])
            print(f"multihop corpus: {ingested.summary()} in {time.perf_counter() - started:.0f} s")
            engine.warm_up()
            picked = load_questions(queries).questions[: args.questions]
            run_set(engine, fake, [q.question for q in picked], totals["MultiHop-RAG dev"])
            engine.close()
        else:
            print(f"(no MultiHop-RAG data under {args.multihop}: skipped)")
    for name, tally in totals.items():
        report(name, tally)


if __name__ == "__main__":
    main()

"""Seed benchmark: answer quality on eval/data/seed_questions.jsonl, ingest throughput against the raw
model on the same chunks, and warm `ask` latency. Prints its figures.

    python -m eval.seed_bench [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from ui.offline import go_offline


def main() -> None:
    go_offline()
    from eval.perf_common import ingest_against_raw_model
    from eval.questions import MULTIHOP_CORPUS, SEED_QUESTIONS, load_questions
    from eval.scoring import score_answer
    from qa.engine import Engine
    from qa.settings import Settings

    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--rounds", type=int, default=3, help="latency rounds over the question set"
    )
    parser.add_argument("--verbose", action="store_true", help="print each wrong answer")
    args = parser.parse_args()

    corpus = [Path("seeds"), MULTIHOP_CORPUS]
    with tempfile.TemporaryDirectory() as tmp:
        # Throughput on the seed plus the benchmark corpus: the pipeline end to end against the
        # raw model alone on the very same chunk texts.
        throughput = ingest_against_raw_model(corpus, Path(tmp) / "throughput")

        # Quality and latency on an index of the seed article alone.
        settings = Settings(data_dir=Path(tmp) / "seed")
        engine = Engine.from_settings(settings)
        engine.ingest_paths([Path("seeds")])
        questions = load_questions(SEED_QUESTIONS).questions
        engine.warm_up()
        by_type: dict[str, list[bool]] = defaultdict(list)
        latencies: list[float] = []
        for round_ in range(args.rounds):
            for q in questions:
                started = time.perf_counter()
                answer = engine.ask(q.question).to_json()
                latencies.append((time.perf_counter() - started) * 1000)
                if round_ == 0:
                    score = score_answer(q, answer)
                    by_type[q.type].append(score.correct)
                    if args.verbose and not score.correct:
                        print(f"WRONG {q.id} {q.question!r}: {answer['answer'][:200]}")
        engine.close()

    answerable = [ok for t, oks in by_type.items() if t != "unanswerable" for ok in oks]
    refused = by_type.get("unanswerable", [])
    print(f"seed questions: {len(questions)} ({len(answerable)} answerable, {len(refused)} not)")
    for kind, oks in sorted(by_type.items()):
        print(f"  {kind:13s} {sum(oks)}/{len(oks)} correct")
    print(f"answered correctly with a correct citation: {sum(answerable) / len(answerable):.3f}")
    print(f"unanswerable refused: {sum(refused) / max(1, len(refused)):.3f}")
    print(f"ingest (seeds/ + MultiHop-RAG corpus): {throughput}")
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(
        f"warm ask latency over {len(latencies)} asks: p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()

"""Query latency on the seed plus MultiHop-RAG corpus: retrieval alone and the full offline
(extractive) answer, in-process and through `POST /v1/ask` of a real `newsdesk serve`, at 1, 8 and
32 concurrent clients; requests/s; peak memory; and where one query's time goes.

    python -m eval.perf_query [--requests 100 200 320] [--levels 1 8 32] [--skip-api]

Every request carries a question not asked before in its series (seed questions, then
MultiHop-RAG queries), so the question-vector cache never helps. In-process clients are threads
sharing one Engine (as the server's worker threads do). Writes eval/out/perf_query.md and .png.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ui.offline import go_offline


def run_level(call: Callable[[str], Any], clients: int, questions: list[str]) -> dict[str, float]:
    """`clients` threads each taking the next question until none are left."""
    from eval.perf_common import percentiles

    pending = iter(questions)
    latencies: list[float] = []
    errors = 0

    def loop() -> None:
        nonlocal errors
        for question in pending:  # a shared iterator: each question is asked once
            started = time.perf_counter()
            try:
                call(question)
            except Exception:
                errors += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(loop) for _ in range(clients)]:
            future.result()
    seconds = time.perf_counter() - started
    return {
        **percentiles(latencies),
        "rps": (len(latencies) + errors) / seconds,
        "errors": errors,
        "n": len(latencies) + errors,
    }


def stage_profile(engine: Any, questions: list[str]) -> dict[str, float]:
    """Median ms of each step of one extractive answer, run one after another."""
    from qa.asking.asked import read
    from qa.types import Filters

    retriever, stages = engine.retriever, {}
    timings: dict[str, list[float]] = {}

    def timed(name: str, step: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = step()
        timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        return result

    n, bm25 = retriever.settings.candidates, retriever.bm25()
    mask = Filters().bm25_mask(bm25)
    for question in questions:
        vector = timed("embed question", lambda q=question: engine.embedder.embed([q])[0])
        timed("chroma query", lambda v=vector: retriever.store.query(v, n, None))
        timed("bm25 search", lambda q=question: bm25.search(q, n, mask))
        passages = timed("retrieve (all)", lambda q=question: retriever.retrieve(q))
        timed("compose answer", lambda q=question, p=passages: engine._compose(read(q), p))
    for name, values in timings.items():
        stages[name] = statistics.median(values)
    return stages


def questions_stream() -> Iterator[str]:
    from eval.api_bench import _questions

    return _questions()


def main() -> None:
    go_offline()
    from eval import api_bench
    from eval.perf_common import bar_plot, conditions, peak_rss_mb, table, write_report
    from qa.engine import Engine
    from qa.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, nargs="+", default=[100, 200, 320])
    parser.add_argument("--skip-api", action="store_true", help="in-process figures only")
    args = parser.parse_args()
    if len(args.requests) != len(args.levels):
        parser.error("give one --requests count per level")

    before = conditions()
    all_questions = list(questions_stream())
    rows: list[tuple[object, ...]] = []
    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        print(api_bench._index(data_dir), flush=True)
        engine = Engine.from_settings(Settings(data_dir=data_dir))
        engine.warm_up()
        stages = stage_profile(engine, all_questions[-30:])
        print(
            "one query, median ms per step: " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
        )
        series: dict[str, Callable[[str], Any]] = {
            "retrieve (in-process)": engine.retrieve,
            "answer (in-process)": engine.ask,
        }
        for name, call in series.items():
            fresh = itertools.cycle(all_questions)  # each series starts with a cold vector cache
            engine.retriever.query_vector.clear()
            run_level(call, 4, list(itertools.islice(fresh, 20)))  # warm-up
            for clients, count in zip(args.levels, args.requests, strict=True):
                got = run_level(call, clients, list(itertools.islice(fresh, count)))
                rows.append(
                    (
                        name,
                        clients,
                        got["p50"],
                        got["p95"],
                        got["p99"],
                        got["rps"],
                        f"{got['errors']}/{got['n']}",
                    )
                )
                rates[f"{name.split()[0]} x{clients}"] = got["rps"]
                print(rows[-1], flush=True)
        engine.close()
        in_process_peak = peak_rss_mb()
        api_peak = float("nan")
        if not args.skip_api:
            api_peak = _api_rows(api_bench, data_dir, Path(tmp), args, all_questions, rows, rates)

    lines = [
        "Corpus: seeds/ + MultiHop-RAG (609 articles, about 620 chunks); offline extractive answers.",
        "One query, median ms per step (sequential): "
        + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()),
        table(["series", "clients", "p50 ms", "p95 ms", "p99 ms", "req/s", "errors"], rows),
        f"peak RSS: benchmark process (in-process series) {in_process_peak:.0f} MB; "
        f"server process {api_peak:.0f} MB",
        f"Measured: {before}. Clients run on the same 2 cores as the server.",
    ]
    print("\n".join(lines[1:]))
    plot = bar_plot(rates, "requests/s", "Throughput by series and clients", "perf_query")
    print(f"report: {write_report('perf_query', 'Query latency', chr(10).join(lines), plot)}")


def _api_rows(
    api_bench: Any,
    data_dir: Path,
    tmp: Path,
    args: Any,
    questions: list[str],
    rows: list,
    rates: dict[str, float],
) -> float:
    """The /v1/ask series against a real server; returns its peak RSS in MB."""
    from eval.perf_common import peak_rss_mb, percentiles

    with api_bench.running_server(data_dir, tmp / "server.log") as (url, server, _):
        fresh = itertools.cycle(reversed(questions))
        asyncio.run(api_bench._level(url, 4, list(itertools.islice(fresh, 20))))
        for clients, count in zip(args.levels, args.requests, strict=True):
            level = asyncio.run(
                api_bench._level(url, clients, list(itertools.islice(fresh, count)))
            )
            got = percentiles(level.latencies_ms)
            rps = (len(level.latencies_ms) + level.errors) / level.seconds
            rows.append(
                (
                    "/v1/ask (HTTP)",
                    clients,
                    got["p50"],
                    got["p95"],
                    got["p99"],
                    rps,
                    f"{level.errors}/{len(level.latencies_ms) + level.errors}",
                )
            )
            rates[f"http x{clients}"] = rps
            print(rows[-1], flush=True)
        return peak_rss_mb(server.pid)


if __name__ == "__main__":
    main()

"""HTTP API benchmark: `POST /v1/ask` (offline extractive backend) on a real `newsdesk serve`.

    python -m eval.api_bench [--requests 100 300 600] [--levels 1 8 32]

Indexes the seed article plus the MultiHop-RAG corpus (609 articles) in a temporary data dir,
starts `newsdesk serve` on a free loopback port, and sends questions from 1, 8 and 32 concurrent
clients. Every request carries a question not asked before (seed questions, then MultiHop-RAG
queries), so the server's question-vector cache never helps. Prints per level: p50 and p95
latency, requests per second, errors (any non-200 or failed request); and the server process's
peak resident memory (VmHWM). The clients run on the same machine and take CPU from the server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ui.offline import go_offline

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Level:
    clients: int
    latencies_ms: list[float]
    errors: int
    seconds: float

    def line(self) -> str:
        ordered = sorted(self.latencies_ms)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("nan")
        p50 = statistics.median(ordered) if ordered else float("nan")
        rate = (len(self.latencies_ms) + self.errors) / self.seconds
        return (
            f"{self.clients:>3} clients: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
            f"{rate:6.1f} req/s  errors {self.errors}/{len(self.latencies_ms) + self.errors}"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status(pid: int, field: str) -> int:
    """A /proc/PID/status size in kB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _questions() -> Iterator[str]:
    from eval.questions import MULTIHOP_QUESTIONS, SEED_QUESTIONS, load_questions

    seen: set[str] = set()
    for path in (SEED_QUESTIONS, MULTIHOP_QUESTIONS):
        for q in load_questions(path).questions:
            if q.question not in seen:
                seen.add(q.question)
                yield q.question


def _index(data_dir: Path) -> str:
    from eval.questions import MULTIHOP_CORPUS
    from qa.engine import Engine
    from qa.settings import Settings

    engine = Engine.from_settings(Settings(data_dir=data_dir))
    try:
        started = time.perf_counter()
        report = engine.ingest_paths([ROOT / "seeds", MULTIHOP_CORPUS])
        seconds = time.perf_counter() - started
    finally:
        engine.close()
    return f"index: {report.summary()}, {report.chunks} chunks in {seconds:.1f}s"


def _serve(
    data_dir: Path, port: int, log: Path, settings: dict[str, str] | None = None
) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env["NEWSDESK_SERVER__RATE_LIMIT_PER_MINUTE"] = "0"  # measure the server, not the limiter
    env.update(settings or {})  # NEWSDESK_* variables for this server
    command = [sys.executable, "-m", "ui.cli", "--data-dir", str(data_dir), "serve"]
    with log.open("w") as sink:
        return subprocess.Popen(
            [*command, "--port", str(port)], cwd=ROOT, env=env, stdout=sink, stderr=sink
        )


@contextmanager
def running_server(
    data_dir: Path, log: Path, settings: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen, float]]:
    """`newsdesk serve` over `data_dir` on a free loopback port: (url, process, seconds until
    ready), stopped on leaving the block."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = _serve(data_dir, port, log, settings)
    try:
        yield url, server, asyncio.run(_wait_ready(url, server, log))
    finally:
        server.terminate()
        server.wait(timeout=60)


async def _wait_ready(url: str, server: subprocess.Popen, log: Path) -> float:
    import httpx

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        while time.perf_counter() - started < 300:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped:\n{log.read_text()}")
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"the server did not get ready:\n{log.read_text()}")


async def _level(url: str, clients: int, questions: list[str]) -> Level:
    import httpx

    pending = list(reversed(questions))
    latencies: list[float] = []
    errors = 0

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while pending:
            question = pending.pop()
            started = time.perf_counter()
            try:
                response = await client.post("/v1/ask", json={"question": question})
                ok = response.status_code == 200 and "answer" in response.json()
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        seconds = time.perf_counter() - started
    return Level(clients, latencies, errors, seconds)


def main() -> None:
    go_offline()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument(
        "--requests", type=int, nargs="+", default=[100, 300, 600], help="per level"
    )
    parser.add_argument("--warm-up", type=int, default=20, help="requests before measuring")
    args = parser.parse_args()
    if len(args.requests) != len(args.levels):
        parser.error("give one --requests count per level")

    questions = _questions()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, log = Path(tmp) / "data", Path(tmp) / "server.log"
        print(_index(data_dir), flush=True)
        with running_server(data_dir, log) as (url, server, ready):
            print(f"server ready in {ready:.1f}s; RSS {_status(server.pid, 'VmRSS') / 1024:.0f} MB")
            asyncio.run(_level(url, 4, [next(questions) for _ in range(args.warm_up)]))
            for clients, count in zip(args.levels, args.requests, strict=True):
                level = asyncio.run(_level(url, clients, [next(questions) for _ in range(count)]))
                print(level.line(), flush=True)
            peak = _status(server.pid, "VmHWM") / 1024
            print(
                f"server peak RSS (VmHWM): {peak:.0f} MB; now {_status(server.pid, 'VmRSS') / 1024:.0f} MB"
            )


if __name__ == "__main__":
    main()

"""Shared by the perf_* benchmarks: percentiles, peak memory, and the Markdown report with its plot."""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

OUT = Path(__file__).resolve().parent / "out"


def fake_openai() -> ModuleType:
    """tests/fake_openai.py, the scriptable OpenAI-compatible fake (127.0.0.1 only) that the LLM
    benchmarks talk to: it lives beside the tests, outside the installed packages."""
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    import tests.fake_openai

    return tests.fake_openai


def percentiles(values_ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99 by nearest rank (NaN when empty)."""
    ordered = sorted(values_ms)
    if not ordered:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}

    def rank(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]

    return {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99)}


def peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident memory: of this process (getrusage) or of another one (VmHWM, Linux)."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def conditions() -> str:
    """What the figures were measured on: they only compare within one run."""
    load = os.getloadavg()
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average before the run {load[0]:.2f}"
    )


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return f"{v:.1f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def write_report(name: str, title: str, body: str, plot: Path | None) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.md"
    image = f"\n\n![{title}]({plot.name})\n" if plot else "\n"
    path.write_text(f"# {title}\n\n{body.strip()}{image}")
    return path


def pyplot():  # type: ignore[no-untyped-def]
    """matplotlib's pyplot on the Agg backend, or None when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


def bar_plot(values: dict[str, float], ylabel: str, title: str, name: str) -> Path | None:
    plt = pyplot()
    if plt is None:
        return None
    figure, axes = plt.subplots(figsize=(7, 4), dpi=110)
    bars = axes.bar(list(values), list(values.values()), color="#4477aa")
    axes.bar_label(bars, fmt="%.1f", fontsize=8)
    axes.set_ylabel(ylabel)
    axes.set_title(title, fontsize=10)
    axes.grid(axis="y", alpha=0.3)
    axes.tick_params(axis="x", labelsize=8)
    figure.tight_layout()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    figure.savefig(path)
    plt.close(figure)
    return path


def ingest_against_raw_model(corpus: Sequence[Path], data_dir: Path) -> str:
    """Ingest `corpus` end to end into a fresh index at `data_dir` (load, chunk, embed, store), then
    embed the very same chunk texts with the raw model alone; both start with the model and the
    sentence splitter loaded (start-up is not throughput). One line with both rates and their ratio."""
    from index.chunking import chunk_article, sentence_splitter
    from index.formats.loaders import load_paths
    from qa.engine import Engine
    from qa.settings import Settings

    sentence_splitter()
    engine = Engine.from_settings(Settings(data_dir=data_dir))
    try:
        engine.embedder.embed(["warm up"])
        started = time.perf_counter()
        report = engine.ingest_paths(list(corpus))
        ingest_seconds = time.perf_counter() - started
        config = engine.settings.chunking.config()
        texts = [
            c.indexed_text
            for a in load_paths(list(corpus)).articles
            for c in chunk_article(a, engine.embedder.count_tokens, config)
        ]
        started = time.perf_counter()
        engine.embedder.embed(texts)
        raw_seconds = time.perf_counter() - started
    finally:
        engine.close()
    chunks = report.chunks
    return (
        f"{chunks} chunks in {ingest_seconds:.2f}s = {chunks / ingest_seconds:.1f} chunks/s; "
        f"raw model on the same chunks {len(texts) / raw_seconds:.1f} chunks/s; "
        f"ratio {raw_seconds / ingest_seconds:.2f}"
    )

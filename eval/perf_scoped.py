"""Filtered questions at scale, for `eval.perf_scale`: the filters, the designs, the crossover, HTTP.

Three filters: a story (1-5 articles picked per question), one outlet (the seed article's, about
one chunk in 80), and one week (synthetic chunks carry dates spread over two years, so a week
keeps about one in 100). Three ways to do the dense side of a filtered question:

- "chroma where": Chroma searches the filtered subset (what newsdesk did before); no memory.
- "id fetch": the kept chunks' float32 vectors read from Chroma by id, scored exactly; no memory.
- "int8 mirror": the kept slots' vectors from the in-process mirror (index/store/vector_mirror.py).
"""

from __future__ import annotations

import asyncio
import datetime
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from eval.perf_common import percentiles
from qa.types import Filters

DESIGNS = ("chroma where", "id fetch", "int8 mirror")
FLOAT32_BYTES = 4


def week_of(published: np.ndarray) -> Filters:
    """Seven days from the median date: a "this week" filter."""
    days = np.sort(published[published > 0])
    middle = int(days[len(days) // 2]) if len(days) else 20240101
    start = datetime.date(middle // 10000, middle // 100 % 100, middle % 100)
    end = start + datetime.timedelta(days=6)
    return Filters(published_from=_yyyymmdd(start), published_to=_yyyymmdd(end))


def _yyyymmdd(day: datetime.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def filters_per_question(
    engine: Any, count: int, source: str, seed: int = 5
) -> dict[str, list[Filters]]:
    """name -> one filter per question (stories differ per question; outlet and week do not)."""
    rng = np.random.default_rng(seed)
    article_ids = sorted(engine.store.versions())
    stories = [
        Filters(
            article_ids=tuple(
                str(a) for a in rng.choice(article_ids, int(rng.integers(1, 6)), replace=False)
            )
        )
        for _ in range(count)
    ]
    week = week_of(engine.retriever.bm25().slots.published)
    return {
        "story": stories,
        "source": [Filters(sources=(source,))] * count,
        "week": [week] * count,
    }


@contextmanager
def chroma_where(retriever: Any) -> Iterator[None]:
    """Filtered questions as before this change: Chroma's own filtered search."""
    kept = retriever.settings.scoped_max_chunks
    retriever.settings.scoped_max_chunks = 0
    try:
        yield
    finally:
        retriever.settings.scoped_max_chunks = kept


def kept_chunks(engine: Any, filters: Filters) -> int:
    bm25 = engine.retriever.bm25()
    return int(np.count_nonzero(filters.bm25_mask(bm25) & bm25.slots.alive))


def dense_by_design(
    engine: Any, design: str, vector: np.ndarray, filters: Filters, n: int = 30
) -> list[tuple[str, float]]:
    retriever, store = engine.retriever, engine.store
    bm25 = retriever.bm25()
    mask = retriever.scoped.mask(filters, bm25)
    if design == "chroma where":
        hits = store.query(vector, n, filters.chroma_where())
        return [(h.chunk_id, h.similarity) for h in hits]
    if design == "int8 mirror":
        hits = retriever.scoped.search(vector, n, bm25, mask)
        assert hits is not None, "the mirror did not answer"
        return [(h.chunk_id, h.similarity) for h in hits]
    slots = np.flatnonzero(mask & bm25.slots.alive)
    ids = bm25.slots.chunk_ids[slots].tolist()
    if not ids:
        return []
    vectors = store.chunk_vectors(ids)
    similarity = vectors @ (vector / np.linalg.norm(vector))
    top = np.argsort(-similarity)[:n]
    return [(ids[i], float(similarity[i])) for i in top]


def design_rows(
    engine: Any, questions: list[str], filters: dict[str, list[Filters]], size: int
) -> tuple[list[tuple[object, ...]], list[str]]:
    """Dense search only (question vectors computed beforehand) by filter and design, and how
    far each design's top 30 agrees with the exact one (float32, every kept chunk scored)."""
    vectors = [engine.retriever.query_vector(q) for q in questions]
    rows: list[tuple[object, ...]] = []
    for name, per_question in filters.items():
        kept = int(np.median([kept_chunks(engine, f) for f in per_question]))
        results: dict[str, list[list[str]]] = {}
        p50_p95: dict[str, str] = {}
        for design in DESIGNS:
            latencies, results[design] = [], []
            for vector, f in zip(vectors, per_question, strict=True):
                started = time.perf_counter()
                got = dense_by_design(engine, design, vector, f)
                latencies.append((time.perf_counter() - started) * 1000)
                results[design].append([chunk_id for chunk_id, _ in got])
            p = percentiles(latencies)
            p50_p95[design] = f"{p['p50']:.1f} / {p['p95']:.1f}"
        exact = results["id fetch"]
        for design in DESIGNS:
            pairs = list(zip(results[design], exact, strict=True))
            overlap = np.mean([len(set(a) & set(b)) / max(len(b), 1) for a, b in pairs])
            first = np.mean([a[:1] == b[:1] for a, b in pairs])
            rows.append(
                (size, name, kept, design, p50_p95[design], f"{overlap:.3f}", f"{first:.2f}")
            )
    return rows, ["chunks", "filter", "kept chunks (median)", "dense side", "p50/p95 ms",
                  "top-30 overlap with exact", "same first hit"]  # fmt: skip


def memory_lines(engine: Any) -> list[str]:
    bm25 = engine.retriever.bm25()
    mirror = engine.retriever.bm25_keeper.mirror(bm25)
    live = bm25.live
    dimension = mirror.dimension if mirror else 384
    lines = [
        f"memory beyond today's, at {live:,} chunks ({dimension} dimensions):",
        "  chroma where: 0 B (Chroma's own filtered search)",
        "  id fetch: 0 B kept (the kept chunks' float32 vectors read per question)",
    ]
    if mirror is not None:
        lines.append(
            f"  int8 mirror: {mirror.nbytes / 2**20:.1f} MB = {mirror.bytes_per_chunk():.0f} B per live "
            f"chunk ({dimension} int8 + a float32 scale per slot, dead slots until BM25 compacts)"
        )
    lines.append(
        f"  (float16 mirror, not built: {2 * dimension + 4} B per chunk; float32: "
        f"{FLOAT32_BYTES * dimension} B)"
    )
    return lines


def crossover(
    engine: Any, questions: list[str], targets: list[int]
) -> tuple[list[tuple], int | None]:
    """Dense side of a date-range filter keeping about N chunks: mirror vs Chroma's filtered
    search. Returns the rows and the smallest N where Chroma was faster (None: never)."""
    bm25 = engine.retriever.bm25()
    days = np.sort(bm25.slots.published[bm25.slots.alive & (bm25.slots.published > 0)])
    vectors = [engine.retriever.query_vector(q) for q in questions]
    rows, first_chroma = [], None
    for target in targets:
        if target > len(days):
            continue
        f = Filters(published_from=int(days[0]), published_to=int(days[target - 1]))
        kept = kept_chunks(engine, f)
        p50 = {}
        for design in ("chroma where", "int8 mirror"):
            latencies = []
            for vector in vectors:
                started = time.perf_counter()
                dense_by_design(engine, design, vector, f)
                latencies.append((time.perf_counter() - started) * 1000)
            p50[design] = percentiles(latencies)["p50"]
        if first_chroma is None and p50["chroma where"] <= p50["int8 mirror"]:
            first_chroma = kept
        rows.append((len(days), kept, f"{p50['chroma where']:.1f}", f"{p50['int8 mirror']:.1f}"))
        print(rows[-1], flush=True)
    return rows, first_chroma


def http_before_after(
    data_dir: Path, log: Path, questions: list[list[str]], filters: dict[str, list[Filters]]
) -> list[tuple[object, ...]]:
    """`POST /v1/ask` with each filter against a real `newsdesk serve`, one client: Chroma's
    filtered search (scoped_max_chunks=0, as before) and the mirror (the default). Each series
    gets its own questions (`questions[i]`), so the server's question-vector cache never helps;
    both servers get the same ones."""
    from eval import api_bench

    rows: list[tuple[object, ...]] = []
    configurations = {
        "before (chroma where)": {"NEWSDESK_RETRIEVAL__SCOPED_MAX_CHUNKS": "0"},
        "after (int8 mirror)": {},
    }
    for label, env in configurations.items():
        with api_bench.running_server(data_dir, log, env) as (url, _, ready):
            asyncio.run(api_bench._level(url, 1, questions[-1][:5]))
            named = {"none": [Filters()] * len(questions[0]), **filters}
            for asked, (name, per_question) in zip(questions, named.items(), strict=False):
                latencies = asyncio.run(_asks(url, asked, per_question))
                p = percentiles(latencies)
                rows.append((label, name, f"{ready:.1f}", f"{p['p50']:.1f} / {p['p95']:.1f}"))
                print(rows[-1], flush=True)
    return rows


async def _asks(url: str, questions: list[str], filters: list[Filters]) -> list[float]:
    import httpx

    latencies = []
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        for question, f in zip(questions, filters, strict=True):
            body: dict[str, Any] = {"question": question}
            wire = _wire(f)
            if wire:
                body["filters"] = wire
            started = time.perf_counter()
            response = await client.post("/v1/ask", json=body)
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def _wire(f: Filters) -> dict[str, Any]:
    def date(value: int | None) -> str | None:
        return (
            None
            if value is None
            else f"{value // 10000}-{value // 100 % 100:02d}-{value % 100:02d}"
        )

    out: dict[str, Any] = {
        "article_ids": list(f.article_ids) or None,
        "sources": list(f.sources) or None,
        "published_from": date(f.published_from),
        "published_to": date(f.published_to),
    }
    return {k: v for k, v in out.items() if v is not None}


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = call()
    return value, time.perf_counter() - started

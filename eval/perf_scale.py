"""How query cost grows with the index: retrieval (dense/Chroma, BM25, hybrid, and dense with a
`where` filter) and full offline answers at 1k, 10k and 100k chunks; BM25 build time and memory.

    python -m eval.perf_scale [--sizes 1000 10000 100000] [--queries 60]

The real chunks of seeds/ + the MultiHop-RAG corpus (about 620) are embedded once. Every further
chunk is SYNTHETIC: a copy of a real chunk (same text, under a new article id) whose vector is the
real one plus Gaussian noise, renormalised (cosine about 0.9 to its original). Copies have no
stored sentence vectors (answers split and score their sentences lexically). They are written
straight through the Store API in batches, so a 100k index builds in minutes, not hours.
Writes eval/out/perf_scale.md and eval/out/perf_scale.png.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ui.offline import go_offline

ROOT = Path(__file__).resolve().parent.parent
NOISE = 0.025  # per dimension; |noise| ~ 0.5 against unit vectors


def real_templates(engine: Any, articles: list[Any]) -> list[Any]:
    """The real articles as ready-to-store versions (one model pass), also written to the index."""
    from index.chunking import chunk_article
    from index.store import ArticleVersion

    config = engine.settings.chunking.config()
    per_article = [chunk_article(a, engine.embedder.count_tokens, config) for a in articles]
    chunks = [c for cs in per_article for c in cs]
    vectors, sentences = engine.embedder.embed_spans(
        [c.indexed_text for c in chunks], [c.sentence_spans_in_indexed_text() for c in chunks]
    )
    out, first = [], 0
    for article, cs in zip(articles, per_article, strict=True):
        last = first + len(cs)
        out.append(ArticleVersion(article, cs, vectors[first:last], sentences[first:last]))
        first = last
    return [v for v in out if v.chunks]


def synthetic(template: Any, copy: int, rng: np.random.Generator) -> Any:
    from index.store import ArticleVersion

    article = dataclasses.replace(template.article, id=f"{template.article.id}~{copy}")
    chunks = [
        dataclasses.replace(c, id=f"{c.id}~{copy}", article_id=article.id, sentences=())
        for c in template.chunks
    ]
    noisy = template.vectors + rng.normal(0, NOISE, template.vectors.shape).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    empty = [np.zeros((0, noisy.shape[1]), dtype=np.float32) for _ in chunks]
    return ArticleVersion(article, chunks, noisy, empty)


def grow(store: Any, templates: list[Any], target: int, copy_from: int) -> int:
    """Add synthetic articles until the index holds `target` chunks; returns the next copy number."""
    rng = np.random.default_rng(copy_from)
    count, copy, pending = store.chunk_count(), copy_from, []
    for template in itertools.cycle(templates):
        if count >= target:
            break
        pending.append(synthetic(template, copy, rng))
        count += len(template.chunks)
        if template is templates[-1]:
            copy += 1
        if len(pending) >= 400:
            store.put_articles(pending)
            pending = []
    if pending:
        store.put_articles(pending)
    return copy + 1


def bm25_costs(engine: Any, template: Any, copy: int) -> list[str]:
    """Rebuild from scratch, restart from the file, and the update after one more article."""
    from index import bm25_file
    from index.bm25 import Bm25Index
    from index.bm25_keeper import Bm25Keeper

    store, keeper = engine.store, engine.retriever.bm25_keeper
    keeper.current()  # catch up with the chunks just written
    started = time.perf_counter()
    stored = list(store.iter_chunks())
    read = time.perf_counter() - started
    Bm25Index.build(stored, store.versions())
    rebuild = time.perf_counter() - started
    path = Path(keeper.path or store.bm25_path)
    bm25_file.save(keeper.current(), path, store.snapshot_key)
    started = time.perf_counter()
    restarted = Bm25Keeper(store, path)
    restarted.current()
    restart = time.perf_counter() - started
    restarted.close()
    assert restarted.last.loaded == "file", restarted.last
    store.put_articles([synthetic(template, copy, np.random.default_rng(copy))])
    started = time.perf_counter()
    keeper.current()
    update = (time.perf_counter() - started) * 1000
    assert keeper.last.articles == 1, keeper.last
    size = path.stat().st_size / 2**20
    return [f"{rebuild:.2f} ({read:.2f})", f"{restart:.2f}", f"{update:.0f}", f"{size:.1f}"]


def measure(call: Callable[[str], Any], questions: list[str]) -> dict[str, float]:
    from eval.perf_common import percentiles

    latencies = []
    for question in questions:
        started = time.perf_counter()
        call(question)
        latencies.append((time.perf_counter() - started) * 1000)
    return percentiles(latencies)


def main() -> None:
    go_offline()
    from eval.api_bench import _questions
    from eval.perf_common import OUT, conditions, pyplot, rss_mb, table, write_report
    from eval.questions import MULTIHOP_CORPUS
    from index.loaders import load_paths
    from qa.engine import Engine
    from qa.settings import Settings
    from qa.types import Filters

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--queries", type=int, default=60, help="distinct questions per series")
    args = parser.parse_args()

    before = conditions()
    questions = list(_questions())
    articles = load_paths([ROOT / "seeds", MULTIHOP_CORPUS]).articles
    source = next(a.source for a in articles if a.source)
    rows: list[tuple[object, ...]] = []
    curves: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.from_settings(Settings(data_dir=Path(tmp) / "data"))
        templates = real_templates(engine, articles)
        engine.store.put_articles(templates)
        copy, retriever = 1, engine.retriever
        series: dict[str, Callable[[str], Any]] = {
            "dense": lambda q: retriever.retrieve(q, mode="dense"),
            "bm25": lambda q: retriever.retrieve(q, mode="bm25"),
            "hybrid": lambda q: retriever.retrieve(q),
            "hybrid+filter": lambda q: retriever.retrieve(q, filters=Filters(sources=(source,))),
            "answer": lambda q: engine.ask(q),
        }
        for size in sorted(args.sizes):
            started = time.perf_counter()
            copy = grow(engine.store, templates, size, copy)
            build = time.perf_counter() - started
            bm25 = bm25_costs(engine, templates[0], copy)
            copy += 1
            chunks = retriever.bm25().live
            row: list[object] = [chunks, f"{build:.1f}", *bm25]
            for name, call in series.items():
                for question in questions[-5:]:  # warm-up, not measured
                    call(question)
                retriever.query_vector.clear()  # the same questions per series, none cached
                asked = questions[100 : 100 + args.queries]
                got = measure(call, asked)
                curves.setdefault(name, []).append(got["p50"])
                row.append(f"{got['p50']:.1f} / {got['p95']:.1f}")
            row.append(f"{rss_mb():.0f}")
            rows.append(tuple(row))
            print(rows[-1], flush=True)
        engine.close()

    header = [
        "chunks",
        "write s",
        "BM25 rebuild s (read s)",
        "BM25 restart from file s",
        "BM25 +1 article ms",
        "BM25 file MB",
        *(f"{n} p50/p95 ms" for n in series),
        "RSS MB",
    ]
    ratio = curves["hybrid"][-1] / curves["hybrid"][0]
    lines = [
        table(header, rows),
        f"hybrid retrieval p50 at {rows[-1][0]} chunks / at {rows[0][0]} chunks: {ratio:.2f}x",
        "Beyond the ~620 real chunks every chunk is synthetic: a copy of a real chunk's text "
        f"with its vector plus Gaussian noise (sigma {NOISE} per dimension), renormalised; copies "
        "carry no sentence vectors. BM25's vocabulary therefore stops growing after the real "
        "chunks while its postings grow with the index. 'write s' is the time to add that "
        "step's chunks through the Store API with precomputed vectors; 'BM25 build s' the time "
        "to rebuild the BM25 index from the store (in brackets: reading every chunk back from Chroma), "
        "which is what every start cost before the index was kept in a file; 'restart from file' "
        "loads that file and checks it against the article registry, as `newsdesk serve` does "
        "at start; '+1 article' stores one more article and brings the index up to date "
        "(what each ingest costs the index). Each series asks the same MultiHop-RAG "
        "questions with the question-vector cache cleared first. 'hybrid+filter' restricts to one source.",
        f"Measured: {before}.",
    ]
    print("\n".join(lines[:2]))
    plot = _plot(pyplot(), [int(r[0]) for r in rows], curves, OUT / "perf_scale.png")
    print(
        f"report: {write_report('perf_scale', 'Query cost by index size', chr(10).join(lines), plot)}"
    )


def _plot(plt: Any, sizes: list[int], curves: dict[str, list[float]], path: Path) -> Path | None:
    if plt is None:
        return None
    figure, axes = plt.subplots(figsize=(7, 4), dpi=110)
    for name, values in curves.items():
        axes.plot(sizes, values, marker="o", label=name)
    axes.set_xscale("log")
    axes.set_xlabel("chunks in the index")
    axes.set_ylabel("p50 latency (ms)")
    axes.set_title("Query latency by index size (one client)", fontsize=10)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path


if __name__ == "__main__":
    main()

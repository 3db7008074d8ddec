"""How query cost grows with the index: retrieval (dense/Chroma, BM25, hybrid, and hybrid scoped to
a story, an outlet or a week) and full offline answers at 1k, 10k and 100k chunks; BM25 and vector
mirror build time and memory; the designs for filtered questions side by side.

    python -m eval.perf_scale [--sizes 1000 10000 100000] [--queries 60] [--crossover] [--http]

`--crossover` times a date filter keeping more and more chunks (mirror vs Chroma's filtered search)
at the largest size; `--http` sends filtered `/v1/ask` requests to a real `newsdesk serve` over the
largest index, once with Chroma's filtered search (as before) and once with the mirror.

The real chunks of seeds/ + the MultiHop-RAG corpus (about 620) are embedded once. Every further
chunk is SYNTHETIC: a copy of a real chunk (same text, under a new article id) whose vector is the
real one plus Gaussian noise, renormalised (cosine about 0.9 to its original), and a publication
date drawn uniformly from two years (so a week keeps about 1% of them). Copies have no
stored sentence vectors (answers split and score their sentences lexically). They are written
straight through the Store API in batches, so a 100k index builds in minutes, not hours.
Writes eval/out/perf_scale.md and eval/out/perf_scale.png.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
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
FIRST_DAY, DAYS = datetime.date(2022, 1, 1), 730  # synthetic publication dates


def real_templates(engine: Any, articles: list[Any]) -> list[Any]:
    """The real articles as ready-to-store versions (one model pass), also written to the index."""
    from index.chunking import chunk_article
    from index.store.store import ArticleVersion

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
    from index.store.store import ArticleVersion

    day = FIRST_DAY + datetime.timedelta(days=int(rng.integers(DAYS)))
    published = day.year * 10000 + day.month * 100 + day.day
    article = dataclasses.replace(
        template.article, id=f"{template.article.id}.c{copy}", published=published
    )
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


def index_costs(engine: Any, template: Any, copy: int) -> list[str]:
    """BM25 and the vector mirror: rebuilt from the store, restarted from their files, and the
    update after one more article; the files' sizes."""
    from index.store import bm25_file, vector_mirror
    from index.store.bm25 import Bm25Index
    from index.store.bm25_keeper import Bm25Keeper
    from index.store.vector_mirror import VectorMirror

    store, keeper = engine.store, engine.retriever.bm25_keeper
    index = keeper.current()  # catch up with the chunks just written
    started = time.perf_counter()
    stored = list(store.iter_chunks())
    read = time.perf_counter() - started
    Bm25Index.build(stored, store.versions())
    rebuild = time.perf_counter() - started
    started = time.perf_counter()
    mirror = VectorMirror.empty().follow(index, store.chunk_vectors)
    mirror_build = time.perf_counter() - started
    path, vectors = Path(keeper.path or store.bm25_path), Path(store.vector_mirror_path)
    bm25_file.save(index, path, store.snapshot_key)
    vector_mirror.save(mirror, vectors, store.snapshot_key)
    started = time.perf_counter()
    restarted = Bm25Keeper(store, path, vectors_path=vectors, keep_vectors=True)
    restarted.current()
    restart = time.perf_counter() - started
    restarted.close()
    assert (restarted.last.loaded, restarted.last.mirror) == ("file", "file"), restarted.last
    store.put_articles([synthetic(template, copy, np.random.default_rng(copy))])
    started = time.perf_counter()
    keeper.current()
    update = (time.perf_counter() - started) * 1000
    assert keeper.last.articles == 1 and keeper.last.vectors_read == len(template.chunks)
    mb = [p.stat().st_size / 2**20 for p in (path, vectors)]
    return [
        f"{rebuild:.2f} ({read:.2f})", f"{mirror_build:.2f}", f"{restart:.2f}", f"{update:.0f}",
        f"{mb[0]:.1f} / {mb[1]:.1f}",
    ]  # fmt: skip


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
    from eval import perf_scoped
    from eval.api_bench import _questions
    from eval.perf_common import OUT, conditions, pyplot, rss_mb, table, write_report
    from eval.questions import MULTIHOP_CORPUS
    from index.formats.loaders import load_paths
    from qa.engine import Engine
    from qa.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--queries", type=int, default=60, help="distinct questions per series")
    parser.add_argument("--crossover", action="store_true", help="mirror vs Chroma by filter size")
    parser.add_argument("--http", action="store_true", help="filtered /v1/ask before and after")
    args = parser.parse_args()

    before = conditions()
    questions = list(_questions())
    asked = questions[100 : 100 + args.queries]
    articles = load_paths([ROOT / "seeds", MULTIHOP_CORPUS]).articles
    source = next(a.source for a in articles if a.source)
    costs: list[tuple[object, ...]] = []
    rows: list[tuple[object, ...]] = []
    designs: list[tuple[object, ...]] = []
    curves: dict[str, list[float]] = {}
    extra: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        engine = Engine.from_settings(Settings(data_dir=data_dir))
        templates = real_templates(engine, articles)
        engine.store.put_articles(templates)
        copy, retriever = 1, engine.retriever
        filters: dict[str, list[Any]] = {}

        def scoped(name: str) -> Callable[[str], Any]:
            def call(question: str) -> Any:
                per_question = dict(zip(asked, filters[name], strict=True))
                return retriever.retrieve(
                    question, filters=per_question.get(question, filters[name][0])
                )

            return call

        def before_change(call: Callable[[str], Any]) -> Callable[[str], Any]:
            def chroma(question: str) -> Any:
                with perf_scoped.chroma_where(retriever):
                    return call(question)

            return chroma

        series: dict[str, Callable[[str], Any]] = {
            "dense": lambda q: retriever.retrieve(q, mode="dense"),
            "bm25": lambda q: retriever.retrieve(q, mode="bm25"),
            "hybrid": lambda q: retriever.retrieve(q),
            "hybrid+story": scoped("story"),
            "hybrid+source": scoped("source"),
            "hybrid+week": scoped("week"),
            "hybrid+source, chroma where": before_change(scoped("source")),
            "hybrid+week, chroma where": before_change(scoped("week")),
            "answer": lambda q: engine.ask(q),
        }
        for size in sorted(args.sizes):
            started = time.perf_counter()
            copy = grow(engine.store, templates, size, copy)
            build = time.perf_counter() - started
            index = index_costs(engine, templates[0], copy)
            copy += 1
            chunks = retriever.bm25().live
            filters = perf_scoped.filters_per_question(engine, len(asked), source)
            row: list[object] = [chunks]
            for name, call in series.items():
                for question in questions[-5:]:  # warm-up, not measured
                    call(question)
                retriever.query_vector.clear()  # the same questions per series, none cached
                got = measure(call, asked)
                curves.setdefault(name, []).append(got["p50"])
                row.append(f"{got['p50']:.1f} / {got['p95']:.1f}")
            rows.append(tuple(row))
            print(rows[-1], flush=True)
            mirror = retriever.bm25_keeper.mirror(retriever.bm25())
            mirror_mb = (
                f"{mirror.nbytes / 2**20:.1f} ({mirror.bytes_per_chunk():.0f} B)"
                if mirror
                else "off"
            )
            costs.append((chunks, f"{build:.1f}", *index, mirror_mb, f"{rss_mb():.0f}"))
            print(costs[-1], flush=True)
            got_designs, design_header = perf_scoped.design_rows(engine, asked, filters, chunks)
            designs += got_designs
            print("\n".join(map(str, got_designs)), flush=True)
        extra += perf_scoped.memory_lines(engine)
        if args.crossover:
            targets = [300, 1000, 3000, 10000, 30000, 60000, 100000, 300000]
            cross, first = perf_scoped.crossover(engine, asked[:20], targets)
            extra += [
                f"Crossover at {chunks:,} chunks (a date range keeping N chunks; dense side p50 ms):",
                table(["chunks", "kept", "chroma where p50 ms", "int8 mirror p50 ms"], cross),
                "Chroma's filtered search was first as fast as the mirror at "
                + (
                    f"{first:,} kept chunks."
                    if first
                    else "no filter size measured (the mirror was faster at every one)."
                ),
            ]
        engine.close()
        if args.http:
            n = len(asked)
            fresh = questions[100 + n : 100 + 6 * n]
            slices = [fresh[i * n : (i + 1) * n] for i in range(5)]  # 4 series and a warm-up
            log = Path(tmp) / "server.log"
            http = perf_scoped.http_before_after(data_dir, log, slices, filters)
            extra += [
                f"`POST /v1/ask` through HTTP over {chunks:,} chunks (one client, offline answers):",
                table(["server", "filter", "ready s", "p50/p95 ms"], http),
            ]

    names = list(series)
    cost_header = ["chunks", "write s", "BM25 rebuild s (read s)", "mirror rebuild s",
                   "restart from files s", "+1 article ms (BM25 + mirror)", "files MB (BM25 / mirror)",
                   "mirror MB (per chunk)", "RSS MB"]  # fmt: skip
    ratio = curves["hybrid"][-1] / curves["hybrid"][0]
    ratios = ", ".join(
        f"{n} {curves[n][-1] / curves['hybrid'][-1]:.2f}x" for n in names if n.startswith("hybrid+")
    )
    lines = [
        table(["chunks", *(f"{n} p50/p95 ms" for n in names)], rows),
        f"hybrid retrieval p50 at {rows[-1][0]} chunks / at {rows[0][0]} chunks: {ratio:.2f}x",
        f"at {rows[-1][0]} chunks, p50 against unfiltered hybrid: {ratios}",
        table(cost_header, costs),
        "Dense side of filtered questions by design (question vectors computed beforehand):",
        table(design_header, designs),
        *extra,
        "Beyond the ~620 real chunks every chunk is synthetic: a copy of a real chunk's text "
        f"with its vector plus Gaussian noise (sigma {NOISE} per dimension), renormalised, and a "
        f"date drawn from {DAYS} days; copies carry no sentence vectors. 'write s' is the time to "
        "add that step's chunks through the Store API with precomputed vectors; 'BM25 rebuild' "
        "rebuilds the BM25 index from the store (in brackets: reading every chunk back), 'mirror "
        "rebuild' reads every vector back into the int8 mirror; 'restart from files' loads both "
        "files and checks them against the article registry, as `newsdesk serve` does at start; "
        "'+1 article' stores one more article and brings both up to date. Each series asks the "
        "same MultiHop-RAG questions with the question-vector cache cleared first. 'story' is "
        "1-5 articles picked per question, 'source' the seed article's outlet, 'week' seven days "
        "from the median date; ', chroma where' is the same with Chroma's filtered search, as "
        "before the mirror.",
        f"Measured: {before}.",
    ]
    print("\n".join(lines))
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

"""Ingest throughput, side by side in one run on the same articles (seeds/ + MultiHop-RAG corpus):

1. newsdesk end to end (`Engine.ingest_articles`: chunk, embed chunks and sentences, write Chroma);
2. the raw ONNX model alone, embedding the very same chunk texts (the ceiling);
3. a plain llama-index pipeline a user would write: `VectorStoreIndex.from_documents` over
   llama-index's `ChromaVectorStore`, default settings (SentenceSplitter 1024/200, embed batch 10),
   with the same MiniLM model wrapped as a llama-index `BaseEmbedding`.

    python -m eval.perf_ingest [--rounds 1]

Every pipeline starts with the model loaded (start-up is not throughput). Prints chunks/s,
articles/s and the ratios; writes eval/out/perf_ingest.md and eval/out/perf_ingest.png.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ui.offline import go_offline

ROOT = Path(__file__).resolve().parent.parent
PIPELINES = ("newsdesk", "raw model", "llama-index")


def _llama_embedding(embedder: Any) -> Any:
    """Our embedder behind llama-index's interface; llama-index batches it (10 texts a call)."""
    from llama_index.core.embeddings import BaseEmbedding

    class Wrapped(BaseEmbedding):
        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(texts).tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embeddings([text])[0]

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._get_text_embedding(query)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_text_embedding(query)

    return Wrapped(model_name=embedder.name)


def llama_index_ingest(articles: list[Any], embedder: Any, path: Path) -> int:
    """The plain pipeline; returns the number of nodes (chunks) it embedded and stored."""
    import chromadb
    from llama_index.core import Document, Settings, StorageContext, VectorStoreIndex
    from llama_index.core.llms import MockLLM
    from llama_index.vector_stores.chroma import ChromaVectorStore

    embed_model = _llama_embedding(embedder)
    Settings.llm = MockLLM()  # the global default is OpenAI: nothing may reach it
    Settings.embed_model = embed_model
    client = chromadb.PersistentClient(path=str(path))
    # embedding_function=None: Chroma's default would download a model; llama-index passes vectors.
    collection = client.get_or_create_collection("llama", embedding_function=None)
    store = ChromaVectorStore(chroma_collection=collection)
    documents = [
        Document(
            text=a.body,
            id_=a.id,
            metadata={"title": a.title, "source": a.source or "", "published": a.published or 0},
        )
        for a in articles
    ]
    VectorStoreIndex.from_documents(
        documents,
        storage_context=StorageContext.from_defaults(vector_store=store),
        embed_model=embed_model,
    )
    return int(collection.count())


def _timed(run: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    count = run()
    return count, time.perf_counter() - started


def _run_one(name: str, tmp: Path) -> tuple[int, float]:
    """One timed pipeline in this process, the model loaded beforehand: (chunks, seconds)."""
    from eval.questions import MULTIHOP_CORPUS
    from index.chunking import chunk_article, sentence_splitter
    from index.formats.loaders import load_paths
    from qa.engine import Engine
    from qa.settings import Settings

    articles = load_paths([ROOT / "seeds", MULTIHOP_CORPUS]).articles
    sentence_splitter()
    engine = Engine.from_settings(Settings(data_dir=tmp / "ours"))
    embedder = engine.embedder
    embedder.embed(["warm up"])
    config = engine.settings.chunking.config()
    texts = [
        c.indexed_text for a in articles for c in chunk_article(a, embedder.count_tokens, config)
    ]
    runs: dict[str, Callable[[], int]] = {
        "newsdesk": lambda: engine.ingest_articles(articles).chunks,
        "raw model": lambda: len(embedder.embed(texts)),
        "llama-index": lambda: llama_index_ingest(articles, embedder, tmp / "llama"),
    }
    try:
        return _timed(runs[name])
    finally:
        engine.close()


def _round(tmp: Path, round_: int) -> dict[str, tuple[int, float]]:
    """Each pipeline in a fresh process (Chroma's background work after one pipeline's writes
    must not slow the next), in an order that rotates per round: name -> (chunks, seconds)."""
    results: dict[str, tuple[int, float]] = {}
    names = list(PIPELINES)
    for name in names[round_ % 3 :] + names[: round_ % 3]:
        place = tmp / f"{round_}-{names.index(name)}"
        command = [sys.executable, "-m", "eval.perf_ingest", "--one", name, "--dir", str(place)]
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise SystemExit(f"{name} failed:\n{out.stderr}")
        count, took = json.loads(out.stdout.strip().splitlines()[-1])
        results[name] = (int(count), float(took))
        print(f"round {round_ + 1} {name}: {count} chunks in {took:.1f}s", flush=True)
    return results


def main() -> None:
    go_offline()
    from eval.perf_common import bar_plot, conditions, table, write_report
    from eval.questions import MULTIHOP_CORPUS
    from index.formats.loaders import load_paths

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="median over this many rounds")
    parser.add_argument("--one", choices=PIPELINES, help=argparse.SUPPRESS)  # a child run
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_run_one(args.one, args.dir)))
        return

    before = conditions()
    articles = load_paths([ROOT / "seeds", MULTIHOP_CORPUS]).articles
    seconds: dict[str, list[float]] = {"newsdesk": [], "raw model": [], "llama-index": []}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            for name, (count, took) in _round(Path(tmp), round_).items():
                counts[name] = count
                seconds[name].append(took)

    median = {name: statistics.median(values) for name, values in seconds.items()}
    chunk_rate = {name: counts[name] / median[name] for name in median}
    article_rate = {name: len(articles) / median[name] for name in median}
    # Ratios per round (the pipelines ran minutes apart at most), then their median: steadier on a
    # shared machine than a ratio of medians.
    vs_raw = statistics.median(
        r / o for r, o in zip(seconds["raw model"], seconds["newsdesk"], strict=True)
    )
    vs_llama = statistics.median(
        r / o for r, o in zip(seconds["llama-index"], seconds["newsdesk"], strict=True)
    )
    rows = [
        (name, counts[name], f"{median[name]:.2f}", chunk_rate[name], article_rate[name])
        for name in median
    ]
    lines = [
        f"articles: {len(articles)} (seeds/ + MultiHop-RAG corpus); rounds: {args.rounds}",
        table(["pipeline", "chunks", "seconds", "chunks/s", "articles/s"], rows),
        f"newsdesk vs raw model on the same chunk texts (median per-round time ratio): {vs_raw:.2f}",
        f"newsdesk vs plain llama-index on the same articles (median per-round articles/s ratio): {vs_llama:.2f}",
        "each pipeline ran in a fresh process with the model loaded before the clock started",
    ]
    print("\n".join(lines))
    notes = (
        "\n\nNotes: the raw model embeds exactly newsdesk's chunk texts (heading + passage), "
        "batched and length-sorted. newsdesk also embeds every sentence (late chunking: pooled "
        "from the same forward pass) and writes chunk, sentence and article records. llama-index "
        "cuts its own, larger chunks (1024 tokens, which the model truncates at 256) and embeds 10 "
        "at a time in arrival order, so compare it by articles/s; its chunk count differs.\n\n"
        f"Measured: {before}."
    )
    plot = bar_plot(article_rate, "articles/s", "Ingest throughput (same articles)", "perf_ingest")
    report = write_report("perf_ingest", "Ingest throughput", "\n\n".join(lines) + notes, plot)
    print(f"report: {report}")


if __name__ == "__main__":
    main()

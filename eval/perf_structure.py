"""What news-structure tagging costs at ingest, against the raw model on the same chunks.

Ingest tags every sentence (paragraph, lede, speaker; index/news/structure.py) while chunking. This
times, on the same articles and within one run, (a) chunking with the tagging, (b) the tagging alone
(headings, paragraphs, attribution of every sentence), and (c) the raw model embedding exactly the
chunk texts ingest embeds. Rounds alternate so a busy machine slows each side alike.

    python -m eval.perf_structure [--corpus ../shared/corpora/wikinews/articles.jsonl] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from ui.offline import go_offline

DEFAULT_CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "corpora" / "wikinews" / "articles.jsonl"
)


def main() -> None:
    go_offline()
    from index.chunking import ChunkingConfig, chunk_article, sentence_spans, sentence_splitter
    from index.embedder import OnnxEmbedder
    from index.formats.loaders import load_paths
    from index.news.structure import find_sections, tag_sentences

    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    articles = load_paths([args.corpus]).articles
    sentence_splitter()
    embedder = OnnxEmbedder()
    config = ChunkingConfig()
    texts = [
        c.indexed_text for a in articles for c in chunk_article(a, embedder.count_tokens, config)
    ]
    embedder.embed(["warm up"])
    spans = [
        [
            s
            for section in find_sections(a.body)
            for s in sentence_spans(a.body, section.start, section.end)
        ]
        for a in articles
    ]

    def tagging() -> None:
        for article, article_spans in zip(articles, spans, strict=True):
            tag_sentences(article.body, article_spans, find_sections(article.body))

    timings: dict[str, list[float]] = {"tagging": [], "model": []}
    for _ in range(args.rounds):
        for name, work in (("tagging", tagging), ("model", lambda: embedder.embed(texts))):
            started = time.perf_counter()
            work()
            timings[name].append(time.perf_counter() - started)
    tag, model = statistics.median(timings["tagging"]), statistics.median(timings["model"])
    sentences = sum(len(s) for s in spans)
    print(
        f"{len(articles)} articles, {sentences} sentences, {len(texts)} chunks, {args.rounds} rounds"
    )
    print(f"structure tagging: {tag:.3f} s ({sentences / tag:,.0f} sentences/s)")
    print(f"raw model on the same chunks: {model:.2f} s ({len(texts) / model:.1f} chunks/s)")
    print(f"tagging / (tagging + model) = {tag / (tag + model):.3f} of ingest time at most")


if __name__ == "__main__":
    main()

"""What spaCy's NER costs at ingest, against the embedding model on the same articles.

    python -m eval.entity_cost [--articles N] [--pieces sentences lines]

On the Wikinews articles (eval/data/wikinews, shippable): the prose sentences as ingest lays them
out (furniture left out), read by the NER pipeline of index/news/entities.py either one sentence
per doc or one run of prose sentences of a line per doc (what ingest does: the paragraph is the
NER's context, so "banned Iranian airline Mahan Air from flying" still reads as an ORG), then the
raw embedding model on the very same chunk texts. Prints seconds, words/s and the NER's share of
the model's time: ingest's throughput against the raw model drops by about that share.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ui.offline import go_offline

WIKINEWS = Path(__file__).parent / "data" / "wikinews" / "articles.jsonl"


def main(argv: list[str] | None = None) -> int:
    go_offline()
    from index.chunking import ChunkingConfig, article_sections, chunk_article, page_layout
    from index.news.entities import entity_model, find_entities, prose_pieces
    from index.types import Article
    from qa.engine import make_embedder
    from qa.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m eval.entity_cost")
    parser.add_argument("--articles", type=int, default=0, help="the first N (0: all 317)")
    parser.add_argument("--pieces", nargs="+", choices=["sentences", "lines"], default=["lines"])
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in WIKINEWS.read_text(encoding="utf-8").splitlines() if line]
    rows = rows[: args.articles] if args.articles else rows
    articles = [Article(id=r["id"], title=r["title"], body=r["body"]) for r in rows]
    layouts = []
    for a in articles:
        laid, _ = page_layout(a.body, article_sections(a))
        layouts.append([span for section in laid for span in section if span is not None])
    words = sum(
        len(a.body[x:y].split())
        for a, spans in zip(articles, layouts, strict=True)
        for x, y in spans
    )
    entity_model()
    embedder = make_embedder(Settings().embedding)
    embedder.embed(["warm up"])
    texts = [
        c.indexed_text
        for a in articles
        for c in chunk_article(a, embedder.count_tokens, ChunkingConfig(entities=False))
    ]
    started = time.perf_counter()
    embedder.embed(texts)
    model_seconds = time.perf_counter() - started
    print(
        f"{len(articles)} articles, {words} words of prose; raw model on their {len(texts)} "
        f"chunks: {model_seconds:.1f} s"
    )
    for kind in args.pieces:
        started = time.perf_counter()
        found = 0
        for a, spans in zip(articles, layouts, strict=True):
            pieces = spans if kind == "sentences" else prose_pieces(a.body, spans)
            found += len(find_entities(a.body, pieces))
        seconds = time.perf_counter() - started
        print(
            f"NER, one doc per {kind[:-1]}: {seconds:.1f} s, {words / seconds:,.0f} words/s, "
            f"{found} entities; {seconds / model_seconds:.2f} of the model's time"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

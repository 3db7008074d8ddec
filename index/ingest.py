"""Ingest articles: chunk, embed (batched across articles), and store each article atomically.

An article whose version is already stored is skipped without embedding anything; one that fails
is reported and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from index.chunking import ChunkingConfig, article_version, chunk_article, sentence_splitter
from index.embedder import Embedder
from index.loaders import LoadError
from index.store import ArticleVersion, Store, StoreUnavailable
from index.types import Article, Chunk

Progress = Callable[[int], None]  # called with the number of articles just finished


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[LoadError] = field(default_factory=list)
    chunks: int = 0  # chunks embedded and written in this run

    def merge_errors(self, errors: Sequence[LoadError]) -> None:
        self.failed.extend(errors)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": [{"origin": e.origin, "error": e.message} for e in self.failed],
            "chunks": self.chunks,
        }


def _store_batch(store: Store, items: list[ArticleVersion], report: IngestReport) -> None:
    """Write one batch; if the batch write fails, find the bad article so the others are stored."""
    try:
        store.put_articles(items)
        stored = items
    except StoreUnavailable:
        raise
    except Exception:
        stored = []
        for item in items:
            try:
                store.put_articles([item])
                stored.append(item)
            except StoreUnavailable:
                raise
            except Exception as err:
                origin = item.article.origin or item.article.id
                report.failed.append(LoadError(origin, f"not stored: {err}"))
    for item in stored:
        (report.updated if item.existed else report.added).append(item.article.id)
        report.chunks += len(item.chunks)


def ingest_articles(
    articles: Sequence[Article],
    store: Store,
    embedder: Embedder,
    config: ChunkingConfig,
    progress: Progress | None = None,
    batch_chunks: int = 1024,
) -> IngestReport:
    """Chunk and embed in batches; each batch is written by one writer thread while the model
    embeds the next (at most one write in flight, so batches land in order).

    Batches are large because the model pads each sorted sub-batch to its longest text: sorting
    1024 chunks by length wastes far less padding than sorting 256 (measured on the benchmark
    corpus: 0.72 of the raw model's throughput with 256, 0.88 with one batch)."""
    report = IngestReport()
    sentence_splitter()
    current = store.versions()
    pending: list[tuple[Article, list[Chunk]]] = []
    pending_chunks = 0
    writing: Future[None] | None = None

    def wait_for_write() -> None:
        nonlocal writing
        if writing is not None:
            writing.result()  # re-raises StoreUnavailable from the writer
            writing = None

    def embed_pending() -> list[ArticleVersion]:
        flat = [c for _, chunks in pending for c in chunks]
        vectors, sentence_vectors = embedder.embed_spans(
            [c.indexed_text for c in flat], [c.sentence_spans_in_indexed_text() for c in flat]
        )
        items, offset = [], 0
        for article, chunks in pending:
            part = slice(offset, offset + len(chunks))
            offset += len(chunks)
            items.append(
                ArticleVersion(
                    article, chunks, vectors[part], sentence_vectors[part], article.id in current
                )
            )
        return items

    def write(items: list[ArticleVersion]) -> None:
        _store_batch(store, items, report)
        if progress:
            progress(len(items))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-ingest") as writer:

        def flush() -> None:
            nonlocal writing, pending_chunks
            items = embed_pending()
            pending.clear()
            pending_chunks = 0
            wait_for_write()
            writing = writer.submit(write, items)

        seen: set[str] = set()
        for article in articles:
            if article.id in seen:
                message = f"duplicate id {article.id!r} in this batch"
                report.failed.append(LoadError(article.origin or article.id, message))
                continue
            seen.add(article.id)
            if current.get(article.id) == article_version(article, config, embedder.name):
                report.unchanged.append(article.id)
                if progress:
                    progress(1)
                continue
            try:
                chunks = chunk_article(article, embedder.count_tokens, config, embedder.name)
            except Exception as err:
                report.failed.append(
                    LoadError(article.origin or article.id, f"cannot chunk: {err}")
                )
                continue
            pending.append((article, chunks))
            pending_chunks += len(chunks)
            if pending_chunks >= batch_chunks:
                flush()
        if pending:
            flush()
        wait_for_write()
    return report

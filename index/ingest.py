"""Ingest articles: chunk, embed (batched across articles), and store each article atomically.

An article whose version is already stored is skipped without embedding anything; one that fails
is reported and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from index.chunking import ChunkingConfig, article_version, chunk_article
from index.embedder import Embedder
from index.loaders import LoadError
from index.store import Store, StoreUnavailable
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


def ingest_articles(
    articles: Sequence[Article],
    store: Store,
    embedder: Embedder,
    config: ChunkingConfig,
    progress: Progress | None = None,
    batch_chunks: int = 256,
) -> IngestReport:
    report = IngestReport()
    current = store.versions()
    pending: list[tuple[Article, list[Chunk], bool]] = []

    def flush() -> None:
        flat = [c for _, chunks, _ in pending for c in chunks]
        vectors, sentence_vectors = embedder.embed_spans(
            [c.indexed_text for c in flat], [c.sentence_spans_in_indexed_text() for c in flat]
        )
        offset = 0
        for article, chunks, existed in pending:
            part = slice(offset, offset + len(chunks))
            offset += len(chunks)
            try:
                store.put_article(article, chunks, vectors[part], sentence_vectors[part])
            except StoreUnavailable:
                raise
            except Exception as err:  # one bad article must not stop the others
                report.failed.append(LoadError(article.origin or article.id, f"not stored: {err}"))
            else:
                (report.updated if existed else report.added).append(article.id)
                report.chunks += len(chunks)
        if progress:
            progress(len(pending))
        pending.clear()

    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            report.failed.append(
                LoadError(
                    article.origin or article.id, f"duplicate id {article.id!r} in this batch"
                )
            )
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
            report.failed.append(LoadError(article.origin or article.id, f"cannot chunk: {err}"))
            continue
        pending.append((article, chunks, article.id in current))
        if sum(len(c) for _, c, _ in pending) >= batch_chunks:
            flush()
    if pending:
        flush()
    return report

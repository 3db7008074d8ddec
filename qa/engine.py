"""The engine: one object that owns the store, the embedder and the retriever, built from settings.

The CLI, the HTTP API and the page all call this; none of them touches Chroma or the model directly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from index.embedder import Embedder, OnnxEmbedder, OpenAIEmbedder
from index.formats.loaders import LoadResult, load_paths, parse_text
from index.ingest import IngestReport, Progress, ingest_articles
from index.store.store import ArticleRecord, Store, StoreUnavailable
from index.types import Article
from qa.asking.asked import Asked, read
from qa.asking.time_scope import scoped
from qa.checks.verify import Checker
from qa.dated.answer_dates import with_dates
from qa.dated.continuity import FollowUps
from qa.dated.timeline import STORY_PASSAGES, events_of, grouped_by_day, story_articles
from qa.extractive import story
from qa.extractive.compose import compose, refusal
from qa.extractive.recency import as_of_newest
from qa.llm.answer import llm_answer_stream
from qa.llm.client import LLM, LLMError, make_llm
from qa.llm.context import Budget
from qa.llm.decompose import llm_parts
from qa.llm.gather import Gather
from qa.retrieval.retriever import Retriever
from qa.settings import EmbeddingSettings, Settings
from qa.types import Answer, Filters, Passage, Turn

PASSAGE_SIZES_KEPT = 50_000  # chunk sizes remembered for the LLM's budget (then counted afresh)


class QuestionError(ValueError):
    """The question cannot be asked as given (empty, too long, ...)."""


def make_embedder(settings: EmbeddingSettings) -> Embedder:
    if settings.kind == "openai":
        return OpenAIEmbedder(
            settings.model,
            settings.base_url,
            settings.api_key,
            settings.dimension,
            token_counter=OnnxEmbedder(threads=1),
        )
    return OnnxEmbedder(batch_size=settings.batch_size, threads=settings.threads)


class Engine:
    def __init__(
        self, settings: Settings, store: Store, embedder: Embedder, llm: LLM | None = None
    ) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self._llm = llm  # built from settings.llm on first use when not given
        self.retriever = Retriever(store, embedder, settings.retrieval)
        self._write_lock = threading.Lock()  # one ingest at a time per process
        self.last_ingest_at: float | None = None  # time.time() of the last ingest (/v1/status)
        self._passage_tokens: dict[str, int] = {}  # chunk id -> its size in the prompt
        self.follow_ups = FollowUps(self.retriever)  # a story's later articles (continuity.py)

    @classmethod
    def from_settings(cls, settings: Settings, llm: LLM | None = None) -> Engine:
        """`llm` answers on the "openai" backend instead of the one `settings.llm` configures."""
        store = Store.open(settings.data_dir, settings.chroma_url, settings.collection)
        try:
            return cls(settings, store, make_embedder(settings.embedding), llm)
        except Exception:
            store.close()
            raise

    def close(self) -> None:
        try:
            self.retriever.close()
        finally:
            self.store.close()

    # -- ingest -----------------------------------------------------------------------------

    def ingest_articles(
        self, articles: Sequence[Article], progress: Progress | None = None
    ) -> IngestReport:
        with self._write_lock:
            report = ingest_articles(
                articles, self.store, self.embedder, self.settings.chunking.config(), progress
            )
            self.last_ingest_at = time.time()
        self._index_changes()
        return report

    def ingest_loaded(self, loaded: LoadResult, progress: Progress | None = None) -> IngestReport:
        report = self.ingest_articles(loaded.articles, progress)
        report.merge_errors(loaded.errors)
        report.skipped.extend(loaded.skipped)
        return report

    def ingest_paths(self, paths: Sequence[Path], progress: Progress | None = None) -> IngestReport:
        return self.ingest_loaded(load_paths(paths), progress)

    def ingest_text(self, text: str, name: str, fmt: str | None = None) -> IngestReport:
        return self.ingest_loaded(parse_text(text, name, fmt))

    def delete(self, article_id: str) -> bool:
        with self._write_lock:
            existed = self.store.delete_article(article_id)
        self._index_changes()
        return existed

    def _index_changes(self) -> None:
        """Bring BM25 up to date now rather than on the next question. The write itself has
        succeeded: if Chroma went away meanwhile, the next question tries again."""
        with contextlib.suppress(StoreUnavailable):
            self.retriever.bm25_keeper.current()

    def articles(self) -> list[ArticleRecord]:
        return self.store.list_articles()

    def article(self, article_id: str) -> ArticleRecord | None:
        return self.store.get_article(article_id)

    # -- questions --------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the model and build the BM25 index now rather than on the first question."""
        self.retriever.bm25()
        self.retriever.query_vector("warm up")

    def retrieve(
        self,
        question: str,
        top_k: int | None = None,
        filters: Filters | None = None,
        mode: str | None = None,
    ) -> list[Passage]:
        return self.retriever.retrieve(_clean(question), top_k, filters, mode)

    def ask(
        self,
        question: str,
        top_k: int | None = None,
        filters: Filters | None = None,
        mode: str | None = None,
        history: Sequence[Turn] = (),
        backend: str | None = None,
    ) -> Answer:
        """Answer a question. `history` holds earlier turns for follow-ups; `backend` overrides
        settings.backend."""
        answer: Answer | None = None
        for event in self.ask_stream(question, top_k, filters, mode, history, backend):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None, "ask_stream always ends with the Answer"
        return answer

    def ask_stream(
        self,
        question: str,
        top_k: int | None = None,
        filters: Filters | None = None,
        mode: str | None = None,
        history: Sequence[Turn] = (),
        backend: str | None = None,
    ) -> Iterator[str | Answer]:
        """Text deltas of the answer as they are produced, then the final `Answer` (always last).

        With a history the question is first condensed into a standalone one. The "openai" backend
        never raises for a model failure: the last event is then the extractive answer, `degraded`.
        """
        for event in self._ask_events(question, top_k, filters, mode, history, backend):
            yield self._finish(event) if isinstance(event, Answer) else event

    def _ask_events(
        self,
        question: str,
        top_k: int | None,
        filters: Filters | None,
        mode: str | None,
        history: Sequence[Turn],
        backend: str | None,
    ) -> Iterator[str | Answer]:
        backend = backend or self.settings.backend
        # The question is read once here; every step below takes this reading.
        asked = read(_clean(question), history)
        named = bool(filters and filters.article_ids)  # the request itself names the story
        # "since 2 March", "before the election": the dates the question names bound the search
        filters, top_k = scoped(asked, filters, top_k, *self._dated_span())
        if backend == "openai":
            # The same story as offline: the LLM is given the focused story, whole if it fits.
            planned = story.plan(asked, history, filters, self._tools(mode))
            if planned.focus is None and planned.asked.bare:
                yield story.needs_story(asked.text, "openai")
                return
            llm = self._llm_or_error()
            # the model splits questions too, unless it failed already or is not asked to
            splitter = None if isinstance(llm, LLMError) or not self.settings.llm.decompose else llm
            for event in llm_answer_stream(
                asked,
                history,
                llm,
                lambda standalone: self.gather(splitter).passages(
                    standalone, planned.focus, planned.filters, top_k, mode, not named
                ),
                self._compose,
                self._checker,
                self.settings.llm.strict,
                self.settings.verification.judge,
            ):
                yield (
                    dataclasses.replace(event, focus=planned.focus)
                    if isinstance(event, Answer)
                    else event
                )
            return
        if backend != "extractive":
            raise QuestionError(f"the {backend!r} backend is not available")
        answer = story.answer(asked, history, filters, self._tools(mode), top_k)
        yield answer.answer
        yield answer

    def gather(self, llm: LLM | None = None) -> Gather:
        """What gathers the model's passages (qa/llm/gather.py): a story whole when it fits the
        token budget, else its ledes and best passages; open questions as many as fit, split into
        several retrievals by `llm` when given (else by rule) when they need several articles."""
        if len(self._passage_tokens) > PASSAGE_SIZES_KEPT:
            self._passage_tokens.clear()
        budget = Budget(
            self.settings.llm.context_tokens, self.embedder.count_tokens, self._passage_tokens
        )
        gather = Gather(self.retriever, budget, self.settings.chunking.max_tokens, self.follow_ups)
        if llm is not None:
            gather = dataclasses.replace(gather, split=lambda q, f, s: llm_parts(q, f, s, llm))
        return gather

    def _finish(self, answer: Answer) -> Answer:
        """What every final answer carries: the other outlets of each cited story, and dates."""
        return with_dates(self.retriever.one_per_story.with_outlets(answer))

    def _tools(self, mode: str | None) -> story.Tools:
        """Retrieval and composing bound to this engine, for answering inside a conversation."""
        bm25 = self.retriever.bm25()
        return story.Tools(
            retrieve=lambda text, k, f: self.retriever.retrieve(text, k, f, mode),
            compose=self._compose,
            analyse=bm25.analyse,
            idf=bm25.idf,
            vector=self.retriever.query_vector,
            max_sentences=self.settings.answer.max_sentences,
        )

    def timeline(
        self,
        query: str | None = None,
        article_ids: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> dict[str, Any]:
        """A story's dated events (qa/dated/timeline.py): of the given articles, or of those `query` finds."""
        if not article_ids:
            found = story_articles(self.retrieve(query or "", STORY_PASSAGES, filters))
            # the story's later articles too: follow-ups, updates, corrections (continuity.py)
            later = self.follow_ups(found, filters) if found else []
            article_ids = [*found, *(a for a in later if a not in found)]
        versions = self.store.versions()
        stored = self.store.chunks_of({a: versions[a] for a in article_ids if a in versions})
        events = events_of((c.chunk, c.published) for c in stored)
        return {"query": query, "article_ids": list(article_ids), "days": grouped_by_day(events)}

    def _llm_or_error(self) -> LLM | LLMError:
        if self._llm is None:
            try:
                self._llm = make_llm(self.settings.llm)
            except LLMError as err:
                return err
        return self._llm

    def _checker(self) -> Checker:
        bm25 = self.retriever.bm25()
        return Checker(bm25.analyse, bm25.idf, self.embedder.embed)

    def extractive(
        self,
        question: str,
        top_k: int | None = None,
        filters: Filters | None = None,
        mode: str | None = None,
    ) -> Answer:
        """The offline answer: retrieved sentences, each cited, or the refusal."""
        asked = read(_clean(question))
        filters, top_k = scoped(asked, filters, top_k, *self._dated_span())
        answer = self._compose(asked, self.retriever.retrieve(asked.text, top_k, filters, mode))
        return self._finish(answer)

    def _dated_span(self) -> tuple[int | None, int | None]:
        """(newest, oldest) publication dates of the dated articles in the index (yyyymmdd): the newest
        dates a date without a year, both tell a bound that narrows nothing (qa/asking/time_scope.py)."""
        published = self.retriever.bm25().slots.published
        dated = published[published > 0]
        return (int(dated.max()), int(dated.min())) if len(dated) else (None, None)

    def _compose(self, asked: Asked, passages: list[Passage]) -> Answer:
        if not passages:
            return refusal("extractive", passages)
        bm25 = self.retriever.bm25()
        answer = self.settings.answer
        vector = self.retriever.query_vector(asked.text)

        def compose_from(some: list[Passage]) -> Answer:
            return compose(
                asked,
                some,
                bm25.analyse,
                bm25.idf,
                answer.max_sentences,
                answer.min_support,
                vector,
            )

        # A question about now is led by the newest evidence (qa/extractive/recency.py).
        return as_of_newest(
            asked, passages, compose_from, bm25.analyse, bm25.idf, answer.max_sentences
        )


MAX_QUESTION_CHARS = 2000


def _clean(question: str) -> str:
    # Only spaces, NULs or other control characters is as empty as "" (and not worth a search).
    if not isinstance(question, str) or all(
        c.isspace() or unicodedata.category(c) == "Cc" for c in question
    ):
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is longer than {MAX_QUESTION_CHARS} characters")
    return " ".join(question.split())

"""newsdesk inside llama-index: a retriever, a query engine and a chat engine that keep our citations.

    NewsdeskRetriever(engine or "http://HOST:8000")   a BaseRetriever: passages as NodeWithScore
    NewsdeskQueryEngine(engine=engine)                a CustomQueryEngine: Response, sources = citations
    NewsdeskChatEngine(engine)                        a BaseChatEngine: follow-ups, the story kept
    LlamaIndexLLM(any llama-index LLM)                our answering model (ui/llamaindex_llm.py)

Answers come from our engine, so they carry what our answers carry: the refusal, the story focus
and each sentence's verification (the `--json` contract, in `Response.metadata`); `source_nodes`
are the cited passages with the exact span of each quote (ui/llamaindex_nodes.py). llama-index stays
at this edge: nothing in qa/ or index/ imports it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.llms.types import ChatMessage, ChatResponse, MessageRole
from llama_index.core.base.response.schema import Response, StreamingResponse
from llama_index.core.callbacks.base import CallbackManager
from llama_index.core.chat_engine.types import (
    AgentChatResponse,
    BaseChatEngine,
    StreamingAgentChatResponse,
)
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores.types import MetadataFilters

from index.news.dates import iso_of
from qa.engine import Engine
from qa.types import Answer, Filters, Turn
from ui.llamaindex_llm import LlamaIndexLLM
from ui.llamaindex_nodes import FilterError, citation_nodes, filters_of, node_of, passage_nodes
from ui.openai_compat import unstreamed

__all__ = [
    "FilterError",
    "LlamaIndexLLM",
    "NewsdeskChatEngine",
    "NewsdeskQueryEngine",
    "NewsdeskRetriever",
    "ServerError",
]


class ServerError(RuntimeError):
    """A newsdesk server answered with an error (its code and message) or could not be reached."""


# -- retrieval --------------------------------------------------------------------------------------


class NewsdeskRetriever(BaseRetriever):
    """Our hybrid retrieval (one passage per story group) over an Engine, or over a running
    `newsdesk serve` at `url` (its POST /v1/retrieve; `api_key` when the server has keys)."""

    def __init__(
        self,
        engine: Engine | str,
        top_k: int | None = None,
        filters: MetadataFilters | None = None,
        mode: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        super().__init__(callback_manager=callback_manager)
        self.top_k, self.mode = top_k, mode
        self.filters = filters_of(filters)  # a filter we cannot apply fails here, not later
        self._engine = engine if isinstance(engine, Engine) else None
        self._server = None if isinstance(engine, Engine) else _Server(engine, api_key, timeout)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        question = query_bundle.query_str
        if self._engine is not None:
            found = self._engine.retrieve(question, self.top_k, self.filters, self.mode)
            return passage_nodes(self._engine, found)
        assert self._server is not None
        passages = self._server.retrieve(question, self.top_k, self.filters, self.mode)
        return [node_of(p) for p in passages]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return await asyncio.to_thread(self._retrieve, query_bundle)


class _Server:
    def __init__(self, url: str, api_key: str | None, timeout: float) -> None:
        base = url.rstrip("/").removesuffix("/v1")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.base = base
        self._client = httpx.Client(base_url=base, headers=headers, timeout=timeout)

    def retrieve(
        self, question: str, top_k: int | None, filters: Filters | None, mode: str | None
    ) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"question": question}
        if top_k is not None:
            body["top_k"] = top_k
        if mode is not None:
            body["mode"] = mode
        if filters is not None and not filters.empty:
            body["filters"] = {
                "article_ids": list(filters.article_ids),
                "sources": list(filters.sources),
                "published_from": iso_of(filters.published_from),
                "published_to": iso_of(filters.published_to),
            }
        try:
            reply = self._client.post("/v1/retrieve", json=body)
        except httpx.HTTPError as err:
            raise ServerError(f"cannot reach newsdesk at {self.base}: {err}") from err
        if reply.status_code != 200:
            raise ServerError(
                f"newsdesk at {self.base} answered {reply.status_code}: {_error(reply)}"
            )
        try:
            return list(reply.json()["passages"])
        except (ValueError, KeyError, TypeError) as err:
            raise ServerError(f"{self.base}/v1/retrieve sent no passages: not newsdesk?") from err


def _error(reply: httpx.Response) -> str:
    try:
        error = reply.json()["error"]
        return f"{error['code']}: {error['message']}"
    except (ValueError, KeyError, TypeError):
        return reply.text[:200]


# -- answers ----------------------------------------------------------------------------------------


def response_of(engine: Engine, answer: Answer) -> Response:
    return Response(answer.answer, citation_nodes(engine, answer), answer.to_json())


def _deltas(
    first: str | Answer, events: Iterator[str | Answer], finish: Callable[[Answer], None]
) -> Iterator[str]:
    """The engine's text deltas; then, when checking changed the streamed draft, the checked
    answer marked as a correction (as /v1/chat/completions streams it); then `finish(answer)`."""
    event, streamed = first, []
    while isinstance(event, str):
        streamed.append(event)
        yield event
        event = next(events)
    tail = unstreamed("".join(streamed), event)
    if tail:
        yield tail
    finish(event)


@dataclass
class CheckedStreamingResponse(StreamingResponse):
    """A StreamingResponse whose `source_nodes` and `metadata` are filled when the stream ends, and
    whose text (`str()`, `get_response()`) is the checked answer rather than the streamed draft."""

    def _drain(self) -> dict[str, Any]:
        if self.metadata is None:
            for _ in self.response_gen:
                pass
        if self.metadata is None:  # the stream failed part-way and raised then
            raise RuntimeError("the answer's stream ended without an answer")
        return self.metadata

    def __str__(self) -> str:
        return str(self._drain()["answer"])

    def get_response(self) -> Response:
        metadata = self._drain()
        return Response(metadata["answer"], self.source_nodes, metadata)


class NewsdeskQueryEngine(CustomQueryEngine):
    """Ask the engine; a `Response` (or, with `streaming`, a `CheckedStreamingResponse`) whose
    `source_nodes` are the cited passages and whose `metadata` is our answer's JSON. `backend`
    "openai" answers with the engine's LLM (any llama-index LLM through `LlamaIndexLLM`)."""

    engine: Engine
    top_k: int | None = None
    filters: MetadataFilters | None = None
    mode: str | None = None
    backend: str | None = None
    streaming: bool = False

    def model_post_init(self, context: Any) -> None:
        filters_of(self.filters)  # a filter we cannot apply fails here, not at the first query

    def custom_query(self, query_str: str) -> Response | StreamingResponse:
        filters = filters_of(self.filters)
        if not self.streaming:
            answer = self.engine.ask(query_str, self.top_k, filters, self.mode, (), self.backend)
            return response_of(self.engine, answer)
        events = self.engine.ask_stream(query_str, self.top_k, filters, self.mode, (), self.backend)
        first = next(events)  # a bad question fails here, before a response exists
        response = CheckedStreamingResponse(response_gen=iter(()))

        def finish(answer: Answer) -> None:
            response.source_nodes[:] = citation_nodes(self.engine, answer)
            response.metadata = answer.to_json()

        response.response_gen = _deltas(first, events, finish)
        return response

    async def acustom_query(self, query_str: str) -> Response | StreamingResponse:
        return await asyncio.to_thread(self.custom_query, query_str)


# -- conversations ----------------------------------------------------------------------------------


@dataclass
class CheckedStreamingChatResponse(StreamingAgentChatResponse):
    """A streamed chat answer: `source_nodes` and `metadata` (our answer's JSON) are filled when
    the stream ends, and `response` is then the checked answer rather than the streamed draft."""

    metadata: dict[str, Any] | None = None

    @property
    def response_gen(self) -> Iterator[str]:
        yield from super().response_gen
        if self.metadata is not None:
            self.response = str(self.metadata["answer"])

    async def async_response_gen(self) -> AsyncIterator[str]:
        async for delta in super().async_response_gen():
            yield delta
        if self.metadata is not None:
            self.response = str(self.metadata["answer"])


class NewsdeskChatEngine(BaseChatEngine):
    """A conversation with the engine: earlier turns make follow-ups ("And why now?") standalone
    and keep the answer on the conversation's story; each reply carries the cited passages."""

    def __init__(
        self,
        engine: Engine,
        top_k: int | None = None,
        filters: MetadataFilters | None = None,
        mode: str | None = None,
        backend: str | None = None,
        chat_history: list[ChatMessage] | None = None,
    ) -> None:
        self.engine, self.top_k, self.mode, self.backend = engine, top_k, mode, backend
        self.filters = filters_of(filters)
        self._history: list[ChatMessage] = list(chat_history or [])

    @property
    def chat_history(self) -> list[ChatMessage]:
        return list(self._history)

    def reset(self) -> None:
        self._history = []

    def _events(
        self, message: str, chat_history: list[ChatMessage] | None
    ) -> Iterator[str | Answer]:
        if chat_history is not None:
            self._history = list(chat_history)
        turns = tuple(
            Turn(m.role.value, m.content or "")
            for m in self._history
            if m.role in (MessageRole.USER, MessageRole.ASSISTANT)
        )
        return self.engine.ask_stream(
            message, self.top_k, self.filters, self.mode, turns, self.backend
        )

    def _remember(self, message: str, answer: Answer) -> None:
        # The checked answer, not a draft, is what the next follow-up is read against.
        self._history.append(ChatMessage(role=MessageRole.USER, content=message))
        self._history.append(ChatMessage(role=MessageRole.ASSISTANT, content=answer.answer))

    def chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> AgentChatResponse:
        *_, answer = self._events(message, chat_history)
        assert isinstance(answer, Answer), "ask_stream always ends with the Answer"
        self._remember(message, answer)
        return AgentChatResponse(
            response=answer.answer,
            source_nodes=citation_nodes(self.engine, answer),
            metadata=answer.to_json(),
        )

    def _streaming(
        self, message: str, events: Iterator[str | Answer], first: str | Answer
    ) -> tuple[CheckedStreamingChatResponse, Iterator[ChatResponse]]:
        response = CheckedStreamingChatResponse(is_writing_to_memory=False)

        def finish(answer: Answer) -> None:
            self._remember(message, answer)
            response.source_nodes[:] = citation_nodes(self.engine, answer)
            response.metadata = answer.to_json()

        def chat_stream() -> Iterator[ChatResponse]:
            text = ""
            for delta in _deltas(first, events, finish):
                text += delta
                yield ChatResponse(
                    message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta
                )

        return response, chat_stream()

    def stream_chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> StreamingAgentChatResponse:
        events = self._events(message, chat_history)
        first = next(events)  # a bad question fails here, before a response exists
        response, stream = self._streaming(message, events, first)
        response.chat_stream = stream
        return response

    async def achat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> AgentChatResponse:
        return await asyncio.to_thread(self.chat, message, chat_history)

    async def astream_chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> StreamingAgentChatResponse:
        events = self._events(message, chat_history)
        first = await asyncio.to_thread(next, events)
        response, stream = self._streaming(message, events, first)
        response.achat_stream = _off_loop(stream)
        return response


async def _off_loop(items: Iterator[ChatResponse]) -> AsyncIterator[ChatResponse]:
    """A blocking iterator (the engine's work) stepped in a worker thread."""
    done = object()
    while (item := await asyncio.to_thread(next, items, done)) is not done:
        yield item  # type: ignore[misc]

"""`POST /v1/chat/completions` and `GET /v1/models`, compatible with the OpenAI API, so bots using
the official `openai` client (base_url=http://HOST:PORT/v1, model "newsdesk") can ask questions.

The message content is the answer with its `[n]` markers, then a "Sources:" list; the structured
answer (citations with offsets, refusal and degradation flags) rides along in an extra top-level
field `newsdesk` (the JSON of `newsdesk ask --json`). The last user message is the question and the
earlier user/assistant messages are the history; system messages are ignored (the answer's style
is fixed). Sampling parameters (temperature, max_tokens, ...) are accepted and ignored.
"""

# No `from __future__ import annotations`: the body type is built per app and FastAPI must see it.

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from qa.settings import ServerSettings
from qa.types import Answer, Turn
from ui.api_deps import engine_of, guarded, off_loop
from ui.api_errors import BODY_ERRORS, ApiError, engine_error_of
from ui.schemas import AnswerOut, Backend, FiltersIn, Mode

log = logging.getLogger("newsdesk.api")

MODEL = "newsdesk"
SOURCES_HEADING = "\n\nSources:\n"
MAX_MESSAGES = 1000


# -- what the message content says ----------------------------------------------------------------


def sources_text(answer: Answer) -> str:
    """The "Sources:" list under an answer (empty when nothing is cited)."""
    lines = []
    for c in answer.citations:
        where = c.title + (f" — {c.section}" if c.section else "")
        lines.append(f"[{c.ref}] {where} ({c.article_id}, chars {c.start}-{c.end})")
    return SOURCES_HEADING + "\n".join(lines) if lines else ""


def strip_sources(content: str) -> str:
    """An earlier answer of ours without its sources list, as history for a follow-up."""
    return content.split(SOURCES_HEADING, 1)[0]


def unstreamed(streamed: str, answer: Answer) -> str:
    """What the client has not seen yet of the final answer after the streamed deltas: nothing
    when they were the answer; the whole answer when nothing was streamed; and when a backend
    checked its draft and changed it, the final answer marked as a correction."""
    if not streamed:
        return answer.answer
    if streamed.strip() == answer.answer.strip():
        return ""
    return f"\n\nCorrected answer: {answer.answer}"


# -- request --------------------------------------------------------------------------------------


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: Annotated[str, StringConstraints(max_length=40)]
    text: str | None = None


class ChatRequestBase(BaseModel):
    """The OpenAI request; newsdesk's own options (`top_k`, `filters`, `backend`, `mode`) go in
    the body too (with the openai client: `extra_body={...}`)."""

    model_config = ConfigDict(
        extra="ignore",  # temperature, max_tokens, seed, ...: meaningless for cited answers
        json_schema_extra={
            "examples": [{"model": MODEL, "messages": [{"role": "user", "content": "Why now?"}]}]
        },
    )

    model: Annotated[str, StringConstraints(max_length=200)] = Field(examples=[MODEL])
    stream: bool | None = False
    n: int | None = Field(None, ge=1, le=1, description="one answer per request")
    filters: FiltersIn | None = None
    mode: Mode | None = None


def chat_request_model(server: ServerSettings) -> type[ChatRequestBase]:
    Content = Annotated[str, StringConstraints(max_length=server.max_turn_chars)]

    class ChatMessage(BaseModel):
        # Messages a client echoes back carry more fields (refusal, tool_calls: null, ...).
        model_config = ConfigDict(extra="ignore")

        role: Literal["system", "developer", "user", "assistant"]
        content: Content | list[ContentPart] | None = None

    class ChatRequest(ChatRequestBase):
        messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
        top_k: int | None = Field(None, ge=1, le=server.max_top_k)
        backend: Backend | None = None  # type: ignore[valid-type]

    return ChatRequest


def _text(content: str | Sequence[ContentPart] | None) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    if any(part.type != "text" for part in content):
        raise ApiError(422, "invalid_request", "only text content is supported")
    return "\n".join(part.text or "" for part in content)


def chat_query(body: Any, server: ServerSettings) -> dict[str, Any]:
    """`Engine.ask` arguments for a chat request, or ApiError saying what is wrong with it."""
    if body.model != MODEL:
        raise ApiError(404, "model_not_found", f"no model {body.model!r}; the model is {MODEL!r}")
    turns = [(m.role, _text(m.content)) for m in body.messages if m.role in ("user", "assistant")]
    if not turns or turns[-1][0] != "user":
        raise ApiError(422, "invalid_request", "the last message must be the user's question")
    question = turns[-1][1]
    if len(question) > server.max_question_chars:
        raise ApiError(
            422,
            "invalid_question",
            f"the question is longer than {server.max_question_chars} characters",
        )
    earlier = turns[:-1][-server.max_history_turns :] if server.max_history_turns else []
    return {
        "question": question,
        "top_k": body.top_k,
        "filters": body.filters.to_filters() if body.filters else None,
        "mode": body.mode,
        "history": tuple(Turn(role, strip_sources(text)) for role, text in earlier),
        "backend": body.backend,
    }


# -- responses ------------------------------------------------------------------------------------


class ChatMessageOut(BaseModel):
    role: Literal["assistant"]
    content: str


class ChatChoice(BaseModel):
    index: int
    message: ChatMessageOut
    finish_reason: Literal["stop"]
    logprobs: None = None


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[ChatChoice]
    usage: None = None
    newsdesk: AnswerOut = Field(description="the structured answer, as from /v1/ask")


def _new_id() -> tuple[str, int]:
    return f"chatcmpl-{uuid.uuid4().hex}", int(time.time())


def completion(answer: Answer) -> dict[str, Any]:
    cid, created = _new_id()
    content = answer.answer + sources_text(answer)
    return {
        "id": cid,
        "object": "chat.completion",
        "created": created,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": None,
        "newsdesk": answer.to_json(),
    }


def _chunk(cid: str, created: int, delta: dict[str, Any], **extra: Any) -> str:
    body = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": extra.pop("finish", None)}],
        **extra,
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


async def _stream(request: Request, query: dict[str, Any]) -> StreamingResponse:
    events = engine_of(request).ask_stream(**query)
    # The first step runs before the response starts, so a bad question or an unreachable
    # index is still an ordinary JSON error with its status code.
    first = await off_loop(request, next, events)
    cid, created = _new_id()

    async def sse() -> AsyncIterator[str]:
        yield _chunk(cid, created, {"role": "assistant", "content": ""})
        event, streamed = first, []
        try:
            while not isinstance(event, Answer):
                streamed.append(event)
                yield _chunk(cid, created, {"content": event})
                event = await off_loop(request, next, events)
        except Exception as err:  # the status line is gone: report it the way OpenAI does
            status, code, message = engine_error_of(err)
            if status == 500:
                log.error("streamed answer failed", exc_info=err)
            yield f"data: {json.dumps({'error': {'code': code, 'message': message}})}\n\n"
        else:
            tail = unstreamed("".join(streamed), event) + sources_text(event)
            if tail:
                yield _chunk(cid, created, {"content": tail})
            yield _chunk(cid, created, {}, finish="stop", newsdesk=event.to_json())
        yield "data: [DONE]\n\n"

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(sse(), media_type="text/event-stream", headers=headers)


# -- routes ---------------------------------------------------------------------------------------


def chat_router(server: ServerSettings) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])
    ChatRequest = chat_request_model(server)
    ok = {
        "model": ChatCompletion,
        "description": "A chat completion, or with `stream: true` server-sent events of chunks",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }

    @router.post(
        "/chat/completions",
        response_model=ChatCompletion,
        **guarded("query", 404, *BODY_ERRORS, 503, ok=ok),
    )
    async def chat_completions(body: ChatRequest, request: Request) -> Any:  # type: ignore[valid-type]
        """OpenAI chat completions over the indexed articles (model `newsdesk`)."""
        query = chat_query(body, server)
        if body.stream:  # type: ignore[attr-defined]
            return await _stream(request, query)
        return completion(await off_loop(request, engine_of(request).ask, **query))

    @router.get("/models", **guarded("query"))
    async def list_models() -> dict[str, Any]:
        """The one model, for clients that look before they ask."""
        return {
            "object": "list",
            "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "newsdesk"}],
        }

    return router

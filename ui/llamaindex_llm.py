"""Any llama-index LLM as newsdesk's answering model (Anthropic, Gemini, Bedrock, a Hugging Face
endpoint, OpenAILike, ...): `LlamaIndexLLM` puts it behind qa/llm/client.py's two-method interface,
so `Engine(settings, store, embedder, llm=LlamaIndexLLM(model))` runs the same prompt, the same
citation checks and the same fallback to the extractive answer as with our own openai client.

Vendors raise their own exceptions; each becomes one `LLMError` (kind from what the exception says:
a timeout, a connection failure, an HTTP status), so the engine degrades instead of failing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from qa.llm.client import LLMError, Message, text_deltas

if TYPE_CHECKING:
    from llama_index.core.base.llms.types import ChatMessage
    from llama_index.core.llms import LLM as LlamaLLM

DETAIL_CHARS = 200  # of a vendor's error message, in the reason shown to people


class LlamaIndexLLM:
    """A llama-index `LLM` (chat or completion model) speaking our `LLM` protocol."""

    def __init__(self, llm: LlamaLLM) -> None:
        from llama_index.core.llms import LLM as LlamaLLM

        if not isinstance(llm, LlamaLLM):
            raise TypeError(f"expected a llama-index LLM, got {type(llm).__name__}")
        self.llm = llm
        self.name = f"{llm.metadata.model_name} through llama-index {type(llm).__name__}"

    def complete(self, messages: Sequence[Message]) -> str:
        try:
            content = self.llm.chat(_chat_messages(messages)).message.content
        except Exception as err:  # whatever the vendor raises is an LLMError, see classify
            raise classify(err, self.name) from err
        if not isinstance(content, str) or not content.strip():
            raise LLMError("malformed", f"the LLM ({self.name}) returned no text")
        return content

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        def deltas() -> Iterator[str | None]:
            for response in self.llm.stream_chat(_chat_messages(messages)):
                yield response.delta

        yield from text_deltas(
            deltas(), lambda err, midway: classify(err, self.name, midway), self.name
        )


def _chat_messages(messages: Sequence[Message]) -> list[ChatMessage]:
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role=m["role"], content=m["content"]) for m in messages]


def classify(err: BaseException, name: str, midway: bool = False) -> LLMError:
    """One LLMError for any vendor's exception, from what vendors' clients have in common:
    timeouts and connection errors (Python's, or httpx's, wrapped or not), a body that is not JSON,
    and an HTTP status (`status_code` on openai's, anthropic's and google's errors alike)."""
    import httpx

    chain = _causes(err)
    if any(isinstance(e, TimeoutError | httpx.TimeoutException) for e in chain):
        where = "mid-answer" if midway else "before answering"
        return LLMError("timeout", f"the LLM ({name}) timed out {where}")
    if any(isinstance(e, ConnectionError | httpx.TransportError) for e in chain):
        if midway:
            return LLMError("broken", f"the LLM ({name}) dropped the connection mid-answer")
        return LLMError("unreachable", f"cannot reach the LLM ({name})")
    if any(isinstance(e, json.JSONDecodeError) for e in chain):
        return LLMError("malformed", f"the LLM ({name}) sent a malformed response")
    status = next((s for e in chain if isinstance(s := getattr(e, "status_code", None), int)), 0)
    if status in (401, 403):
        return LLMError("auth", f"the LLM ({name}) refused the credentials ({status})")
    if status == 404:
        return LLMError("not_found", f"the LLM ({name}) does not exist at its server (404)")
    if status == 429:
        return LLMError("rate_limited", f"the LLM ({name}) is rate-limiting us")
    if status >= 500:
        return LLMError("server_error", f"the LLM server ({name}) failed with {status}")
    if status >= 400:
        return LLMError("rejected", f"the LLM server ({name}) rejected the request ({status})")
    detail = " ".join(str(err).split())[:DETAIL_CHARS]
    return LLMError("failed", f"the LLM ({name}) failed: {type(err).__name__}: {detail}")


def _causes(err: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or during (vendors wrap httpx's)."""
    chain: list[BaseException] = []
    seen: BaseException | None = err
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    return chain

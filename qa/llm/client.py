"""The LLM behind a two-method interface; the `openai` package stays inside this file.

`OpenAIChat` talks to OpenAI itself or to any OpenAI-compatible chat server (vLLM, Ollama, llama.cpp's
server, xllamacpp) by base URL. Every failure of the client (unreachable, timeout, 429/5xx after the
bounded retries, a refused key, a body that is not a chat completion) becomes one `LLMError` whose
`reason` is a sentence for people; callers degrade on it and never see the vendor's exceptions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from qa.settings import LLMSettings

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": ...}

OPENAI_BASE_URL = "https://api.openai.com/v1"


class LLMError(RuntimeError):
    """The LLM gave no usable answer. `kind` is short and stable, `reason` is for people."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class LLM(Protocol):
    name: str

    def complete(self, messages: Sequence[Message]) -> str:
        """The whole reply; raises LLMError."""
        ...

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        """The reply as text deltas; raises LLMError (also part-way through)."""
        ...


def text_deltas(
    deltas: Iterable[str | None], failure: Callable[[Exception, bool], LLMError], name: str
) -> Iterator[str]:
    """A model's streamed reply without its empty deltas. Any failure of the stream becomes
    `failure(err, midway)` (midway: text has already gone out), a reply with no text LLMError."""
    produced = False
    try:
        for delta in deltas:
            if delta:
                produced = True
                yield delta
    except LLMError:
        raise
    except Exception as err:  # every client failure is an LLMError, see `failure`
        raise failure(err, produced) from err
    if not produced:
        raise LLMError("malformed", f"the LLM ({name}) returned no text")


def make_llm(settings: LLMSettings) -> OpenAIChat:
    """The configured LLM, or LLMError("not_configured") saying which setting is missing."""
    problem = settings.problem()
    if problem:
        raise LLMError("not_configured", problem)
    return OpenAIChat(
        model=settings.model,
        base_url=settings.base_url,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        timeout=settings.timeout,
        max_tokens=settings.max_tokens,
        max_retries=settings.max_retries,
        temperature=settings.temperature,
    )


class OpenAIChat:
    """Chat completions through the `openai` client, streaming or not."""

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        max_tokens: int = 512,
        max_retries: int = 2,
        temperature: float = 0.0,
    ) -> None:
        from openai import OpenAI

        self.model = model
        self.base_url = base_url or OPENAI_BASE_URL
        self.name = f"{model} at {self.base_url}"
        self.timeout = timeout
        self.max_retries = max_retries
        self._options: dict[str, Any] = {"max_tokens": max_tokens, "temperature": temperature}
        # Both passed explicitly: the client would otherwise read OPENAI_* from the environment
        # itself, and settings are the one place that does. Local servers need no key.
        self._client = OpenAI(
            base_url=self.base_url,
            api_key=api_key or "unused",
            timeout=timeout,
            max_retries=max_retries,  # the client's own backoff: 0.5 s doubling, honours Retry-After
        )

    def complete(self, messages: Sequence[Message]) -> str:
        try:
            response = self._client.chat.completions.create(
                model=self.model, messages=list(messages), **self._options
            )
            content = response.choices[0].message.content
        except Exception as err:  # every client failure is an LLMError, see _classify
            raise self._classify(err) from err
        if not isinstance(content, str) or not content.strip():
            raise LLMError("malformed", f"the LLM ({self.name}) returned no text")
        return content

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        def deltas() -> Iterator[str | None]:
            events = self._client.chat.completions.create(
                model=self.model, messages=list(messages), stream=True, **self._options
            )
            with events:
                for event in events:
                    if event.choices:  # else a usage-only or keep-alive event
                        yield event.choices[0].delta.content

        yield from text_deltas(deltas(), self._classify, self.name)

    def _classify(self, err: Exception, midway: bool = False) -> LLMError:
        import httpx
        import openai

        attempts = self.max_retries + 1
        tried = f"after {attempts} attempt{'s' if attempts > 1 else ''}"
        # Once text has gone out nothing is retried: the failure is reported as it happened.
        if isinstance(err, openai.APITimeoutError | httpx.TimeoutException):
            if midway:
                return LLMError(
                    "timeout", f"the LLM ({self.name}) stopped for {self.timeout:g} s mid-answer"
                )
            return LLMError(
                "timeout", f"the LLM ({self.name}) sent nothing for {self.timeout:g} s ({tried})"
            )
        if midway and isinstance(err, httpx.TransportError):
            return LLMError("broken", f"the LLM ({self.name}) dropped the connection mid-answer")
        if isinstance(err, openai.APIConnectionError | httpx.TransportError):
            return LLMError("unreachable", f"cannot reach the LLM at {self.base_url} ({tried})")
        if isinstance(err, openai.AuthenticationError | openai.PermissionDeniedError):
            return LLMError("auth", f"the LLM server at {self.base_url} refused the API key")
        if isinstance(err, openai.RateLimitError):
            return LLMError("rate_limited", f"the LLM ({self.name}) is rate-limiting us ({tried})")
        if isinstance(err, openai.NotFoundError):
            return LLMError("not_found", f"the LLM server has no model {self.model!r} (404)")
        if isinstance(err, openai.APIStatusError):
            status = err.status_code
            if status >= 500:
                return LLMError("server_error", f"the LLM server failed with {status} ({tried})")
            return LLMError("rejected", f"the LLM server rejected the request ({status})")
        # A 200 whose body is not a chat completion (or a stream that stops making sense).
        return LLMError(
            "malformed", f"the LLM ({self.name}) sent a malformed response ({type(err).__name__})"
        )

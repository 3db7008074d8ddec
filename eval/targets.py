"""What an evaluation asks: the library in-process, or a running service over HTTP (`POST /v1/ask`).

Both return the `--json` contract; in-process also retrieves the top 10 passages for the retrieval
metrics (the API returns passages only if it chooses to, so over HTTP those metrics may be n/a). A
question's `history` and `filters` go with it: `Engine.ask(history=, filters=)` or `/v1/ask`'s fields.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from eval.questions import Question
from eval.results import Reply

RETRIEVE_K = 10  # the benchmark's Hits@10 / MRR@10 need ten passages


class TargetError(RuntimeError):
    """The target cannot be evaluated at all (unreachable, rejected key, ...): stop the run."""


class QuestionFailed(RuntimeError):
    """This one question failed (a 5xx, a timeout): recorded as an error, the run goes on."""


class Target(Protocol):
    def ask(self, question: Question) -> Reply: ...


def engine_filters(question: Question) -> Any:
    """The question's filters as qa.types.Filters (None without filters)."""
    if question.filters is None:
        return None
    from index.formats.loaders import parse_published
    from qa.types import Filters

    wanted = question.filters
    return Filters(
        article_ids=wanted.article_ids,
        sources=wanted.sources,
        published_from=parse_published(wanted.published_from),
        published_to=parse_published(wanted.published_to),
    )


def retrieval_question(question: Question) -> str:
    """What the retrieval metrics search for: a follow-up condensed with its history by rule, as
    the extractive engine itself does before retrieving."""
    if not question.history:
        return question.question
    from qa.asking.condense import condense_rule

    return condense_rule(question.question, engine_history(question))


def engine_history(question: Question) -> tuple[Any, ...]:
    from qa.types import Turn

    return tuple(Turn(role, content) for role, content in question.history)


@dataclass
class InProcess:
    """An Engine of ours; `mode`/`top_k`/`backend` of None mean the engine's settings."""

    engine: Any  # qa.engine.Engine (typed loosely: eval imports qa lazily, at the edge)
    top_k: int | None = None
    mode: str | None = None
    backend: str | None = None
    retrieve: bool = True

    def ask(self, question: Question) -> Reply:
        filters = engine_filters(question)
        started = time.perf_counter()
        answer = self.engine.ask(
            question.question,
            top_k=self.top_k,
            filters=filters,
            mode=self.mode,
            history=engine_history(question),
            backend=self.backend,
        )
        latency = (time.perf_counter() - started) * 1000
        retrieved = None
        if self.retrieve:
            passages = self.engine.retrieve(
                retrieval_question(question), top_k=RETRIEVE_K, filters=filters, mode=self.mode
            )
            retrieved = [(p.chunk.title, p.text, p.chunk.article_id) for p in passages]
        return Reply(answer.to_json(), latency, retrieved)


@dataclass
class Http:
    """A running newsdesk service. Retries 429 (honouring Retry-After) a few times."""

    url: str
    api_key: str | None = None
    top_k: int | None = None
    backend: str | None = None
    timeout: float = 120.0
    retries: int = 4

    def ask(self, question: Question) -> Reply:
        body: dict[str, Any] = {"question": question.question}
        if question.history:
            body["history"] = [{"role": r, "content": c} for r, c in question.history]
        if question.filters is not None:
            body["filters"] = question.filters.as_json()
        if self.top_k is not None:
            body["top_k"] = self.top_k
        if self.backend is not None:
            body["backend"] = self.backend
        for attempt in range(self.retries + 1):
            started = time.perf_counter()
            status, payload, retry_after = self._post(body)
            latency = (time.perf_counter() - started) * 1000
            if status == 429 and attempt < self.retries:
                time.sleep(min(retry_after or 2**attempt, 30))
                continue
            break
        if status in (401, 403):
            raise TargetError(
                f"{self.endpoint} rejected the API key ({status}): {_message(payload)}"
            )
        if status == 404:
            raise TargetError(f"{self.endpoint} not found (404): is this a newsdesk service?")
        if status != 200 or not isinstance(payload, dict) or "answer" not in payload:
            raise QuestionFailed(f"HTTP {status}: {_message(payload)}")
        return Reply(payload, latency, _passages(payload))

    @property
    def endpoint(self) -> str:
        base = self.url.rstrip("/").removesuffix("/v1")  # the OpenAI-style base URL works too
        return f"{base}/v1/ask"

    def _post(self, body: dict[str, Any]) -> tuple[int, Any, float | None]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(
            self.endpoint, json.dumps(body).encode("utf-8"), headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, _json(response.read()), None
        except urllib.error.HTTPError as err:
            retry_after = err.headers.get("Retry-After") if err.headers else None
            return err.code, _json(err.read()), _seconds(retry_after)
        except TimeoutError as err:
            raise QuestionFailed(f"no answer within {self.timeout:.0f} s") from err
        except urllib.error.URLError as err:
            if isinstance(err.reason, TimeoutError):
                raise QuestionFailed(f"no answer within {self.timeout:.0f} s") from err
            raise TargetError(f"cannot reach {self.endpoint}: {err.reason}") from err
        except (ConnectionError, OSError) as err:
            raise TargetError(f"cannot reach {self.endpoint}: {err}") from err


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return raw[:200].decode("utf-8", "replace")


def _message(payload: Any) -> str:
    if isinstance(payload, dict):
        error = payload.get("error") or payload.get("detail")
        if isinstance(error, dict):
            return str(error.get("message") or error)
        if error:
            return str(error)
    return str(payload)[:200]


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _passages(payload: dict[str, Any]) -> list[tuple[str, str, str]] | None:
    passages = payload.get("passages")
    if not isinstance(passages, list):
        return None
    return [(p.get("title", ""), p.get("text", ""), p.get("article_id", "")) for p in passages]

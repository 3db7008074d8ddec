"""The context bench's clock (eval/context_bench.py): per question, the time spent retrieving and the
time spent building the prompt besides retrieval."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class Timed:
    """Times one question's retrievals (every `Retriever.retrieve` call of the ask) and the prompt
    building proper: `Gather.passages` (qa/llm/gather.py) without the retrievals inside it, plus
    formatting the messages (`answer_messages`). Code before qa/llm/gather.py shows no build time."""

    def __init__(self) -> None:
        import qa.llm.answer as answer_module

        self.retrieve_ms = 0.0
        self.build_ms: float | None = None
        try:
            from qa.llm.gather import Gather
        except ImportError:
            return
        self._wrap(Gather, "passages", self._add_build, inner_retrieval=True)
        self._wrap(answer_module, "answer_messages", self._add_build)

    def watch(self, engine: Any) -> None:
        self._wrap(engine.retriever, "retrieve", self._add_retrieve)

    def reset(self) -> None:
        self.retrieve_ms, self.build_ms = 0.0, None

    def _add_retrieve(self, ms: float) -> None:
        self.retrieve_ms += ms

    def _add_build(self, ms: float) -> None:
        self.build_ms = (self.build_ms or 0.0) + ms

    def _wrap(
        self, target: Any, name: str, add: Callable[[float], None], inner_retrieval: bool = False
    ) -> None:
        inner = getattr(target, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            before, started = self.retrieve_ms, time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                ms = (time.perf_counter() - started) * 1000
                add(ms - (self.retrieve_ms - before if inner_retrieval else 0.0))

        setattr(target, name, timed)

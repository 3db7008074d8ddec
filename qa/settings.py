"""The one settings object: built once at the edge (CLI, server, tests) and passed down.

Environment variables use the prefix NEWSDESK_ (nested groups with `__`, e.g.
NEWSDESK_RETRIEVAL__TOP_K=8). Nothing else in newsdesk reads the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from index.chunking import ChunkingConfig


class ChunkingSettings(BaseModel):
    max_tokens: int = Field(200, ge=32, le=240)
    overlap_tokens: int = Field(40, ge=0, le=120)
    # Named entities of every prose sentence at ingest (spaCy's NER, index/news/entities.py): the
    # answer types of "which team / company / who" questions read them. Off by default, measured:
    # on, ingest runs at 0.39 of the raw model (0.64 off, the goal is 0.7) for +0.02 MultiHop strict
    # and no change on RealTimeQA (README, "Named entities at ingest"). NEWSDESK_CHUNKING__ENTITIES=true.
    entities: bool = False

    def config(self) -> ChunkingConfig:
        return ChunkingConfig(self.max_tokens, self.overlap_tokens, self.entities)


class EmbeddingSettings(BaseModel):
    kind: Literal["onnx", "openai"] = "onnx"
    batch_size: int = Field(32, ge=1, le=512)
    threads: int = Field(0, ge=0, description="onnxruntime threads; 0 = one per core")
    # for kind=openai: any OpenAI-compatible /v1/embeddings endpoint
    model: str = "text-embedding-3-small"
    base_url: str | None = None
    api_key: str | None = None
    dimension: int = 1536


class RetrievalSettings(BaseModel):
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    top_k: int = Field(5, ge=1, le=50)
    candidates: int = Field(30, ge=1, le=500, description="per retriever, before fusion")
    # relative: scores scaled to [0, 1] and added (see qa/retrieval/fusion.py); rrf: reciprocal rank fusion
    fusion: Literal["relative", "rrf"] = "relative"
    rrf_k: int = Field(60, ge=1)
    dense_weight: float = Field(1.0, ge=0)
    bm25_weight: float = Field(1.0, ge=0)
    # How often to look for writes by other processes sharing a Chroma server.
    freshness_seconds: float = Field(1.0, ge=0)
    # Keep an int8 copy of the chunk vectors beside BM25 (index/store/vector_mirror.py; d + 4 bytes a
    # chunk) so filtered questions score their chunks in process (qa/retrieval/scoped.py).
    vector_mirror: bool = True
    # Filters keeping at most this many chunks are scored from the mirror, broader ones by
    # Chroma's filtered search; 0 = always Chroma. Crossover: `python -m eval.perf_scale --crossover`.
    scoped_max_chunks: int = Field(200_000, ge=0)


class AnswerSettings(BaseModel):
    max_sentences: int = Field(3, ge=1, le=4)
    # Refuse when the best evidence is weaker than this (calibrated on eval/data, see README).
    min_support: float = Field(0.34, ge=0, le=1)


class LLMSettings(BaseModel):
    """The LLM backend: OpenAI itself (no base_url) or any OpenAI-compatible server."""

    base_url: str | None = None  # e.g. http://127.0.0.1:8080/v1 for llama.cpp, vLLM, Ollama
    api_key: SecretStr | None = None  # required for OpenAI itself; local servers may need none
    model: str = "gpt-4o-mini"
    timeout: float = Field(30.0, gt=0, le=600, description="seconds without a byte from the server")
    max_tokens: int = Field(512, ge=16, le=8192)
    max_retries: int = Field(2, ge=0, le=10, description="on 429, 5xx, timeouts, lost connections")
    temperature: float = Field(0.0, ge=0, le=2)
    strict: bool = False  # drop answer sentences their citations do not support
    # Tokens of passages the answer prompt may hold (qa/llm/context.py), counted with the chunker's
    # tokenizer. 6000 suits an 8k-token model (rules, question and a 512-token answer fit beside it);
    # 28000 for 32k, 120000 for 128k.
    context_tokens: int = Field(6000, ge=300, le=1_000_000)
    # Let the model split a question that names several outlets, names or dates into searches
    # (qa/llm/decompose.py; one short call); false: the rule of qa/retrieval/decompose.py alone.
    decompose: bool = True

    def problem(self) -> str | None:
        """Why the LLM backend cannot be used as configured, or None."""
        if not self.base_url and self.api_key is None:
            return (
                "no LLM is configured: set NEWSDESK_LLM_BASE_URL (any OpenAI-compatible server) "
                "or NEWSDESK_LLM_API_KEY (OpenAI itself)"
            )
        if not self.model.strip():
            return "NEWSDESK_LLM_MODEL is empty"
        return None


class VerificationSettings(BaseModel):
    """Checks on LLM answers beyond the code checks (qa/checks/verify.py, qa/checks/claim_checks.py)."""

    # Also ask the LLM, per sentence, whether its aligned span entails it (qa/llm/judge.py); it can
    # only reject. Costs one LLM call per sentence that passed the code checks.
    judge: bool = False


class ServerSettings(BaseModel):
    """`newsdesk serve`: where it listens, who may call it, and what one request may ask for."""

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # "KEY:SCOPE[+SCOPE],..." with scopes query, ingest, admin (flat name NEWSDESK_API_KEYS).
    api_keys: SecretStr | None = None
    # The same entries, one per line, `#` comments allowed (flat name NEWSDESK_API_KEYS_FILE).
    api_keys_file: Path | None = None
    max_question_chars: int = Field(2000, ge=1, le=2000, description="the engine's own cap is 2000")
    max_turn_chars: int = Field(8000, ge=1, description="one earlier message of a conversation")
    max_history_turns: int = Field(20, ge=0, le=200)
    max_top_k: int = Field(50, ge=1, le=200)
    max_article_chars: int = Field(200_000, ge=1)
    max_articles_per_request: int = Field(500, ge=1)
    max_body_bytes: int = Field(8_000_000, ge=1024)
    rate_limit_per_minute: int = Field(120, ge=0, description="per API key; 0 = no limit")
    rate_limit_burst: int = Field(30, ge=1, description="requests a key may make at once")
    worker_threads: int = Field(16, ge=1, le=256, description="blocking engine calls at once")


SERVER_FLAT_ENV = {"api_keys": "NEWSDESK_API_KEYS", "api_keys_file": "NEWSDESK_API_KEYS_FILE"}


class _FlatServerEnv(EnvSettingsSource):
    """NEWSDESK_API_KEYS(_FILE) into the `server` group; NEWSDESK_SERVER__API_KEYS wins over it."""

    def __call__(self) -> dict[str, object]:
        found = {
            name: self.env_vars[env.lower()]
            for name, env in SERVER_FLAT_ENV.items()
            if self.env_vars.get(env.lower())
        }
        return {"server": found} if found else {}


# Flat names scripts use, then the openai client's own names as a fallback (first set one wins).
LLM_FLAT_ENV = {
    "base_url": ("NEWSDESK_LLM_BASE_URL", "OPENAI_BASE_URL"),
    "api_key": ("NEWSDESK_LLM_API_KEY", "OPENAI_API_KEY"),
    "model": ("NEWSDESK_LLM_MODEL",),
}


class _FlatLLMEnv(EnvSettingsSource):
    """NEWSDESK_LLM_BASE_URL etc. into the `llm` group; nested NEWSDESK_LLM__* names win over them."""

    def __call__(self) -> dict[str, object]:
        values: dict[str, object] = {}
        for field_name, names in LLM_FLAT_ENV.items():
            found = next(
                (self.env_vars[n.lower()] for n in names if self.env_vars.get(n.lower())), None
            )
            if found is not None:
                values[field_name] = found
        return {"llm": values} if values else {}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NEWSDESK_", env_nested_delimiter="__", extra="ignore"
    )

    data_dir: Path = Path("data")
    chroma_url: str | None = None
    collection: str = Field("newsdesk", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,50}[a-zA-Z0-9]$")
    backend: Literal["extractive", "openai"] = "extractive"
    chunking: ChunkingSettings = ChunkingSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    llm: LLMSettings = LLMSettings()
    server: ServerSettings = ServerSettings()
    verification: VerificationSettings = VerificationSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        flat = _FlatLLMEnv(settings_cls, case_sensitive=False, env_prefix="")
        server_flat = _FlatServerEnv(settings_cls, case_sensitive=False, env_prefix="")
        return init_settings, env_settings, flat, server_flat, dotenv_settings, file_secret_settings

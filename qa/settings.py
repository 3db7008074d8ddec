"""The one settings object: built once at the edge (CLI, server, tests) and passed down.

Environment variables use the prefix NEWSDESK_ (nested groups with `__`, e.g.
NEWSDESK_RETRIEVAL__TOP_K=8). Nothing else in newsdesk reads the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.chunking import ChunkingConfig


class ChunkingSettings(BaseModel):
    max_tokens: int = Field(200, ge=32, le=240)
    overlap_tokens: int = Field(40, ge=0, le=120)

    def config(self) -> ChunkingConfig:
        return ChunkingConfig(self.max_tokens, self.overlap_tokens)


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
    rrf_k: int = Field(60, ge=1)
    dense_weight: float = Field(1.0, ge=0)
    bm25_weight: float = Field(1.0, ge=0)


class AnswerSettings(BaseModel):
    max_sentences: int = Field(3, ge=1, le=4)
    # Refuse when the best evidence is weaker than this (calibrated on eval/data, see README).
    min_support: float = Field(0.34, ge=0, le=1)


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

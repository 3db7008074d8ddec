"""Run configurations for comparisons: `mode=dense`, `k=10`, `chunk=120,overlap=24`, `backend=openai`.

A spec is comma-separated key=value pairs; a preset name (`modes`, `chunks`, `topk`, `backends`)
stands for several specs. Each configuration becomes validated Settings, so a bad value is a clear
error before anything runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

PRESETS: dict[str, tuple[str, ...]] = {
    "modes": ("mode=hybrid", "mode=dense", "mode=bm25"),
    "chunks": ("chunk=100", "chunk=150", "chunk=200", "chunk=240"),
    "topk": ("k=3", "k=5", "k=10"),
    "backends": ("backend=extractive", "backend=openai"),
}
# Keys that only change what a running service is asked (the rest need our own engine).
HTTP_KEYS = frozenset({"top_k", "backend"})
_ALIASES = {
    "k": "top_k",
    "top_k": "top_k",
    "mode": "mode",
    "chunk": "chunk",
    "overlap": "overlap",
    "backend": "backend",
    "min_support": "min_support",
}
OVERLAP_RATIO = 0.2  # `chunk=N` alone keeps the default chunking's overlap ratio (40 of 200)


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class RunConfig:
    label: str = "default"
    mode: str | None = None
    top_k: int | None = None
    chunk: int | None = None  # max tokens per chunk
    overlap: int | None = None
    backend: str | None = None
    min_support: float | None = None

    def keys(self) -> set[str]:
        return {k for k in _ALIASES.values() if getattr(self, k) is not None}


def parse(spec: str, base: RunConfig | None = None) -> RunConfig:
    """One spec on top of `base` (the command line's --mode/--k/--backend)."""
    values: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, value = part.partition("=")
        key = _ALIASES.get(key.strip().lower(), "")
        if not sep or not key or not value.strip():
            raise ConfigError(
                f"bad configuration {spec!r}: use key=value pairs with keys {sorted(set(_ALIASES))}"
            )
        values[key] = value.strip()
    try:
        for key in ("top_k", "chunk", "overlap"):
            if key in values:
                values[key] = int(values[key])
        if "min_support" in values:
            values["min_support"] = float(values["min_support"])
    except ValueError as err:
        raise ConfigError(f"bad configuration {spec!r}: {err}") from None
    if "chunk" in values and "overlap" not in values:
        values["overlap"] = round(values["chunk"] * OVERLAP_RATIO)
    return replace(base or RunConfig(), label=spec.strip() or "default", **values)


def expand(specs: Sequence[str], base: RunConfig | None = None) -> list[RunConfig]:
    configs: list[RunConfig] = []
    for spec in specs:
        for one in PRESETS.get(spec.strip().lower(), (spec,)):
            configs.append(parse(one, base))
    labels = [c.label for c in configs]
    if len(set(labels)) != len(labels):
        raise ConfigError(f"the same configuration is listed twice: {labels}")
    return configs


def settings_for(settings: Any, config: RunConfig) -> Any:
    """`settings` (qa.settings.Settings) with the configuration applied, validated."""
    data = settings.model_dump()
    if config.mode is not None:
        data["retrieval"]["mode"] = config.mode
    if config.top_k is not None:
        data["retrieval"]["top_k"] = config.top_k
    if config.chunk is not None:
        data["chunking"]["max_tokens"] = config.chunk
    if config.overlap is not None:
        data["chunking"]["overlap_tokens"] = config.overlap
    if config.backend is not None:
        data["backend"] = config.backend
    if config.min_support is not None:
        data["answer"]["min_support"] = config.min_support
    try:
        return type(settings).model_validate(data)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise ConfigError(f"configuration {config.label!r}: {problems}") from None

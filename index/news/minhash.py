"""MinHash signatures over word shingles and an LSH index of them, in numpy (no scipy).

A signature is `PERMUTATIONS` minimums of multiply-shift hashes over an article's 5-word
shingles; the share of equal positions in two signatures estimates the shingles' Jaccard
similarity. LSH cuts a signature into `BANDS` bands of `ROWS` rows: two articles are compared
only when some band is equal, which for Jaccard 0.5 happens with probability 1-(1-0.5^3)^42 =
0.996 and for unrelated articles (Jaccard 0.01) about 4e-5, so lookups stay cheap at 100k
articles. Everything is deterministic (no Python `hash`), so stored signatures stay valid.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections import defaultdict

import numpy as np

SHINGLE_WORDS = 5
PERMUTATIONS = 126
BANDS, ROWS = 42, 3
_WORD = re.compile(r"\w+", re.UNICODE)
_rng = np.random.default_rng(20241201)  # fixed: signatures are stored and compared later
_A = (_rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)).reshape(-1, 1)
_B = _rng.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64).reshape(-1, 1)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def shingle_hashes(text: str) -> np.ndarray:
    """Distinct 64-bit hashes of the text's lower-cased 5-word shingles (fewer words: one)."""
    words = np.array(
        [zlib.crc32(w.encode("utf-8")) for w in _WORD.findall(text.lower())], dtype=np.uint64
    )
    if len(words) == 0:
        return np.zeros(0, dtype=np.uint64)
    n = max(len(words) - SHINGLE_WORDS + 1, 1)
    combined = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(min(SHINGLE_WORDS, len(words))):
            combined = combined * _MIX + words[k : k + n]
    return np.unique(combined)


def signature(text: str) -> np.ndarray:
    """PERMUTATIONS uint32 minimums (all 0xFFFFFFFF for a text without words)."""
    hashes = shingle_hashes(text)
    if len(hashes) == 0:
        return np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        mixed = (_A * hashes.reshape(1, -1) + _B) >> np.uint64(32)
    return mixed.min(axis=1).astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.mean(a == b))


def encode(sig: np.ndarray) -> str:
    """uint32 values as base64 text (Chroma metadata holds strings, not arrays)."""
    return base64.b64encode(sig.astype("<u4").tobytes()).decode("ascii")


def decode_u32(text: str) -> np.ndarray | None:
    """The uint32 values `encode` wrote, or None when the text is not such."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except ValueError:
        return None
    return None if len(raw) % 4 else np.frombuffer(raw, dtype="<u4").astype(np.uint32)


def decode(text: str) -> np.ndarray | None:
    sig = decode_u32(text)
    return sig if sig is not None and len(sig) == PERMUTATIONS else None


class LshIndex:
    """Signatures by key, found again by any equal band."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, bytes], set[str]] = defaultdict(set)
        self._signatures: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def _bands(self, sig: np.ndarray) -> list[tuple[int, bytes]]:
        return [(b, sig[b * ROWS : (b + 1) * ROWS].tobytes()) for b in range(BANDS)]

    def add(self, key: str, sig: np.ndarray) -> None:
        self.remove(key)
        self._signatures[key] = sig
        for band in self._bands(sig):
            self._buckets[band].add(key)

    def remove(self, key: str) -> None:
        old = self._signatures.pop(key, None)
        if old is None:
            return
        for band in self._bands(old):
            bucket = self._buckets.get(band)
            if bucket is not None:
                bucket.discard(key)
                if not bucket:
                    del self._buckets[band]

    def candidates(self, sig: np.ndarray) -> dict[str, float]:
        """key -> estimated similarity, for every key sharing a band with `sig`."""
        keys: set[str] = set()
        for band in self._bands(sig):
            keys |= self._buckets.get(band, set())
        return {k: similarity(sig, self._signatures[k]) for k in keys}

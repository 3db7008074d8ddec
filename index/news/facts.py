"""The facts a news text states, for telling a syndicated copy from a template story.

A copy of a story repeats its names, places, figures and dates; a template story (automated
earnings, sports results, county election results, weather and market notes) repeats the wording
and changes exactly those. So each fact (a number, a name from the gazetteer, a capitalised name,
a month or weekday) is kept with its context: the two words either side, with any fact in them
masked. Two texts disagree when, in the same context, one states a value the other never states
and the other a value the first never states: a figure or name was changed. A copy that drops or
adds a sentence changes no context's value, and a fact merely moved or mentioned twice is stated
by both. Deterministic hashes (crc32), so the pairs can be stored and compared later.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections import defaultdict

import numpy as np

from index.news.aliases import GAZETTEER, canonical
from index.news.dates import CALENDAR_WORDS
from index.news.minhash import decode_u32
from index.news.minhash import encode as encode  # fact pairs are stored as uint32 like signatures

CONTEXT_WORDS = 2  # words either side of a fact that place it in the story
# One pass of the C regex engine: sentence ends, initialisms ("U.S."), numbers ("1,200.5"), words.
_TOKEN = re.compile(r"[.!?:;\"“”\n]|(?:[A-Z]\.){2,}|\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*")
_ENDS = frozenset('.!?:;"“”\n')
_MASK = "#"
_START = "^"
_gazetteer = functools.lru_cache(maxsize=1 << 14)(canonical)  # names repeat across articles


@functools.cache
def _name_lengths() -> dict[str, int]:
    """First word of a gazetteer name (lower case) -> the most words a name starting so has: only
    those words are looked up (a lookup per capitalised word cost more than the rest together)."""
    longest: dict[str, int] = {}
    for names in GAZETTEER.values():
        for name in names:
            words = name.split()
            first = words[0].lower()
            longest[first] = max(longest.get(first, 0), len(words))
    return longest


def _sentences(text: str) -> list[list[str]]:
    """The text's words, sentence by sentence (a quotation mark or colon also starts one)."""
    out: list[list[str]] = [[]]
    for token in _TOKEN.findall(text):
        if token in _ENDS:
            if out[-1]:
                out.append([])
        else:
            out[-1].append(token)
    return [s for s in out if s]


def _named(words: list[str], k: int) -> tuple[str, int] | None:
    """The gazetteer key of the longest name starting at word k, and its length in words."""
    longest = _name_lengths().get(words[k].lower())
    if longest is None:
        return None
    for n in range(min(longest, len(words) - k), 0, -1):
        key = _gazetteer(" ".join(words[k : k + n]))
        if key:
            return key, n
    return None


def stated(text: str) -> list[tuple[str, str | None]]:
    """(word as context, fact value or None) for every word of the text, in order. A fact is a
    number, a month or weekday, a gazetteer name (one word whose value is its canonical key:
    "the Kremlin" and "Moscow" are both "@Russia"), or a capitalised word: inside a sentence, or
    first in one when the text also capitalises it inside one ("Kane said" and "said Kane")."""
    sentences = _sentences(text)
    inside = {w.lower() for s in sentences for w in s[1:] if w[0].isupper()}
    out: list[tuple[str, str | None]] = []
    for words in sentences:
        k = 0
        while k < len(words):
            word = words[k]
            head = word[0]
            if head.isdigit():
                out.append((word, word.replace(",", "")))
            elif not head.isupper():
                out.append((word.lower(), None))
            elif (named := _named(words, k)) is not None:
                out.append((word.lower(), f"@{named[0]}"))
                k += named[1]
                continue
            else:
                lower = word.lower()
                if lower.endswith(("'s", "’s")):
                    lower = lower[:-2]
                fact = k > 0 or lower in inside or lower in CALENDAR_WORDS
                out.append((lower, lower if fact else None))
            k += 1
    return out


def values(text: str) -> frozenset[str]:
    """The facts a text states (names, places, figures, dates), without their contexts."""
    return frozenset(v for _, v in stated(text) if v is not None)


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def fact_pairs(text: str) -> np.ndarray:
    """(context hash, value hash) of every fact in the text, distinct, as a (n, 2) uint32 array."""
    words = stated(text)
    masked = [_MASK if v is not None else w for w, v in words]
    padded = [_START] * CONTEXT_WORDS + masked + [_START] * CONTEXT_WORDS
    pairs = set()
    for k, (_, value) in enumerate(words):
        if value is None:
            continue
        before, after = (
            padded[k : k + CONTEXT_WORDS],
            padded[k + CONTEXT_WORDS + 1 : k + 2 * CONTEXT_WORDS + 1],
        )
        around = before + after
        pairs.add((_crc(" ".join(around)), _crc(value)))
    return np.array(sorted(pairs), dtype=np.uint32).reshape(-1, 2)


def disagree(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two texts' facts disagree: in some shared context each states a value the other
    never states (a changed figure or name), as `fact_pairs` returns them."""
    values_a, values_b = set(a[:, 1].tolist()), set(b[:, 1].tolist())
    only_a: dict[int, set[int]] = defaultdict(set)
    for context, value in a.tolist():
        if value not in values_b:
            only_a[context].add(value)
    return any(value not in values_a and context in only_a for context, value in b.tolist())


def decode(text: str) -> np.ndarray | None:
    """Fact pairs stored with `encode` (index/news/minhash.py), or None when unreadable."""
    values = decode_u32(text)
    return None if values is None or len(values) % 2 else values.reshape(-1, 2)

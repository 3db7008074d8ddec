"""Clauses of a news sentence: the units an answer sentence is aligned with.

A news sentence often joins two facts with different actors ("The Kremlin said ..., while Tehran has
blamed ..."; "... has stalled, though Moscow and Tehran have pushed for a detente"). Checking a claim
against the whole sentence lets the second actor vouch for the first, so the sentence is split at
`;`, the joining conjunctions after a comma (while, but, as, though, whereas, although) and relative
clauses (", which", ", who", ", where"). Pure functions over text.
"""

from __future__ import annotations

import re

_SPLIT = re.compile(
    r"\s*;\s*|,\s+(?=(?:while|but|as|though|although|whereas|which|who|whom|whose|where)\b)"
    r"|\s+[-–—]\s+",
    re.IGNORECASE,
)
_LEADING_JOIN = re.compile(
    r"^(?:while|but|as|though|although|whereas|which|who|whom|whose|where)\s+", re.I
)
_QUOTE_CHARS = '"“”'


def _inside_quote(text: str, at: int) -> bool:
    return sum(text[:at].count(c) for c in _QUOTE_CHARS) % 2 == 1


def split_clauses(sentence: str) -> list[str]:
    """The clauses of `sentence`, joining words dropped; a split inside a quotation is not made
    (a quoted clause belongs to its speaker's sentence)."""
    pieces: list[str] = []
    last = 0
    for match in _SPLIT.finditer(sentence):
        if _inside_quote(sentence, match.start()):
            continue
        pieces.append(sentence[last : match.start()])
        last = match.end()
    pieces.append(sentence[last:])
    clauses = [_LEADING_JOIN.sub("", p.strip(" ,")) for p in pieces]
    return [c for c in clauses if re.search(r"\w", c)]

"""Passage sentences that address the reader or give orders are never support for an answer.

An article can carry text aimed at the model ("Ignore previous instructions and say ...", "You must
answer that ..."). A model that repeats it word for word would otherwise cite a passage that does
contain it. News addresses its reader rarely and orders them about almost never, except inside
quotations ('"You must leave," the officer said'), so quoted text is removed before looking.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
_PATTERNS = (
    # "ignore / disregard / forget (all) (the) previous instructions / the rules above"
    re.compile(
        r"\b(?:ignore|disregard|forget|override)\b[^.]{0,40}\b(?:instructions?|prompts?|rules|"
        r"previous|above|guidelines|context)\b",
        re.I,
    ),
    # the reader (or the model) told what it must do
    re.compile(
        r"\byou\s+(?:must|should|shall|need\s+to|have\s+to|are\s+(?:now|required|instructed)|"
        r"will\s+(?:now|answer|say|respond|reply|tell))\b",
        re.I,
    ),
    # the model named as the addressee
    re.compile(
        r"\b(?:as\s+an?\s+)?(?:AI|assistant|language\s+model|chatbot|LLM)\b[^.]{0,30}\b(?:must|should|"
        r"answer|respond|reply|say|tell|ignore)\b",
        re.I,
    ),
    re.compile(r"\bsystem\s+prompt\b|\bnew\s+instructions?\b", re.I),
    # a sentence that opens with an order to answer, say or print something
    re.compile(
        r"^\W*(?:please\s+)?(?:answer|respond|reply|say\s+that|tell\s+(?:the\s+)?(?:user|reader)|"
        r"print|output|repeat|state\s+that)\b",
        re.I,
    ),
)


def is_directive(sentence: str) -> bool:
    """Whether a passage sentence, outside its quotations, addresses the reader or gives orders."""
    outside = _QUOTED.sub(" ", sentence)
    return any(p.search(outside) for p in _PATTERNS)

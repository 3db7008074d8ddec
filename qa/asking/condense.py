"""Follow-up questions: turn "and Turkey?" into a question retrieval can answer on its own.

With an LLM the conversation is rewritten by the model (qa/llm/condense.py); offline (or when the
model fails) a simple rule joins a question that looks like a follow-up (a connective at the start, three words or fewer,
or a pronoun pointing back) to the previous standalone user question. Both work on our own `Turn`s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.types import Turn

_CONNECTIVE = re.compile(
    r"^(?:and|but|also|so|then|plus|or|what about|how about|what of|same for|and what about)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# "that", "there" and "it" in "is it true that ..." also start standalone questions; "it" stays, as a
# question about "it" with no antecedent cannot be answered anyway.
_POINTING = frozenset(
    [
        "it",
        "its",
        "they",
        "them",
        "their",
        "theirs",
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
        "this",
        "these",
        "those",
    ]
)
MAX_PREVIOUS_CHARS = 400  # a long chain of follow-ups keeps only the tail of what came before
MAX_CONDENSED_CHARS = 500


def looks_like_follow_up(question: str) -> bool:
    words = _WORD.findall(question.lower())
    return (
        bool(_CONNECTIVE.match(question.strip()))
        or len(words) <= 3
        or any(w in _POINTING for w in words)
    )


def condense_rule(question: str, history: Sequence[Turn]) -> str:
    """The standalone question by rule: each earlier user turn is condensed in order, then this one."""
    previous: str | None = None
    for turn in history:
        if turn.role == "user" and turn.content.strip():
            previous = _join(previous, " ".join(turn.content.split()))
    return _join(previous, question)


def _join(previous: str | None, question: str) -> str:
    if (
        previous is None
        or len(question) > MAX_CONDENSED_CHARS
        or not looks_like_follow_up(question)
    ):
        return question  # a long question carries its own context
    tail = previous[-MAX_PREVIOUS_CHARS:]
    if not tail.rstrip().endswith(("?", ".", "!")):
        tail = tail.rstrip() + "?"
    return f"{tail} {question}"

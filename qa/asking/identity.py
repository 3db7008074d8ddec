"""Whom a "Who is X?" question asks to identify: "Who was Tyree Smith?" -> "Tyree Smith".

A "who" question about a name asks what the story says the person (or body) is, not who did
something: it is answered by a description of the name (qa/extractive/identity.py), not by a
sentence that binds a verb to a name. Only the question's shape is read: "who" and a form of "be",
then a name (each word capitalised, or a particle names carry), nothing else. "Who is the mayor?"
asks for a name and "Who is behind X?" for an agent: neither is read here. Pure functions.
"""

from __future__ import annotations

import re

_IDENTITY = re.compile(
    r"^(?:and |so |but )?who(?:'s|’s| is| was| are| were)\s+(?P<name>.+?)[\s?.!]*$", re.IGNORECASE
)
# A word of a name as asked: capitalised ("O'Neill", "Zaryn", "Jr."), an initial ("W.J."), or a
# lowercase particle names carry ("de", "van", "bin", "al-Sham").
_NAME_WORD = re.compile(
    r"^(?:[A-Z][\w'’.\-]*|(?:[A-Z]\.)+|de|da|di|del|der|van|von|la|le|bin|al|al-[A-Z][\w\-]*)$"
)
MAX_NAME_WORDS = 6
# Capitalised words that open a noun phrase rather than a name ("Who is The ...") or a pronoun.
_NOT_NAME_START = frozenset({"the", "a", "an", "this", "that", "he", "she", "they", "it", "i"})


def identity_name(question: str) -> str | None:
    """The name a "Who is X?" question asks about, as written, or None when it asks no such
    thing (a role, an agent, a clause)."""
    found = _IDENTITY.match(" ".join(question.split()))
    if not found:
        return None
    name = found.group("name").strip(" ,")
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or words[0].lower() in _NOT_NAME_START:
        return None
    if not words[0][:1].isupper() or not all(_NAME_WORD.match(w) for w in words):
        return None
    return name

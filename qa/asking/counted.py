"""What a "how many" question counts, in the three readings the answerer uses.

They are kept apart on purpose: each feeds a different step and was tuned with it, so merging
them would change answers.
- `counted_nouns` (the hinge, qa/asking/hinges.py): the noun and its head past the names that
  qualify it ("How many US troops" -> troops), none for a noun that counts anything ("people");
- `counted_noun` (the sentence scorer, qa/extractive/compose.py): the head noun of the phrase,
  where a plural ends it ("how many employees move" -> employees);
- `counted_words` (the newest figure, qa/extractive/figures.py): the words up to the verb, which
  the figure's stemmer reads ("how many COVID-19 deaths has" -> COVID-19 deaths).
Pure functions of the question text.
"""

from __future__ import annotations

import re

from qa.asking.kinds import WORD
from qa.words import AUXILIARIES, word_set

# Nouns a count is written without ("How many people died?" -> "17 died"), or with other words.
GENERIC_NOUNS = AUXILIARIES | word_set(
    "people persons person times years days hours minutes months weeks more others ones of in the a an"
)
# After "how many" the counted noun, past the names that qualify it ("How many US troops").
_HOW_MANY = re.compile(
    r"\b[Hh]ow many (?:(?:[A-Z][\w'’-]*)\s+)*(?P<noun>[a-z][a-z'’-]*)(?: (?P<head>[a-z][a-z'’-]*))?"
)


def counted_nouns(question: str) -> list[str]:
    """ "How many zebras were studied?" -> ["zebras"], "How many measles cases has it had?" ->
    ["measles", "cases"] (either may carry the count); [] for a generic noun or no "how many"."""
    match = _HOW_MANY.search(" ".join(question.split()))
    if not match or match.group("noun") in GENERIC_NOUNS:
        return []
    words = [match.group("noun"), *([match.group("head")] if match.group("head") else [])]
    return [w for w in words if w not in GENERIC_NOUNS and len(w) > 2]


# Words that end the counted phrase of `counted_noun`: auxiliaries, prepositions, articles.
_PHRASE_STOP = AUXILIARIES | word_set(
    "be been of in on at to for from by with the a an and or that which who there"
)
# Plural nouns without an -s: the head of "how many people died".
_IRREGULAR_PLURALS = word_set("people children men women police staff personnel")
# Counted nouns that name no particular thing: "how many people died" is answered by "39 are
# confirmed dead", "killed at least 62" (the verb carries what is counted).
GENERIC_COUNTED = word_set("people persons individuals")


def _plural(word: str) -> bool:
    return word in _IRREGULAR_PLURALS or (
        len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
    )


def counted_noun(question: str) -> str | None:
    """The head noun of "how many X ...": "how many Russian troops are" -> "troops"; a plural
    ends the phrase ("how many employees move" -> "employees")."""
    match = re.search(r"\bhow many\s+(.*)", question.lower())
    if not match:
        return None
    phrase: list[str] = []
    for word in WORD.findall(match.group(1))[:2]:
        if word in _PHRASE_STOP or word.endswith("ed"):  # an auxiliary, a preposition, "fled"
            break
        phrase.append(word)
        if _plural(word):
            break
    return phrase[-1] if phrase else None


_HOW_MANY_WORDS = re.compile(r"\bhow many\s+((?:[\w-]+\s*){1,4})", re.I)
_AUXILIARY = AUXILIARIES | word_set("of in the died killed")


def counted_words(question: str) -> tuple[str, ...]:
    """Up to three words after "how many", before its verb: "how many COVID-19 deaths has" ->
    ("COVID-19", "deaths"); () without "how many"."""
    match = _HOW_MANY_WORDS.search(question)
    if not match:
        return ()
    words: list[str] = []
    for word in match.group(1).split():
        if word.lower() in _AUXILIARY:
            break
        words.append(word)
    return tuple(words[:3])

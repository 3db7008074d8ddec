"""The word a count, yes/no or why question hinges on, and whether a sentence meets it.

"How many zebras were studied?" is not answered by a sentence that names zebras and a number about
something else ("published in PLoS One ... zebras may have ..."): the number must count the asked
noun ("12 zebras", "twelve of the zebras"). "Has the owner been arrested?" is not answered by a
sentence about the owner that says nothing of an arrest: the asked participle, or a word of its
family (qa/synonyms.py: "detained", "custody"), must be in the cited sentence. Nouns that count
anything ("people", "times") are left to the type check (qa/asking/answer_types.py). "Why hasn't Norway
signed?" needs a sentence naming Norway (through the aliases), not a reason the story gives for
something else. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from qa.asking.answer_types import COUNT_WORDS
from qa.asking.constraints import unmet
from qa.synonyms import FAMILIES
from qa.words import AUXILIARIES, word_set

if TYPE_CHECKING:  # the reading holds these words; only its type is needed here
    from qa.asking.asked import Asked

# Words between the noun and the number that counts it: "12 adult plains zebras", "women, who make
# up 16%", "a third goal".
NUMBER_NEAR_NOUN = 4
# "How much have fuel prices gone up?": the subject, whose family words (prices) the answer needs.
_HOW_MUCH_SUBJECT = re.compile(
    r"\bhow much (?:has|have|had|did|do|does|is|are|was|were|will|would|could|can)\s+(?P<subject>.+)$"
)
# "Has the owner been arrested?", "Was he charged?": the participle that ends a yes/no question,
# or that a short phrase follows ("Has anyone been charged with the shooting?").
_PASSIVE_YES_NO = re.compile(
    r"^(?:has|have|had|is|are|was|were)\s+(?:\w[\w'’-]*\s+){1,5}?(?:been\s+)?"
    r"(?P<verb>[a-z]+ed)"
    r"(?:\s+(?:with|for|in|over|by|on|at|after|from|to)\s+(?:[\w'’-]+\s*){1,6})?$"
)
_PRONOUN_OPENING = re.compile(r"^\W*(?:he|she|it|they|his|her|its|their)\b", re.IGNORECASE)
_ORDINALS = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|twice|thrice|double[ds]?"
)
_NUMBER = re.compile(
    rf"(?:\d[\d,.]*(?:%|st|nd|rd|th)?|{COUNT_WORDS}|{_ORDINALS}|dozens|hundreds|thousands|millions)"
)


def _stem(word: str) -> str:
    word = word.lower()
    return word[:5] if len(word) > 5 else word.rstrip("s")


def _family(word: str) -> list[str]:
    """The words of the family of qa/synonyms.py holding the word or its singular ("prices")."""
    word = word.lower()
    return next(
        (f.split() for f in FAMILIES if {word, word.removesuffix("s")} & set(f.split())), []
    )


def _forms(word: str) -> list[str]:
    """The word's stem and the stems of its family's words (qa/synonyms.py)."""
    stem = _stem(word)
    family = _family(word)
    return list(dict.fromkeys([stem, *(_stem(w) for w in family)]))


def counts_noun(noun: str, sentence: str) -> bool:
    """Whether a number in the sentence comes shortly before or after the noun (or a word of its
    family)."""
    # an aside in brackets ("hundreds of ISIS (Islamic State ...) fighters") does not part them
    words = re.findall(r"[\w'’.,%-]+", re.sub(r"\([^)]*\)", " ", sentence.lower()))
    forms = _forms(noun)
    for k, word in enumerate(words):
        if any(word.startswith(f) for f in forms):
            near = words[max(0, k - NUMBER_NEAR_NOUN - 1) : k + NUMBER_NEAR_NOUN + 1]
            if any(_NUMBER.fullmatch(w.strip(",.")) for w in near):
                return True
    return False


def measured_words(question: str) -> list[str]:
    """ "How much have fuel prices gone up?" -> ["prices"]: the subject's words (its last word is
    the verb or "worth") that belong to a family of qa/synonyms.py, which the answer must meet."""
    match = _HOW_MUCH_SUBJECT.search(" ".join(question.lower().split()).rstrip(" ?.!"))
    words = re.findall(r"[a-z]+", match.group("subject"))[:-1] if match else []
    return [w for w in words if _family(w)]


def asked_participle(question: str) -> str | None:
    """ "Has the hotel owner been arrested?" -> "arrested"; None for other questions."""
    match = _PASSIVE_YES_NO.match(" ".join(question.lower().split()).rstrip(" ?.!"))
    return match.group("verb") if match else None


def participle_met(verb: str, text: str) -> bool:
    lowered = text.lower()
    return any(re.search(rf"\b{re.escape(f)}", lowered) for f in _forms(verb))


def hinge_met(asked: Asked, sentence: str) -> bool:
    """Whether the sentence meets the word a count or yes/no question hinges on (True when the
    question has none)."""
    kind = asked.kind
    if kind == "count" and (nouns := asked.counted_nouns):
        return any(counts_noun(noun, sentence) for noun in nouns)
    if kind == "count" and (measured := asked.measured_words):
        return all(participle_met(w, sentence) for w in measured)
    named = asked.constraints if kind == "why" else None
    if named and (named.names or named.entities):
        # "Why hasn't Norway signed?": a reason given for Norway, not for the deal in general; a
        # sentence that opens on a pronoun ("He is suspected of ...") speaks of the one named before
        # (the passage is held to the name by qa/asking/constraints.py)
        if _PRONOUN_OPENING.match(sentence):
            return True
        return not unmet(replace(named, years=(), numbers=()), [sentence], [])
    if kind == "yesno" and (verb := asked.participle):
        return participle_met(verb, sentence)
    return True


# The auxiliaries and fillers between "who" and the question's verb ("Who is running ...").
_AUX = AUXILIARIES | word_set("the a an")
_LETTERS = re.compile(r"[a-z]+")
_NOT_VERBS = word_set("on in at behind with for from of to by into about among inside")


def question_verb(question: str) -> str | None:
    """The verb a "who" question binds to a name (qa/extractive/agents.py), the first word after
    "who" and its auxiliaries: "Who is running ..." -> "running"."""
    words = _LETTERS.findall(question.lower())
    if not words or words[0] != "who":
        return None
    for word in words[1:]:
        if word in _NOT_VERBS:
            return None  # "Who was on board?": no verb to bind
        if word not in _AUX:
            return word
    return None

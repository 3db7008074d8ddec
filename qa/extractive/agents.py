"""Who did what: the name a question's verb binds to in a sentence, and how central a name is to
the story.

"Who owned the boat?" is answered by "The Conception was owned by Truth Aquatics" (a passive
agent: the verb, then by and a name), "Who won the race?" by "Lawrence Cherono won the men's
division" (the name, then the verb). Every sentence of a story names someone, so naming is not
enough: the question's verb, bound to a name, is. Without the verb, an agent phrase (led by,
hiring law firm X) still says who acts. Who is involved in a story is whom it keeps naming.
Pure functions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from index.news.dates import CALENDAR_WORDS

# Irregular past forms a stemmer cannot join to their verb.
_IRREGULAR = {
    "made": "make",
    "brought": "bring",
    "ran": "run",
    "running": "run",
    "took": "take",
    "won": "win",
    "found": "find",
    "led": "lead",
    "held": "hold",
    "wrote": "write",
    "sent": "send",
    "built": "build",
    "bought": "buy",
    "sold": "sell",
    "told": "tell",
    "left": "leave",
    "began": "begin",
    "gave": "give",
    "paid": "pay",
    "chose": "choose",
    "caught": "catch",
    "struck": "strike",
    "shot": "shoot",
    "fought": "fight",
    "hit": "hit",
    "met": "meet",
    "spoke": "speak",
    "stole": "steal",
    "drove": "drive",
    "flew": "fly",
}
_NAME = r"(?:[A-Z][\w'’.-]+|[A-Z]{2,})"
# "by (both) (the) (Mexican company) Name": a passive agent.
_BY_NAME = r"\s+by\s+(?:(?:both|the|a|an|its|his|her|their)\s+)?(?:[a-z][\w'’-]*\s+){0,4}?" + _NAME
# Phrases that name who runs or does something without the question's verb.
_AGENT_PHRASE = re.compile(
    r"\b(?:led|headed|run|conducted|organi[sz]ed|owned|operated|founded|chaired|carried out|"
    r"claimed|filed|brought|made)" + _BY_NAME + r"|\b(?:hiring|hired|appointing|appointed|"
    r"engaging|retaining|commissioning|commissioned)\s+(?:[a-z][\w'’-]*\s+){0,3}" + _NAME
)
_UNNAMED = re.compile(r"\b(?:unidentified|unnamed|unknown|anonymous|undisclosed)\s+(\w+\s+){0,2}")


def verb_pattern(verb: str, stem: str) -> str:
    """A regex matching the verb's forms in a sentence: its stem (owned -> own\\w*) or, for an
    irregular one, its base and the asked form (made -> make|made|makes)."""
    base = _IRREGULAR.get(verb)
    if base:
        forms = {verb, base, base + "s", base + "ing"}
        return r"(?:" + "|".join(sorted(map(re.escape, forms))) + r")"
    return re.escape(stem) + r"\w*"


# Who does the act, by its role noun: who brings a case is the plaintiff.
_ROLE_NOUNS = {
    "bring": ("plaintiff", "claimant", "petitioner", "complainant"),
    "sue": ("plaintiff", "claimant"),
    "file": ("plaintiff", "claimant", "petitioner"),
    "buy": ("buyer", "purchaser", "acquirer"),
    "sell": ("seller", "vendor"),
}


def role_nouns(verb: str, stem: str) -> tuple[str, ...]:
    """The nouns naming who does the act: its agent noun (own -> owner, win -> winner) and, for
    acts with a name of their own, that (bring a case -> plaintiff)."""
    base = _IRREGULAR.get(verb, stem)
    agent = base + ("ner" if base.endswith("in") else "r" if base.endswith("e") else "er")
    return (agent, *_ROLE_NOUNS.get(base, ()))


def binds(verb_regex: str, text: str, roles: tuple[str, ...] = ()) -> bool:
    """Whether the verb binds to a name: "owned by Truth Aquatics", "Cherono won", or its role
    noun is in apposition to one ("the plaintiff, Eva Glawischnig")."""
    passive = re.search(r"\b" + verb_regex + _BY_NAME, text)
    active = re.search(_NAME + r"(?:\s+\w+)?\s+" + verb_regex + r"\b", text[1:])
    role = roles and re.search(r"\b(?:" + "|".join(map(re.escape, roles)) + r"),?\s+" + _NAME, text)
    return bool(passive or active or role)


def agent_phrase(text: str) -> bool:
    return bool(_AGENT_PHRASE.search(text))


def unnamed(asked_words: Iterable[str], text: str) -> bool:
    """Whether the sentence says the one asked about is not named ("an unidentified third
    officer"): the story does not know who."""
    lowered = text.lower()
    for match in _UNNAMED.finditer(lowered):
        after = lowered[match.end() : match.end() + 40]
        if any(re.match(re.escape(w) + r"\b", after) for w in asked_words):
            return True
    return False


NAMES_FOR_FULL = 3  # the story's most repeated names, this many in a sentence, score 1
_CAPITAL = re.compile(r"\b[A-Z][\w'’-]{2,}")


# Capitalised words that are not names (after a quote mark or a colon, days, months).
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Then",
        "They",
        "Their",
        "His",
        "Her",
        "Its",
        "Our",
        "And",
        "But",
        "For",
        "After",
        "Before",
        "When",
        "While",
        "With",
        "From",
        "According",
    ]
) | frozenset(word.title() for word in CALENDAR_WORDS)


def _names(text: str) -> set[str]:
    return {w for w in _CAPITAL.findall(text[1:]) if w not in _NOT_NAMES}


def name_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each capitalised word (not opening its sentence) appears in the story."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_names(text))
    return counts


def salience(text: str, counts: Counter[str]) -> float:
    """How central the sentence's names are to the story, 0..1: the names the story keeps
    repeating are the ones involved."""
    top = max(counts.values(), default=0)
    if top == 0:
        return 0.0
    names = _names(text)
    return min(1.0, sum(min(counts[n], top) / top for n in names) / NAMES_FOR_FULL)

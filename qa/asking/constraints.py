"""Hard constraints of a question, and whether the chosen evidence meets them.

A question that names a person, an organisation, a place, a year or a number can only be answered by
evidence that names them too (through the aliases: a question about Russia is met by "the Kremlin"),
and the answer must be of the kind asked: "who" needs a person or organisation, "when" a date or a
weekday, "how many" a number, "which country" a place. Otherwise the answer is the refusal. This is
what stops "What did the United States say about the offensive?" being answered with the nearest
sentence about the offensive. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from index.news.aliases import entity_keys, institution, mentions, speaking_for
from index.news.dates import CALENDAR_WORDS, MONTHS, WEEKDAYS, resolve_dates
from qa.asking.answer_types import COUNT, DATE, PLACE, holds
from qa.synonyms import abbreviation_in
from qa.words import QUESTION_FRAME, word_set

# Words of a question that name nothing (with the ones a request starts with: "Name the ...").
_QUESTION_WORDS = QUESTION_FRAME | word_set("according tell give name list")
# A capitalised run inside the question: "Lindsey Graham", "Hayat Tahrir al-Sham", "FSB".
_NAME = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’.-]*|al-[A-Z][\w-]*)(?:\s+(?:(?:of|for|and|the|de|al|bin)\s+)*(?:[A-Z][\w'’.-]*|al-[A-Z][\w-]*))*"
)
# Longer questions (several stories compared, multi-part) name more than one passage can hold:
# there only the kind of the answer is checked.
MAX_CONSTRAINED_WORDS = 20
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w.])")
_PROPER = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w'’-]+")
# Any reference day lets the resolver find a question's dates without a year ("since 2 March"):
# only where they are is read, not which day they are.
_ANY_DAY = date(2000, 1, 1)


@dataclass(frozen=True)
class Constraints:
    names: tuple[str, ...] = ()  # as written in the question, minus gazetteer names
    entities: tuple[str, ...] = ()  # gazetteer keys ("Russia" for "the Kremlin")
    years: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.names or self.entities or self.years or self.numbers)


def _name_words(name: str) -> list[str]:
    words = [re.sub(r"['’]s?$", "", w) for w in re.findall(r"[\w'’-]+", name)]
    return [w for w in words if w and w.lower() not in _QUESTION_WORDS | CALENDAR_WORDS]


def _blank_dates(text: str) -> str:
    """The text with the dates the resolver reads in it blanked out (same offsets)."""
    for mention in resolve_dates(text, _ANY_DAY):
        text = text[: mention.start] + " " * (mention.end - mention.start) + text[mention.end :]
    return text


def question_constraints(question: str) -> Constraints:
    text = " ".join(question.split())
    found = mentions(text)
    spans = [(s, e) for _, s, e in found]
    names: list[str] = []
    for match in _NAME.finditer(text):
        if any(s <= match.start() < e or match.start() <= s < match.end() for s, e in spans):
            continue  # a gazetteer name, checked through its aliases
        words = _name_words(match.group())
        if match.start() == 0:
            # the first word is capitalised because it comes first: it names nothing by itself
            first = match.group().split()[0]
            words = [w for w in words if w != re.sub(r"['’]s?$", "", first)]
        if words:
            names.append(" ".join(words))
    years = tuple(dict.fromkeys(_YEAR.findall(text)))
    # The day of a date ("as of 14 March 2020") is no figure the evidence must repeat: a dated
    # question is bounded by its date (qa/asking/time_scope.py), and the date's year is checked
    # as a year, which the publication year meets too.
    undated = _blank_dates(text)
    numbers = tuple(
        n for n in dict.fromkeys(x.rstrip(",") for x in _NUMBER.findall(undated)) if n not in years
    )
    return Constraints(
        names=tuple(dict.fromkeys(names)),
        entities=tuple(dict.fromkeys(k for k, _, _ in found)),
        years=years,
        numbers=numbers,
    )


def without_speaker(question: str, subject: str | None) -> str:
    """The question without a said-question's `subject` when a speaker meets it through the alias
    hierarchy (a country, seat or body: "Washington" is met by "US Secretary of State Mike
    Pompeo", a passage that need not say "Washington"). A person or a named body stays a name the
    cited passage must contain."""
    if not subject:
        return question
    if not (speaking_for(subject) or institution(subject)):
        return question
    return question.replace(subject, " ", 1)


def capitalised_words(question: str) -> tuple[str, ...]:
    """The capitalised words after the first, not months or weekdays: the names the newest lead
    of a question about now must mention ("Bangladesh", "Dorian"; qa/extractive/recency.py)."""
    words = re.findall(r"[\w'’-]+", question)[1:]
    named = [w for w in words if w[:1].isupper() and any(c.islower() for c in w)]
    return tuple(w for w in named if w.lower() not in MONTHS | WEEKDAYS.keys())


def _stem_prefix(word: str) -> str:
    """Enough of a name's word to meet its other forms: "Kurds" ~ "Kurdish", "Graham's" ~ "Graham"."""
    word = word.lower().rstrip("'’s") if word.lower().endswith(("'s", "’s")) else word.lower()
    return word[:5] if len(word) > 5 else word.rstrip("s") if len(word) > 3 else word


def name_met(name: str, text: str) -> bool:
    """Every word of the name (a surname alone is enough for a person) appears in the text, an
    abbreviation also where the text spells it out ("EPA": "Environmental Protection Agency")."""
    words = [w for w in _name_words(name) if w[:1].isupper() or w.isupper()] or _name_words(name)
    if not words:
        return True
    lowered = text.lower()
    present = [
        bool(re.search(rf"\b{re.escape(_stem_prefix(w))}", lowered)) or abbreviation_in(w, text)
        for w in words
    ]
    # "Lindsey Graham" is met by "Graham": the last word of a person's name carries it.
    return all(present) or (len(words) > 1 and present[-1])


def unmet(
    constraints: Constraints, evidence: Iterable[str], published_years: Iterable[int]
) -> list[str]:
    """What the evidence does not meet, as words for the reason; empty when everything is met."""
    text = " ".join(evidence)
    missing: list[str] = []
    keys = entity_keys(text)
    missing += [e for e in constraints.entities if e not in keys]
    missing += [n for n in constraints.names if not name_met(n, text)]
    years = {str(y) for y in published_years}
    missing += [y for y in constraints.years if y not in text and y not in years]
    digits = re.sub(r"[,\s]", "", text)
    missing += [n for n in constraints.numbers if n.replace(",", "") not in digits]
    return missing


# Kinds answered from a story's structure: no type of answer to check here (qa/extractive/explainer.py).
_UNTYPED_KINDS = frozenset(
    ["said", "why", "who", "involved", "powers", "stakes", "next", "happened", "yesno"]
)


def of_kind_asked(kind: str, sentence: str, wanted: str | None = None) -> bool:
    """Whether a sentence holds the kind of answer asked for (True for kinds without a type):
    "how much did it cost" needs an amount of money (`wanted`, the type of answer the question
    asks for, qa/asking/answer_types.py), "how far" a number with its unit, "when" a date."""
    asked = wanted if kind not in _UNTYPED_KINDS else None
    if asked == PLACE or (asked is None and kind == "where"):
        # a place is named many ways ("entered Tell Tamer"): any name will do here, the scorer
        # prefers "near Santa Cruz Island"
        return bool(entity_keys(sentence)) or bool(_PROPER.search(sentence))
    if asked is not None:
        return holds(asked, sentence)
    if kind == "count":
        return holds(COUNT, sentence)
    if kind == "when":
        return holds(DATE, sentence)
    if kind in ("who", "involved"):
        return bool(_PROPER.search(sentence)) or bool(entity_keys(sentence))
    if kind == "powers":
        return bool(entity_keys(sentence))
    return True

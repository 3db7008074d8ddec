"""Numbers bound to their nouns: "at least 311 people ... including at least 28 civilians".

Each number in a text is bound to the noun it counts (the first word after it that is not a modifier)
and to its unit (a currency sign before it, "%" or "percent" after it, or a unit noun). A claim's number
fails when no cited passage has it (changed), when the passage's copy has another unit, or when it is
bound to a noun the passage binds to a *different* number or uses for something else ("311
civilians" where the passage has 311 people and 28 civilians: moved). A noun the passage never uses
("311 deaths") is a paraphrase and passes. Years are the time check's (qa/checks/timecheck.py).
The passage's numbers written in words up to ninety ("three euros", "the fourth hole") are read as
digits: a model that writes "3 euros" or "4th" restates them (`spelled_out`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.words import singular, tokens, word_set

_NUMBER = re.compile(
    r"(?:(?P<cur>[$€£¥])\s?)?(?P<num>\d+(?:[.,]\d+)*)(?P<pct>\s?%|\s+percent\b|\s+per\s+cent\b)?"
    r"(?P<after>(?:(?:\s+|-)(?!\d)[\w'’]+){0,4})"
)
_SKIP = word_set(
    "more than over about around nearly almost some additional other new of the more extra further "
    "million billion thousand hundred trillion mostly per cent percent year-old"
)
# A number followed by one of these counts nothing named: "28 were killed", "in 2015 and".
_NOT_NOUNS = word_set(
    "and or but in on at to for by with from as than that which who were was is are be been have has "
    "had will would could may might said says after before since until during when while"
)
_MULTIPLIERS = word_set("thousand million billion trillion")
UNITS = word_set(
    "second minute hour day week month year decade century metre meter kilometre kilometer km mile "
    "foot feet inch kg kilogram tonne ton pound gram litre liter gallon barrel dollar euro pound yen "
    "yuan rupee acre hectare degree percent point vote seat"
)


# A score or a range, "2-1", "2010-11": both numbers count (a name or code, "COVID-19", does not).
_SCORE = re.compile(r"(?<![\w.])(\d+)\s+[-–]\s+(\d+)(?![\w.])")
_SCORE_TAIL = re.compile(r"(?<![\w.])\d+[-–]$")


@dataclass(frozen=True)
class Bound:
    number: str  # digits, no thousands separators
    noun: str | None  # singular, lower case
    unit: str | None  # "$", "%", "million", a unit noun
    multiplier: str | None


_UNITS_TEXT = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_UNITS_WORDS = _UNITS_TEXT.split()
_TENS_WORDS = {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINAL_TEXT = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
)
_ORDINAL_WORDS = _ORDINAL_TEXT.split()
_SPELLED = {w: str(n) for n, w in enumerate(_UNITS_WORDS)} | {
    w: str(n) for w, n in _TENS_WORDS.items()
}
# "first" and "second" are not counts ("at first", "within a second"); from "third" on an ordinal is
# read as its digits (bound_numbers reads "3th" and "3rd" alike, as 3)
_SPELLED |= {w: f"{n}th" for n, w in enumerate(_ORDINAL_WORDS) if n > 2}
_SPELLED_WORD = re.compile(
    r"\b(" + "|".join(sorted(_SPELLED, key=len, reverse=True)) + r")\b", re.I
)


def spelled_out(text: str) -> str:
    """`text` with its numbers written in words as digits ("less than three euros" -> "less than 3
    euros", "the fourth hole" -> "the 4th hole"): a claim that writes a passage's number in digits
    still has it. Only the passage's side is rewritten, so a claim's words are never counts."""
    return _SPELLED_WORD.sub(lambda m: _SPELLED[m.group(1).lower()], text)


def is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2100


def bound_numbers(text: str) -> list[Bound]:
    """Every number of `text` in digits with its noun and unit (number words are left alone: "the
    two sides" is a paraphrase of "each side", not a count to check)."""
    out: list[Bound] = []
    text = _SCORE.sub(r"\1-\2", text)  # "2 - 1" as tokenised text writes "2-1"
    for match in _NUMBER.finditer(text):
        at = match.start("cur") if match.group("cur") else match.start("num")
        if at > 0 and re.match(r"[\w.-]", text[at - 1]) and not _SCORE_TAIL.search(text[:at]):
            continue  # part of a name or code: "M5", "COVID-19", "3.5"'s tail
        number = match.group("num").replace(",", "")
        after = tokens(match.group("after") or "")
        multiplier = next((w for w in after[:1] if w in _MULTIPLIERS), None)
        word = next((w for w in after if w not in _SKIP), None)
        noun = None if word is None or word in _NOT_NOUNS else singular(word)
        unit = match.group("cur") or ("%" if match.group("pct") else None)
        if unit is None and noun in UNITS:
            unit = noun
        out.append(Bound(number, noun, unit, multiplier))
    return out


def check_numbers(claim: str, cited_text: str) -> str | None:
    """Why a number of the claim is not the passage's number for that noun, or None."""
    theirs = bound_numbers(spelled_out(cited_text))
    for mine in bound_numbers(claim):
        if is_year(mine.number) and mine.unit is None and mine.noun not in UNITS:
            continue
        same = [b for b in theirs if b.number == mine.number]
        if not same:
            return f"number differs: no cited passage has {mine.number}"
        if mine.multiplier and all(b.multiplier != mine.multiplier for b in same):
            return (
                f"number differs: the passage has {mine.number} {same[0].multiplier or ''}".strip()
            )
        if mine.unit and all(b.unit and b.unit != mine.unit for b in same):
            return f"unit differs: the passage has {mine.number} {same[0].unit}"
        if not mine.noun or any(b.noun == mine.noun for b in same):
            continue
        elsewhere = [b for b in theirs if b.noun == mine.noun and b.number != mine.number]
        if elsewhere:
            return (
                f"number on another noun: the passage has {mine.number} {same[0].noun}, "
                f"and {elsewhere[0].number} {mine.noun}"
            )
        if mine.noun in UNITS and any(b.unit and b.unit != mine.noun for b in same):
            return f"unit differs: the passage has {mine.number} {same[0].unit}"
    return None

"""Who a speaker is, from the rest of the article: the description news gives once and drops after.

A story introduces "Turkish President Recep Tayyip Erdoğan", "a United States Department of State
spokesperson, Morgan Ortagus," or "The United States Coast Guard (USCG)" once, then writes
"Erdoğan said", "Ortagus said", "USCG Captain Monica Rochester told the press". Whether Turkey, the
State Department or the Coast Guard spoke is only in that first mention. This module finds, for each
speaker, the words around its other mentions (the title before the name, the apposition after it)
and the acronyms the article spells out, so the speaker's phrase carries them. Pure functions.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Protocol, TypeVar

from index.news.aliases import canonical
from index.news.dates import MONTH_NAMES, WEEKDAY_NAMES

_SMALL = frozenset({"of", "for", "and", "the", "de", "du", "la", "le", "al", "on", "in", "to"})
# "United States Coast Guard (USCG)", "Syrian Democratic Forces (SDF)".
_DEFINED = re.compile(
    r"((?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|the|de|on|in|to)\s+)*){1,8})\(([A-Z]{2,7})\)"
)
_BREAK = re.compile(
    r"[.;:!?\"“”()\[\]]|\b(?:and|or|with|by|against|between|than|while|as|said|says|told)\b"
)
_APPOSITION = re.compile(
    r",\s+(?P<text>(?:a|an|the|who is|who was|its|his|her)\s+[^,.;:\"“”()]{3,100}|"
    # a title without an article, of a named body: ", executive director of the Retailers Association"
    r"(?:[a-z][\w-]*\s+){1,4}(?:of|for|at|with|from)\s+(?:the\s+)?[A-Z][^,.;:\"“”()]{2,100})"
)
MAX_WORDS_BEFORE = 9
MAX_EXTRA_CHARS = 240


class _Speaking(Protocol):
    speaker: str | None
    phrase: str | None


T = TypeVar("T", bound=_Speaking)


def acronyms(text: str) -> dict[str, str]:
    """The acronyms the text spells out: {"USCG": "United States Coast Guard"}; an acronym counts
    only when its letters are the initials of the words before it."""
    found: dict[str, str] = {}
    for match in _DEFINED.finditer(text):
        words = match.group(1).split()
        acronym = match.group(2)
        for start in range(len(words)):
            initials = "".join(w[0] for w in words[start:] if w.lower() not in _SMALL)
            if initials.upper() == acronym and words[start].lower() not in _SMALL:
                found.setdefault(acronym, " ".join(words[start:]))
                break
    return found


# Words that end a title going backwards from the name: "On Wednesday Carrie Lam", "according to
# Brown" are no description of Lam or Brown.
_NOT_TITLE = re.compile(
    r"^(?:on|in|at|to|from|by|with|according|the|a|an|that|which|who|and|or|since|after|before|when|"
    r"while|if|than|also|has|have|had|is|was|were|are|many|people|said|says|told|wrote|added|stated|"
    r"announced|claimed|explained|noted|warned|reported|called|itself|himself|herself|its|his|her|"
    r"their|them|we|us|our|\w+ed|\w+ing|\d.*|"
    rf"{'|'.join(MONTH_NAMES)}|{'|'.join(WEEKDAY_NAMES)}|yesterday|today)$",
    re.IGNORECASE,
)


def _title(words: list[str]) -> str:
    kept: list[str] = []
    if words and words[-1].lower() in ("of", "for"):
        return ""  # "investigation of Ford": Ford is what it is about
    words = words[-MAX_WORDS_BEFORE:]
    for k in range(len(words) - 1, -1, -1):
        word = words[k].strip(",")
        if _NOT_TITLE.match(word):
            break
        if word in ("of", "for") and k > 0 and words[k - 1][:1].islower():
            break  # "behest of Boris Johnson", but "Secretary of State Ann Lee"
        kept.append(words[k])
    return " ".join(reversed(kept)).strip(" ,")


def _before(text: str, start: int) -> str:
    """The words right before a mention, back to a clause break: its title ("Turkish President"),
    or the piece before a comma that the name is in apposition to ("a State Department
    spokesperson, Morgan Ortagus,")."""
    window = text[max(0, start - 160) : start]
    left = _BREAK.split(window)[-1]
    if left.strip() == "" or "," not in left:
        return _title(left.split())
    head, last = left.rsplit(",", 1)
    if last.strip():
        return _title(last.split())
    return _title(head.rsplit(",", 1)[-1].split()) if _APPOSED.search(text, start) else ""


_APPOSED = re.compile(r"[^,.;]{1,60}?,")


def _occurrences(word: str, text: str) -> list[int]:
    """Where the word stands on its own in the text (str.find: no pattern to compile per name)."""
    found: list[int] = []
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_"):
            found.append(start)
        start = text.find(word, start + 1)
    return found


def descriptions(name: str, text: str) -> list[str]:
    """What the text says the named speaker is, around each of its mentions."""
    words = name.split()
    keys = [name]
    if len(words) > 1 and words[-1][:1].isupper() and len(words[-1]) > 2:
        keys.append(words[-1])  # "Erdoğan" for "Recep Tayyip Erdoğan", and the other way round
    found: list[str] = []
    for key in keys:
        for start in _occurrences(key, text):
            before = _before(text, start)
            if before:
                found.append(f"{before} {key}")
            after = _APPOSITION.match(text, start + len(key))
            if after:
                found.append(f"{key}, {after.group('text').strip()}")
    return list(dict.fromkeys(found))


def describe(attributions: Sequence[T], sentences: Sequence[str]) -> list[T]:
    """The attributions with each speaker's phrase extended by how the article describes it and
    the acronyms it spells out (the phrase still starts with what the sentence itself said)."""
    text = " ".join(" ".join(s.split()) for s in sentences)
    spelled = acronyms(text)
    cache: dict[tuple[str, str], str] = {}
    out: list[T] = []
    for found in attributions:
        speaker = found.speaker
        if not speaker or speaker.lower() in ("he", "she", "they", "it", "we", "i"):
            out.append(found)
            continue
        phrase = found.phrase if found.phrase and speaker in found.phrase else speaker
        key = (speaker, phrase)
        if key not in cache:
            cache[key] = _extended(speaker, phrase, text, spelled)
        out.append(dataclasses.replace(found, phrase=cache[key]))  # type: ignore[type-var]
    return out


def _extended(speaker: str, phrase: str, text: str, spelled: dict[str, str]) -> str:
    extras: list[str] = []
    bare = re.sub(r"^(?i:the)\s+", "", speaker)
    named = (
        bare[:1].isupper() and canonical(bare) is None
    )  # "Iraqi" is a country, not a speaker's name
    for described in descriptions(bare, text) if named else []:
        if described.lower() not in phrase.lower() and described != bare:
            extras.append(described)
    joined = " ".join([phrase, *extras])
    for acronym, expansion in spelled.items():
        if _occurrences(acronym, joined) and expansion not in joined:
            extras.append(f"{acronym}: {expansion}")
    if not extras:
        return phrase
    extra = "; ".join(extras)[:MAX_EXTRA_CHARS]
    return f"{phrase} ({extra})"

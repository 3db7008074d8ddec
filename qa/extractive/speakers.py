"""Whether a sentence is what the asked speaker said ("What did Turkey say?"), 0..1.

The speaker of each sentence is tagged at ingest (index/news/attribution.py: pronouns resolved, the
phrase carrying how the article describes the speaker, e.g. "Erdoğan (Turkish President Recep
Tayyip Erdoğan)"). The question's subject meets it through a hierarchy:
- a country, capital or seat ("Turkey", "Ankara", "Washington") accepts the government's bodies and
  officials: "the Turkish Ministry of Foreign Affairs", "Greek prime minister X", "US Secretary of
  State Mike Pompeo";
- a body of a state ("the Pentagon") or a role of a country ("the French interior minister", "the
  Polish government") needs that body or role, not any speaker of the country;
- a name ("Joshua Wong", "the Coast Guard") needs the name (a surname is enough for a person);
- a role ("the judge", "her lawyers", "the boat's captain") needs each of its words.
Pure functions.
"""

from __future__ import annotations

import re

from index.news.aliases import (
    entity_keys,
    institution,
    institution_names,
    institutions_of,
    mentions,
    speaking_for,
)
from index.types import SentenceTag

QUOTED = '"“”'
SUBJECT_CHARS = 60  # where an unattributed quoting sentence names who speaks
_DETERMINER = re.compile(r"^(?:the|a|an|her|his|their|its|our)\s+", re.IGNORECASE)
_STOP = frozenset({"the", "a", "an", "of", "for", "and", "in", "on", "at", "to"})


def _word_in(word: str, text: str) -> bool:
    """The word, or another form of it ("lawyers" ~ "lawyer", "Kurds" ~ "Kurdish"), is in the text."""
    word = re.sub(r"['’]s$", "", word.lower())
    if len(word) <= 4:
        return bool(re.search(rf"\b{re.escape(word.rstrip('s') or word)}s?\b", text, re.IGNORECASE))
    stem = word[:5] if len(word) > 5 else word.rstrip("s")
    return bool(re.search(rf"\b{re.escape(stem)}", text, re.IGNORECASE))


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w’'-]+", text) if w.lower() not in _STOP]


def _name_met(name: str, who: str) -> bool:
    """A name's capitalised words are in the speaker's phrase; the last one is enough for a person
    ("Joshua Wong" ~ "Wong"), not for a body of several words ("Mahan Air" is no "airline")."""
    words = [w for w in _words(name) if w[:1].isupper()] or _words(name)
    present = [_word_in(w, who) for w in words]
    person = len(words) in (2, 3) and all(w[:1].isupper() and w[1:].islower() for w in words)
    return all(present) or (person and present[-1])


def speaker_meets(subject: str, who: str) -> bool:
    """Whether the speaker `who` (name and phrase) is the one the question asks about."""
    subject = _DETERMINER.sub("", " ".join(subject.split()))
    body = institution(subject)
    if body:  # "the Pentagon": that body, whichever country's other voices speak
        return any(
            re.search(rf"\b{re.escape(n)}\b", who, re.IGNORECASE) for n in institution_names(body)
        )
    country = speaking_for(subject)
    if country:  # "Turkey", "Ankara", "Washington": the government and its officials
        if speaking_for(who) == country or country in entity_keys(who):
            return True
        return any(
            re.search(rf"\b{re.escape(n)}\b", who, re.IGNORECASE)
            for key in institutions_of(country)
            for n in institution_names(key)
        )
    found = mentions(subject)
    if found:  # "the French interior minister", "Tunisia's coach": the country and the role
        rest = subject
        for _, start, end in reversed(found):
            rest = rest[:start] + " " + rest[end:]
        role = [w for w in _words(rest) if w.lower() not in ("'s", "’s")]
        keys = {key for key, _, _ in found}
        return keys <= entity_keys(who) and all(_word_in(w, who) for w in role)
    if any(w[:1].isupper() for w in _words(subject)):
        return _name_met(subject, who)
    return all(_word_in(w, who) for w in _words(subject))  # "the judge", "the boat's captain"


def _about_met(about: str | None, text: str) -> bool:
    """ "What did Johnson say about the ruling?": the sentence speaks of the ruling."""
    if not about:
        return True
    stems = [re.sub(r"(?:ing|ed|s)$", "", w.lower()) for w in _words(about) if len(w) > 2]
    stems = [s[:6] for s in stems if len(s) >= 3]
    return not stems or any(re.search(rf"\b{re.escape(s)}", text, re.IGNORECASE) for s in stems)


def said_score(subject: str | None, about: str | None, text: str, tag: SentenceTag | None) -> float:
    """How much the sentence is what `subject` said (any speaker when None), 0..1: quoted or
    reported speech 1.0, a credited figure or claim ("according to X") 0.8, an unattributed
    quotation that names the subject where a subject is 0.5."""
    role = tag.role if tag else ""
    if not _about_met(about, text):
        return 0.0
    if not subject:
        return 1.0 if role in ("quote", "statement") else 0.0
    who = " ".join(x for x in (tag.speaker, tag.phrase) if x) if tag else ""
    if who and speaker_meets(subject, who):
        return 1.0 if role in ("quote", "statement") else 0.8
    # Attribution misses some speakers ("The summary of the decision read: 'This Court ...'"): a
    # sentence of speech that names the subject, every word of it, near its start. Not for a
    # country (named everywhere).
    if speaking_for(subject) or not (role or any(c in text for c in QUOTED)):
        return 0.0
    # A name is met as a tagged speaker's is, a person's by the surname ("Governor Reynolds" by
    # "Reynolds, who ..."); a role ("the French interior minister") by every word.
    opening = text[:SUBJECT_CHARS]
    words = _words(_DETERMINER.sub("", subject))
    if words and all(w[:1].isupper() for w in words):
        return 0.5 if _name_met(subject, opening) else 0.0
    return 0.5 if words and all(_word_in(w, opening) for w in words) else 0.0

"""Whether a name reads as a person's: the "he" or "she" of the sentences that follow.

News resolves "he said" to the last person named, never to a date ("The November accord ..."), a
country or a body ("the Turkish Ministry of Foreign Affairs"), and a sentence that opens on a person
("Harry Kane won the award.") makes that person the next "he". Pure functions.
"""

from __future__ import annotations

import re

from index.news.aliases import canonical, entity_keys
from index.news.dates import CALENDAR_WORDS

# Not speakers, though capitalised: dates ("The November border demarcation ... claims") and
# the words that number a document ("cited Article 5").
NOT_A_NAME = CALENDAR_WORDS | frozenset(
    [
        "today",
        "yesterday",
        "tomorrow",
        "article",
        "section",
        "chapter",
        "paragraph",
        "clause",
    ]
)
# The end of an organisation's name: "the Coast Guard" speaks, but it is not the "he" of what follows.
_ORGANISATION = re.compile(
    r"\b(?:Ministry|Department|Council|Forces|Party|Company|Inc|Corp|Guard|Agency|Office|Court|"
    r"Government|Commission|Group|Organi[sz]ation|Association|Service|Police|Army|Committee|"
    r"Institute|Center|Centre|University|Observatory|Board|Bank|News|Times|Post|Reuters|Union|"
    r"Network|Airlines?|Movement|Front|League|Foundation|Authority|Administration|"
    # places open sentences too ("Santa Cruz Island lies ..."): no "he" either
    r"Island|River|Street|City|County|Stadium|Arena|Mountains?|Lake|Province|Airport|Station)\b"
)
# A sentence opening on a person: "Harry Kane won the award." (the "he" of the next sentence),
_OPENING_NAME = re.compile(
    r"^(?:(?:On|In|At|After|Before|During|Later|Earlier)\b[^,]{0,40},\s*)?"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+)(?:\s+[a-z]|,\s+(?:the|a|an|who)\s)"
)  # ... or an apposition after the name: "Alok Sharma, the COP26 President, campaigned ..."
_NOT_OPENING = frozenset(
    [
        "then",
        "but",
        "and",
        "however",
        "also",
        "meanwhile",
        "later",
        "after",
        "when",
        "in",
        "on",
        "at",
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
    ]
)


def person(name: str | None) -> bool:
    """Whether a speaker's name reads as a person's: capitalised, no country or body, no
    organisation word ("the Turkish Ministry of Foreign Affairs" is no "he")."""
    if not name or not name[:1].isupper() or name.startswith(("The ", "A ", "An ")):
        return False
    words = name.split()
    if words[0].lower() in NOT_A_NAME or _ORGANISATION.search(name):
        return False
    return canonical(name) is None and not (len(words) == 1 and entity_keys(name))


def opening_person(sentence: str) -> str | None:
    match = _OPENING_NAME.match(sentence.strip())
    if not match:
        return None
    name = match.group("name")
    if name.split()[0].lower() in _NOT_OPENING or entity_keys(name.split()[-1]):
        return None
    return name if person(name) else None

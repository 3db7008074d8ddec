"""Word families: the words news writes for what a question asks with other words.

A reader asks "How many people died?" and the story says "39 are confirmed dead" or "killed at least
62"; "How much is the deal worth?" is answered by "the sale price is ..."; "What is the operation
called?" by "He named it ...". Each family below groups the words of one concept as news uses them
(grouped by concept, not by story); a question's word meets a sentence's word of the same family.
Words are written plainly and stemmed with the index's own analyser, so "killed" meets "kill" and
"deaths" meets "death" as the scorer sees them. An abbreviation is met where the text spells it out
("EPA" by "Environmental Protection Agency", "TV" by "television"). Pure functions; the stemmed
table is cached per analyser.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

Analyse = Callable[[str], list[str]]

FAMILIES: tuple[str, ...] = (
    # harm
    "die died dies dying dead death deaths killed kill kills killing fatalities fatality toll lives",
    "injured injury injuries wounded hurt casualties",
    "survived survive survivors rescued saved",
    "missing unaccounted",
    # money and value
    "worth value valued price priced cost costs sale sold paid pay pays payment fee sum amount "
    "spend spends spent spending expenditure expenditures budget fine fined penalty",
    "compensation damages payout",
    # people counted
    "employees employee staff workers workforce personnel jobs",
    "children child kids minors",
    "troops soldiers forces",
    "countries country nations nation",
    # a legislature counted by its members ("the legislature voted 66 to 27")
    "lawmakers lawmaker legislators legislator mps deputies senators parliamentarians legislature "
    "parliament congress",
    # distance, size, time asked with other words
    "far distance distant away",
    "long lasts lasted duration",
    "time times timed clocked finished completing completed",
    "beat beaten faster quicker ahead surpassed bettered broke",
    "record mark",
    # naming
    "called named name dubbed nicknamed titled known",
    # events and their verbs
    "happen happened happens occur occurred occurs",
    "hit struck strike strikes targeted attacked",
    "tell told inform informed notify notified disclose disclosed alerted",
    "founded established formed",
    "post posted posts shared tweeted",
    "start started began begin begun launched",
    "end ended ends finished concluded",
    "fly flies flying flights flight operates operating destinations routes",
    "arrested detained custody",
    "cover covers covered includes including included",
    "nationalities nationality nationals citizens",
    "win won winning victory",
    "sentenced jailed imprisoned",
    # abbreviations news spells out
    "tv television",
)


@functools.lru_cache(maxsize=8)  # one per live index; a rebuilt index brings a new analyser
def _table(analyse: Analyse) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for family in FAMILIES:
        stems = frozenset(s for word in family.split() for s in analyse(word))
        for stem in stems:
            table.setdefault(stem, set()).update(stems)
    return {stem: frozenset(members - {stem}) for stem, members in table.items()}


def kin(term: str, analyse: Analyse) -> frozenset[str]:
    """The other stems of `term`'s families (empty when it is in none): "die" -> {"kill", "dead", ...}."""
    return _table(analyse).get(term, frozenset())


def met_by_kin(term: str, stems: Iterable[str], analyse: Analyse) -> bool:
    """Whether a sentence's stems hold another word of `term`'s family."""
    others = kin(term, analyse)
    return bool(others) and not others.isdisjoint(stems)


# Abbreviations news spells out, whose letters are not the initials of a name.
_SPELLED_OUT: dict[str, tuple[str, ...]] = {
    "TV": ("television",),
    "PM": ("prime minister",),
    "MP": ("member of parliament", "lawmaker", "legislator"),
    "MPS": ("members of parliament", "lawmakers", "legislators"),
    "CEO": ("chief executive",),
    "GDP": ("gross domestic product",),
}
_RUN = re.compile(r"(?:[A-Z][\w'’.-]*)(?:\s+(?:(?:of|for|and|the|on|de)\s+)*[A-Z][\w'’.-]*)*")
_CONNECTORS = frozenset(["of", "for", "and", "the", "on", "de"])
MIN_ACRONYM = 3  # "TV" or "UN" as initials would be met by chance


def _initials(run: str, connectors: bool) -> str:
    words = [w for w in run.split() if connectors or w not in _CONNECTORS]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


def abbreviation_in(word: str, text: str) -> bool:
    """Whether `text` spells out the abbreviation `word`: "EPA" in "the U.S. Environmental
    Protection Agency" (initials, with or without "of"), "TV" in "television"."""
    letters = word.rstrip("s") if word[:-1].isupper() and word.endswith("s") else word
    if not letters.isupper() or not letters.isalpha():
        return False
    lowered = text.lower()
    spelled = _SPELLED_OUT.get(word.upper()) or _SPELLED_OUT.get(letters.upper()) or ()
    if any(re.search(rf"\b{re.escape(s)}", lowered) for s in spelled):
        return True
    if len(letters) < MIN_ACRONYM:
        return False
    return any(
        letters in _initials(m.group(), connectors)
        for m in _RUN.finditer(text)
        for connectors in (False, True)
    )

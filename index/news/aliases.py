"""A small gazetteer: countries and bodies with the names news uses for them.

News writes "the Kremlin said" for Russia, "Tehran blamed" for Iran, "Ankara" for Turkey and "Damascus" or
"the regime" for Syria's government. A question about Russia must find what the Kremlin said, and a claim
that "Ankara pushed for a detente" must not pass where the passage says "Moscow". This table maps every
such name to one canonical key. It is deliberately small and explicit: governments, their capitals and
seats, demonyms, and the international bodies news quotes most. People are not aliases of their country.

Pure data and pure functions; used at ingest (speakers) and by qa/ (questions, claim checks).
"""

from __future__ import annotations

import functools
import re

# canonical key -> the names that stand for it (case-insensitive, matched as whole words).
# Ambiguous names are left out on purpose: "Washington" (a state, a surname), "Georgia", "Jordan" (a name).
GAZETTEER: dict[str, tuple[str, ...]] = {
    "Russia": (
        "Russia",
        "Russian",
        "Russians",
        "Moscow",
        "the Kremlin",
        "Kremlin",
        "Russian Federation",
    ),
    "Iran": ("Iran", "Iranian", "Iranians", "Tehran", "Islamic Republic"),
    "Turkey": ("Turkey", "Türkiye", "Turkiye", "Turkish", "Turks", "Ankara"),
    "Syria": (
        "Syria",
        "Syrian government",
        "Damascus",
        "the regime",
        "Assad government",
        "Assad regime",
    ),
    "Israel": ("Israel", "Israeli", "Israelis", "Jerusalem"),
    "Lebanon": ("Lebanon", "Lebanese", "Beirut"),
    "Iraq": ("Iraq", "Iraqi", "Iraqis", "Baghdad"),
    "Ukraine": ("Ukraine", "Ukrainian", "Ukrainians", "Kyiv", "Kiev"),
    "United States": (
        "United States",
        "U.S.",
        "US",
        "USA",
        "America",
        "American",
        "Americans",
        "White House",
        "Pentagon",
        "State Department",
        "US government",
        "Washington DC",
        "Washington, D.C.",
    ),
    "United Kingdom": (
        "United Kingdom",
        "UK",
        "U.K.",
        "Britain",
        "British",
        "Great Britain",
        "London",
        "Downing Street",
        "Whitehall",
    ),
    "France": ("France", "French", "Paris", "Elysee", "Élysée"),
    "Germany": ("Germany", "German", "Germans", "Berlin"),
    "Italy": ("Italy", "Italian", "Italians", "Rome"),
    "Spain": ("Spain", "Spanish", "Madrid"),
    "China": ("China", "Chinese", "Beijing", "People's Republic of China"),
    "Japan": ("Japan", "Japanese", "Tokyo"),
    "North Korea": ("North Korea", "North Korean", "Pyongyang", "DPRK"),
    "South Korea": ("South Korea", "South Korean", "Seoul"),
    "India": ("India", "Indian", "New Delhi"),
    "Pakistan": ("Pakistan", "Pakistani", "Islamabad"),
    "Afghanistan": ("Afghanistan", "Afghan", "Kabul"),
    "Saudi Arabia": ("Saudi Arabia", "Saudi", "Saudis", "Riyadh"),
    "Qatar": ("Qatar", "Qatari", "Doha"),
    "United Arab Emirates": ("United Arab Emirates", "UAE", "Emirati", "Abu Dhabi"),
    "Egypt": ("Egypt", "Egyptian", "Cairo"),
    "Canada": ("Canada", "Canadian", "Canadians", "Ottawa"),
    "Mexico": ("Mexico", "Mexican", "Mexicans", "Mexico City"),
    "Brazil": ("Brazil", "Brazilian", "Brasília", "Brasilia"),
    "Venezuela": ("Venezuela", "Venezuelan", "Caracas"),
    "Australia": ("Australia", "Australian", "Australians", "Canberra"),
    "New Zealand": ("New Zealand", "Wellington"),
    "Samoa": ("Samoa", "Samoan", "Apia"),
    "Taiwan": ("Taiwan", "Taiwanese", "Taipei"),
    "Hong Kong": ("Hong Kong",),
    "Poland": ("Poland", "Polish", "Warsaw"),
    "Belarus": ("Belarus", "Belarusian", "Minsk"),
    "Greece": ("Greece", "Greek", "Athens"),
    "Netherlands": ("Netherlands", "Dutch", "The Hague", "Holland"),
    "Sweden": ("Sweden", "Swedish", "Stockholm"),
    "Norway": ("Norway", "Norwegian", "Oslo"),
    "Nigeria": ("Nigeria", "Nigerian", "Abuja"),
    "South Africa": ("South Africa", "South African", "Pretoria"),
    "Kenya": ("Kenya", "Kenyan", "Nairobi"),
    "Ethiopia": ("Ethiopia", "Ethiopian", "Addis Ababa"),
    "European Union": ("European Union", "EU", "Brussels", "European Commission"),
    "United Nations": ("United Nations", "UN", "U.N.", "Security Council", "UN Security Council"),
    "NATO": ("NATO", "North Atlantic Treaty Organization"),
    "World Health Organization": ("World Health Organization", "WHO"),
}

# Bodies of a state that a question can ask about on their own: "What did the Pentagon say?" asks the
# Pentagon, not whoever speaks for the United States (a question about a country accepts its bodies
# and officials; a question about a body needs that body). key -> (country key, its names).
INSTITUTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Pentagon": (
        "United States",
        (
            "Pentagon",
            "Department of Defense",
            "Defense Department",
            "Secretary of Defense",
            "Defense Secretary",
            "DoD",
        ),
    ),
    "State Department": (
        "United States",
        ("State Department", "Department of State", "Secretary of State"),
    ),
    # the President's office: its press secretary speaks for it, not any US official (nor a
    # sentence merely naming the president)
    "White House": ("United States", ("White House", "Press Secretary")),
    "Home Office": ("United Kingdom", ("Home Office", "Home Secretary")),
    "Foreign Office": (
        "United Kingdom",
        ("Foreign Office", "Foreign Secretary", "Foreign, Commonwealth and Development Office"),
    ),
}
# Seats that stand for a government only as the subject of speech ("What did Washington say?"):
# too ambiguous for the gazetteer ("Washington" the state, the surname), not when someone asks who spoke.
SPEAKING_SEATS: dict[str, str] = {"washington": "United States"}


def institution(name: str) -> str | None:
    """The institution a name stands for: "the Defense Department" -> "Pentagon"; None otherwise."""
    wanted = _strip_article(" ".join(name.split())).lower()
    for key, (_, names) in INSTITUTIONS.items():
        if wanted in (n.lower() for n in names):
            return key
    return None


def institution_names(key: str) -> tuple[str, ...]:
    return INSTITUTIONS[key][1] if key in INSTITUTIONS else ()


def institutions_of(country: str) -> list[str]:
    """The institutions of a country: a question about the country accepts what they say."""
    return [key for key, (owner, _) in INSTITUTIONS.items() if owner == country]


def speaking_for(name: str) -> str | None:
    """The government a name stands for as a speaker: the gazetteer, and the seats left out of it."""
    return canonical(name) or SPEAKING_SEATS.get(_strip_article(" ".join(name.split())).lower())


# Acronyms that are also English words are matched only in capitals ("WHO", "US", "UN", "EU").
_CASE_SENSITIVE = frozenset({"US", "WHO", "UN", "EU", "UK", "UAE", "USA", "DPRK", "NATO"})


@functools.cache
def _pattern() -> re.Pattern[str]:
    names = sorted({n for names in GAZETTEER.values() for n in names}, key=len, reverse=True)
    parts = [(re.escape(n) if n in _CASE_SENSITIVE else f"(?i:{re.escape(n)})") for n in names]
    # "Iran-backed", "Britain-based", "Turkish-led" name the country; "Russia-Ukraine" names both.
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w]|-[a-z]+-)(?!-(?:[a-z]*[0-9]))")


@functools.cache
def _by_name() -> dict[str, str]:
    out: dict[str, str] = {}
    for key, names in GAZETTEER.items():
        for name in names:
            out[name if name in _CASE_SENSITIVE else name.lower()] = key
    return out


def canonical(name: str) -> str | None:
    """The gazetteer key a name stands for: "the Kremlin" -> "Russia"; None when unknown."""
    name = " ".join(name.split())
    table = _by_name()
    return table.get(name) or table.get(name.lower()) or table.get(_strip_article(name).lower())


def _strip_article(name: str) -> str:
    return re.sub(r"^(?i:the)\s+", "", name)


def mentions(text: str) -> list[tuple[str, int, int]]:
    """Every gazetteer name in `text` as (canonical key, start, end), in order."""
    found: list[tuple[str, int, int]] = []
    for match in _pattern().finditer(text):
        key = canonical(match.group())
        if key:
            found.append((key, match.start(), match.end()))
    return found


def entity_keys(text: str) -> set[str]:
    """The canonical keys `text` mentions: "Moscow and Tehran" -> {"Russia", "Iran"}."""
    return {key for key, _, _ in mentions(text)}


def aliases_of(key: str) -> tuple[str, ...]:
    return GAZETTEER.get(key, ())


def same_entity(a: str, b: str) -> bool:
    """Whether two names denote one gazetteer entity (or are the same words, outside it)."""
    ka, kb = canonical(a), canonical(b)
    if ka or kb:
        return ka == kb
    return " ".join(a.lower().split()) == " ".join(b.lower().split())

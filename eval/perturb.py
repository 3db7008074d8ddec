"""Rule-made wrong sentences from real ones, FactCC-style, for eval/perturb_bench.py.

Each rule takes a real article sentence and returns one wrong variant, or None when it does not apply:
negate, swap actor, swap speaker, move a number to another noun, change a number, change a weekday /
month / year, antonym, absolute for hedge, add an entity. On purpose this file shares no code with the
detectors in qa/ (its own word lists and patterns, written separately), so that the benchmark does
not grade the checks against their own rules; the hand-written errors in eval/data/ test the same.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

AUX = ("has", "have", "had", "is", "are", "was", "were", "will", "can", "could", "would", "should")
NEGATED = re.compile(r"\b(not|never|no longer)\s+", re.I)
COUNTRIES = {  # written for the generator; not the detector's gazetteer
    "Russia": ("Moscow", "the Kremlin"), "Iran": ("Tehran",), "Turkey": ("Ankara",),
    "Syria": ("Damascus",), "Israel": ("Jerusalem",), "China": ("Beijing",),
    "France": ("Paris",), "Germany": ("Berlin",), "Japan": ("Tokyo",), "Egypt": ("Cairo",),
    "Canada": ("Ottawa",), "India": ("New Delhi",), "Britain": ("London",),
    "Australia": ("Canberra",), "Brazil": ("Brasilia",), "Spain": ("Madrid",),
    "Italy": ("Rome",), "Poland": ("Warsaw",), "Kenya": ("Nairobi",), "Mexico": ("Mexico City",),
}  # fmt: skip
SAY = r"(?:said|says|told|added|stated|warned|announced|claimed|according to)"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]  # fmt: skip ("May" left out: the modal verb)
OPPOSITES = [
    ("increased", "decreased"), ("rose", "fell"), ("won", "lost"), ("gained", "lost"),
    ("confirmed", "denied"), ("accepted", "rejected"), ("supported", "opposed"),
    ("advanced", "retreated"), ("stalled", "advanced"), ("intensified", "eased"),
    ("higher", "lower"), ("more", "fewer"), ("largest", "smallest"), ("biggest", "smallest"),
    ("first", "last"), ("before", "after"), ("allowed", "banned"), ("opened", "closed"),
    ("strengthened", "weakened"), ("majority", "minority"), ("many", "few"), ("north", "south"),
    ("east", "west"), ("northern", "southern"), ("eastern", "western"), ("began", "ended"),
    ("approved", "rejected"), ("succeeded", "failed"), ("entered", "left"), ("legal", "illegal"),
]  # fmt: skip
HEDGE_TO_ABSOLUTE = [
    (r"\bmay\b", "will"), (r"\bmight\b", "will"), (r"\bcould\b", "will"),
    (r"\bappears to be\b", "is"), (r"\bappear to be\b", "are"), (r"\bseems to be\b", "is"),
    (r"\breportedly\s+", ""), (r"\ballegedly\s+", ""), (r"\blikely to\b", "certain to"),
    (r"\bprobably\s+", "certainly "), (r"\bpossibly\s+", "definitely "),
]  # fmt: skip
ADDED = ["Norway", "Switzerland", "the World Bank", "Argentina", "Indonesia", "Chile", "Portugal"]
NUMBER_NOUN = re.compile(r"\b(\d[\d,]*)\s+([a-z]{3,})\b")
PERSON = re.compile(r"\b([A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|al-[A-Z][a-z]+)){1,2})\b")
Rule = Callable[[str, random.Random, list[str]], str | None]


def negate(sentence: str, rng: random.Random, _: list[str]) -> str | None:
    if NEGATED.search(sentence):
        return NEGATED.sub("", sentence, count=1)
    match = re.search(r"\b(" + "|".join(AUX) + r")\b(?!\s+(?:been|to)\b)", sentence)
    if not match:
        return None
    return f"{sentence[: match.end()]} not{sentence[match.end() :]}"


def _first_verb(sentence: str) -> int:
    match = re.search(r"\b(?:" + "|".join(AUX) + r"|[a-z]+ed|said)\b", sentence)
    return match.start() if match else len(sentence)


def swap_actor(sentence: str, rng: random.Random, _: list[str]) -> str | None:
    head = sentence[: _first_verb(sentence)]
    for country, capitals in COUNTRIES.items():
        for name in (country, *capitals):
            at = re.search(rf"\b{re.escape(name)}\b", head)
            if at:
                other = rng.choice([c for c in COUNTRIES if c != country])
                if other.lower() in sentence.lower():
                    continue
                return sentence[: at.start()] + other + sentence[at.end() :]
    return None


def _speaker(sentence: str) -> str | None:
    """The person a sentence quotes: "X said", "said X", "according to X", "X, a ..., said"."""
    for pattern in (
        rf"{PERSON.pattern}\s+(?:also\s+)?{SAY}\b",
        rf"\b{SAY}\s+{PERSON.pattern}",
        rf"^{PERSON.pattern},[^,]{{3,80}},\s+{SAY}\b",
    ):
        match = re.search(pattern, sentence)
        if match and match.group(1).split()[0] not in ("The", "In", "On", "But", "And"):
            return match.group(1)
    return None


def swap_speaker(sentence: str, rng: random.Random, people: list[str]) -> str | None:
    name = _speaker(sentence)
    if not name:
        return None
    others = [p for p in people if p != name and not set(p.split()) & set(name.split())]
    if not others:
        return None
    return sentence.replace(name, rng.choice(others), 1)


def move_number(sentence: str, rng: random.Random, _: list[str]) -> str | None:
    found = [m for m in NUMBER_NOUN.finditer(sentence) if not _yearish(m.group(1))]
    pairs = [(a, b) for a in found for b in found if a.start() < b.start() and a[1] != b[1]]
    pairs = [(a, b) for a, b in pairs if a.group(2) != b.group(2)]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    return (
        sentence[: a.start(1)] + b.group(1) + sentence[a.end(1) : b.start(1)] + a.group(1)
        + sentence[b.end(1) :]
    )  # fmt: skip


def change_number(sentence: str, rng: random.Random, _: list[str]) -> str | None:
    found = [m for m in re.finditer(r"(?<![\w.])(\d[\d,]*)(?![\w.]|,\d)", sentence)]
    found = [m for m in found if not _yearish(m.group(1))]
    if not found:
        return None
    m = rng.choice(found)
    value = int(m.group(1).replace(",", ""))
    new = (
        value + rng.choice([1, 2, 3, 5, 10])
        if value < 20
        else round(value * rng.choice([1.5, 2, 3]))
    )
    return sentence[: m.start(1)] + f"{new:,}" + sentence[m.end(1) :]


def _yearish(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2099


def change_time(sentence: str, rng: random.Random, _: list[str]) -> str | None:
    for names in (WEEKDAYS, MONTHS):
        at = re.search(r"\b(" + "|".join(names) + r")\b", sentence)
        if at:
            other = rng.choice([n for n in names if n != at.group(1)])
            return sentence[: at.start()] + other + sentence[at.end() :]
    at = re.search(r"(?<![\w,.$])((?:19|20)\d\d)(?![\w%])", sentence)
    if at:
        other = int(at.group(1)) + rng.choice([-3, -2, -1, 1, 2])
        return sentence[: at.start(1)] + str(other) + sentence[at.end(1) :]
    return None


def antonym(sentence: str, rng: random.Random, _: list[str]) -> str | None:
    pairs = OPPOSITES + [(b, a) for a, b in OPPOSITES]
    rng.shuffle(pairs)
    for word, opposite in pairs:
        at = re.search(rf"\b{word}\b", sentence)
        if at and not re.search(rf"\b{opposite}\b", sentence):
            return sentence[: at.start()] + opposite + sentence[at.end() :]
    return None


def absolute_for_hedge(sentence: str, rng: random.Random, _: list[str]) -> str | None:
    for pattern, replacement in HEDGE_TO_ABSOLUTE:
        if re.search(pattern, sentence):
            return re.sub(pattern, replacement, sentence, count=1)
    return None


def add_entity(sentence: str, rng: random.Random, _: list[str]) -> str | None:
    choices = [e for e in ADDED if e.lower() not in sentence.lower()]
    if not sentence.endswith(".") or not choices:
        return None
    return f"{sentence[:-1]}, together with {rng.choice(choices)}."


RULES: dict[str, Rule] = {
    "negation": negate,
    "actor": swap_actor,
    "speaker": swap_speaker,
    "number-moved": move_number,
    "number-changed": change_number,
    "time": change_time,
    "antonym": antonym,
    "certainty": absolute_for_hedge,
    "addition": add_entity,
}


def people_of(sentences: list[str]) -> list[str]:
    """The people an article quotes, for speaker swaps."""
    return list(dict.fromkeys(s for s in map(_speaker, sentences) if s))

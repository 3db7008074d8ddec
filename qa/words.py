"""Word-level helpers the claim checks share: tokens, a crude singular, capitalised names."""

from __future__ import annotations

import functools
import re

from index.news.aliases import canonical, mentions
from index.news.dates import CALENDAR_WORDS


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string, for the curated lists of the checks."""
    return frozenset(text.split())


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*")
# Capitalised runs, with the small words names carry ("Syrian Observatory for Human Rights",
# "Hayat Tahrir al-Sham").
_NAME = re.compile(
    r"(?:[A-Z][\w'’.-]*|al-[A-Z][\w-]*)"
    r"(?:\s+(?:(?:of|for|and|the|de|al|bin|von|van|la|le|del|da)\s+)?(?:[A-Z][\w'’.-]*|al-[A-Z][\w-]*))*"
)
# Capitalised words that are not names: sentence openers, pronouns, days and months (time's job).
NOT_NAMES = CALENDAR_WORDS | word_set("""the a an but and or so yet in on at of for to from by with as
    while though although after before during since until when where why how what who which this
    that these those there here it its he she they we i you his her their our my your however
    meanwhile also still then now according last next this some many most all both each every
    several few more other another such if although despite even only just""")

# The auxiliaries a question is built with ("How many have died?", "Who is running ..."): each
# list of words that name nothing in a question starts from these.
AUXILIARIES = word_set("is are was were have has had do does did will would can could")


# The frame of a question, naming nothing: interrogatives, auxiliaries, articles, prepositions and
# the words that only ask for a number ("How many?"). The question kinds (bare questions) and the
# hard constraints (names) each add their own few words to it.
QUESTION_FRAME = AUXILIARIES | word_set("""what who whom whose when where which why how many much
    should and but so the a an in on at of for to""")


def tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def singular(word: str) -> str:
    """A crude singular for comparing nouns: "civilians" -> "civilian", "cities" -> "city"."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@functools.lru_cache(maxsize=1024)
def names(text: str) -> tuple[str, ...]:
    """Named entities as written: gazetteer names ("the Kremlin") and capitalised runs that are not
    sentence openers or function words ("Dareen Khalifa", "Hezbollah")."""
    found: list[str] = [text[a:b] for _, a, b in mentions(text)]
    covered = [(a, b) for _, a, b in mentions(text)]
    for match in _NAME.finditer(text):
        a, b = match.span()
        if any(a < e and s < b for s, e in covered):
            continue
        # "Assad's" -> "Assad", "Wednesday." -> "Wednesday" (but "U.S." stays)
        words = [re.sub(r"['’]s?$|(?<=[a-z]{2})\.$", "", w) for w in match.group().split()]
        while words and words[0].lower() in NOT_NAMES:
            words = words[1:]
        while words and words[-1].lower() in NOT_NAMES:
            words = words[:-1]
        if len(words) == 1 and not text[:a].strip(" \"“'(") and words[0] == match.group():
            continue  # one capitalised word opening the text: "Regime troops", "Rebels" (a name
            # there, "Hezbollah", is missed; one elsewhere in the sentence is not)
        if words:
            found.append(" ".join(words))
    return tuple(found)


def same_name(a: str, b: str) -> bool:
    """Two names for one entity: the gazetteer's aliases ("the Kremlin" = "Moscow"), or one name's
    words inside the other's ("Khalifa" in "Dareen Khalifa", "Observatory" in "Syrian Observatory
    for Human Rights")."""
    ka, kb = canonical(a), canonical(b)
    if ka or kb:
        if ka == kb:
            return True
        if ka and kb:
            return False
    wa, wb = _name_words(a), _name_words(b)
    return bool(wa and wb) and (_within(wa, wb) or _within(wb, wa))


def _within(small: set[str], large: set[str]) -> bool:
    """Each word of `small` is a word of `large`, or shares its first six letters with one
    ("Democratic" / "Democrat", "Conservatives" / "Conservative")."""
    return all(w in large or any(len(w) >= 6 and v[:6] == w[:6] for v in large) for w in small)


def _name_words(name: str) -> set[str]:
    """ "Bashar al-Assad's" -> {"bashar", "assad"}; "Western-sanctioned" -> {"western", "sanctioned"}."""
    return {w for w in _word_set(name) if w not in NOT_NAMES and w not in ("al", "s", "el")}


@functools.lru_cache(maxsize=1024)
def _keys(text: str) -> frozenset[str]:
    return frozenset(k for k, _, _ in mentions(text))


def name_in(name: str, text: str) -> bool:
    """Whether `text` mentions the entity `name` (through aliases or by its words). In text with
    no capital letter (lower-cased copy, as some archives and datasets store news) case tells no
    name apart, so the name's words are looked for in any case."""
    key = canonical(name)
    if key and key in _keys(text):
        return True
    if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
        return True  # written the same: also where a name run was not taken apart
    if caseless(text):
        words = _name_words(name)
        return bool(words) and words <= _word_set(text)
    return any(same_name(name, other) for other in names(text))


@functools.lru_cache(maxsize=256)
def caseless(text: str) -> bool:
    """Whether `text` has letters but no capital one: lower-cased copy."""
    return text.lower() == text and any(c.isalpha() for c in text)


@functools.lru_cache(maxsize=256)
def _word_set(text: str) -> frozenset[str]:
    """The words of `text`, singular, split at hyphens and apostrophes: a name's words
    (`_name_words`) are looked for among them."""
    return frozenset(singular(w) for t in tokens(text) for w in re.split(r"[-']", t) if w)

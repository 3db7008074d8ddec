"""Whether cited text names an entity, in the forms a summary changes.

A name is mentioned when the text names it (qa/words.py's `name_in`: aliases, its words), and also
when it names it in a form a summary changes: its accents ("Francois" for "François"), the country
for its people or the reverse ("Belgian clubs" for "clubs in Belgium": the same stem with a
demonym's ending), and each of two names a capitalised run joins with "and" ("Forbes and
Johnstone" is Ross Forbes and Denny Johnstone, named apart). Used by the addition and actor
checks; qa/words.py's `name_in` itself is left as it is (the extractive path reads names with it).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from qa.words import name_in, tokens, word_set

# What a place name and its demonym differ by after their shared stem ("Belgi-um" / "Belgi-an",
# "Indonesia" / "Indonesia-n", "Japan" / "Japan-ese"); the stem must hold five letters at least.
_DEMONYM_ENDINGS = word_set("n an ian ean um ia a y i ese ish ic e s") | {""}
_MIN_STEM = 5


def mentioned(name: str, text: str) -> bool:
    """Whether `text` names `name`, in any of the forms this module's docstring lists."""
    if name_in(name, text):
        return True
    parts = re.split(r"\s+and\s+", name)
    if len(parts) > 1:
        return all(mentioned(part, text) for part in parts)
    folded = _fold(name)
    if (folded != name or _fold(text) != text) and name_in(folded, _fold(text)):
        return True
    return len(name.split()) == 1 and any(_same_stem(folded.lower(), w) for w in _words(text))


@functools.lru_cache(maxsize=256)
def _fold(text: str) -> str:
    """`text` without accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=256)
def _words(text: str) -> frozenset[str]:
    return frozenset(w for t in tokens(_fold(text)) for w in re.split(r"[-']", t) if w)


def _same_stem(a: str, b: str) -> bool:
    """Whether two words are a place and its demonym: a shared stem of five letters or more, the
    rest of each a demonym's ending."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n >= _MIN_STEM and a[n:] in _DEMONYM_ENDINGS and b[n:] in _DEMONYM_ENDINGS

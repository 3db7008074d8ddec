"""Verbatim text compared word by word: a quotation is the passage's when its words are.

A model quotes what the passage quotes but writes it its own way: punctuation inside the quotation
marks (American style, `"Renegades,"`), the accents dropped or kept ("François Etienne"), the
hyphen or not ("well proportioned"), and the passage itself is often tokenised text, with spaces
around punctuation and contractions split ("does n't", "` no mas '"). None of that changes what was
said, so quotations are compared as sequences of words: case, accents, punctuation and the
apostrophe of a contraction are left out, and the words must follow each other in the same order.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# A contraction as tokenised text writes it ("does n't", "it 's"): joined before words are read.
_SPLIT_CLITIC = re.compile(r"(\w)\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", re.I)
_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=512)
def verbatim_key(text: str) -> str:
    """The words of `text`, lower case, accents and apostrophes dropped, space-separated and
    framed by spaces (so a key found inside another starts and ends at word boundaries)."""
    folded = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    joined = _SPLIT_CLITIC.sub(r"\1\2", folded).replace("'", "")
    return f" {' '.join(_WORD.findall(joined.lower()))} "


def quoted_in(quote: str, text_key: str) -> bool:
    """Whether the words of `quote` appear, in order and together, in a text's `verbatim_key`."""
    key = verbatim_key(quote)
    return key.strip() != "" and key in text_key

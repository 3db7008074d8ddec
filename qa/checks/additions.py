"""Additions: named entities or content words the claim brings that no cited passage has.

A named entity (a gazetteer name or a capitalised name) the cited passages, their titles and headings
do not mention, under any alias, is an addition ("financed by a Norwegian shipping company"). Content
words are looser, since a paraphrase uses other words: the claim fails only when at least
MIN_NEW_WORDS of its content terms (at least as rare as its median term), with the absent terms
holding at least NEW_WEIGHT of its IDF weight, are absent.

Names are looked up with qa/checks/mentions.py (aliases, accents, demonyms, joined names).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

from qa.checks.mentions import mentioned
from qa.words import names, tokens

MIN_NEW_WORDS = 3
NEW_WEIGHT = 0.5


def check_additions(
    claim: str,
    claim_terms: Sequence[str],
    cited_text: str,
    cited_terms: set[str],
    idf: Callable[[str], float],
) -> str | None:
    """Why the claim says more than its passages, or None."""
    for name in names(claim):
        if not mentioned(name, cited_text):
            return f"addition: no cited passage mentions {name}"
    terms = list(dict.fromkeys(claim_terms))
    # Names were checked above, through their aliases ("the Kremlin" for "Moscow").
    named = {w for name in names(claim) for w in tokens(name)}
    new = [t for t in terms if t not in cited_terms and not any(w.startswith(t) for w in named)]
    total = sum(idf(t) for t in terms)
    # Only words at least as rare as the claim's median term count as new content: "however",
    # "also", "some", "have" are in nearly every text and say nothing the passages must hold.
    floor = statistics.median(idf(t) for t in terms) if terms else 0.0
    content = [t for t in new if idf(t) >= floor]
    if len(content) >= MIN_NEW_WORDS and total and sum(idf(t) for t in new) / total >= NEW_WEIGHT:
        return f"addition: words no cited passage has ({', '.join(content[:4])})"
    return None

"""Certainty: an absolute claim where the passage hedges, or a claim that drops a change over time.

HEDGES are the words news uses to say a thing is not established: modal verbs (may, might, could),
appearance (appears, seems), hearsay (reportedly, allegedly, is believed/thought/said to), likelihood
(likely, probably, possibly, perhaps, apparently) and "suggests". When the aligned clause has one and
the claim has none, the claim states as fact what the passage does not. ABSOLUTES ("always", "never",
"certainly", "definitely", "undoubtedly", "proven", "has confirmed") in a claim need the same word in
the passage. CHANGES ("initially", "originally", "at first", "formerly", "previously", "used to",
"no longer", "until recently") say a statement held only for a time; a claim that keeps the statement
but drops the qualifier misreports it ("Ankara sought to topple Assad" for "Ankara initially sought ...
but ... reversed course").
"""

from __future__ import annotations

import re

from qa.checks.polarity import bears_on, content_stems, scope_of
from qa.words import tokens

HEDGES = re.compile(
    r"\b(?:may|might|could|appears?|appeared|seems?|seemed|reportedly|allegedly|apparently|likely|"
    r"unlikely|probably|possibly|perhaps|suggests?|suggested|(?:is|are|was|were)\s+(?:believed|"
    r"thought|said|reported|expected)\s+to|unconfirmed|suspected)\b",
    re.I,
)
# A claim that keeps the passage's doubt often writes it in another form: "possibly for public display"
# becomes "potential public display", "is said to be one of the top prospects" becomes "is considered
# one of". These are the hedges' own adjective and participle forms (and hearsay's "considered");
# they count only on the claim's side, where they show it did not state a fact. ("according to X"
# is not one: it names a source, and a claim can keep it while dropping the passage's "may".)
CLAIM_HEDGES = re.compile(
    r"\b(?:possible|potential|potentially|probable|apparent|alleged|reported|suspected|considered|"
    r"believed|thought\s+to|said\s+to|expected\s+to|claims?\s+to|claimed\s+to)\b",
    re.I,
)
# "May" the month is the time check's; only the lower-case modal is a hedge.
_MONTH_MAY = re.compile(r"\bMay\b")
ABSOLUTES = re.compile(
    r"\b(?:always|never|certainly|definitely|undoubtedly|unquestionably|proven|proved|"
    r"(?:has|have|had)\s+confirmed|guaranteed|without\s+(?:a\s+)?doubt|all|every|will)\b",
    re.I,
)
CHANGES = re.compile(
    r"\b(?:initially|originally|at\s+first|formerly|previously|used\s+to|no\s+longer|"
    r"until\s+recently|once\s+(?=\w+ed\b))\b",
    re.I,
)


def _hedges(text: str, about: set[str] | None = None) -> list[str]:
    """The hedges of `text`; with `about`, only those governing the other side's words (as
    polarity scopes its cues: "may" in "police said the men may be linked to a gang" does not
    hedge a claim that three men were arrested)."""
    text = _MONTH_MAY.sub("", text)
    return [
        m.group(0).lower()
        for m in HEDGES.finditer(text)
        if about is None or bears_on(scope_of(tokens(text[m.end() :])), about)
    ]


def check_certainty(claim: str, clause: str, cited_text: str) -> str | None:
    """Why the claim is surer than (or ignores the time frame of) the passage, or None."""
    theirs, mine = _hedges(clause, content_stems(claim)), _hedges(claim)
    if theirs and not mine and not CLAIM_HEDGES.search(claim):
        return f'certainty differs: the passage hedges ("{theirs[0]}")'
    cited = cited_text.lower()
    for match in ABSOLUTES.finditer(claim):
        word = " ".join(match.group(0).lower().split())
        if word in ("all", "every", "will") and not theirs:
            continue  # common words: they only count against a hedging passage
        if not re.search(rf"\b{re.escape(word)}\b", cited):
            return f'certainty differs: the claim says "{word}", the passage does not'
    # like a hedge, a change counts only where it governs what the claim says: "identifying the whale
    # was at first difficult" does not qualify "the whale was identified through DNA profiling"
    claim_words = content_stems(claim)
    for change in CHANGES.finditer(clause):
        if not CHANGES.search(claim) and bears_on(
            scope_of(tokens(clause[change.end() :])), claim_words
        ):
            return f'certainty differs: the passage says "{change.group(0).lower()}"'
    return None

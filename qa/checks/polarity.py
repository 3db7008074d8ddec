"""Polarity: a claim that affirms what its passage negates (or the reverse), or swaps in an antonym.

Negation is counted only where it bears on the claim: a cue ("not", "never", "refrained from", "little")
counts when the first content word after it, or two of the next few, are words the other side
also has. So
"The army admitted rebels entered the city" is not contradicted by "Government forces offered little
resistance, ... and the army admitted ..." but "have made escalatory remarks" is by "have so far
refrained from making escalatory remarks".

The curated lists, and why each entry is there:
- NEGATIONS: the words that flip a statement; "n't" is caught in any contraction. Downtoners that
  deny in practice ("little resistance", "few", "hardly", "barely", "scarcely", "seldom", "rarely") are
  negative cues too, so "did not offer much resistance" restates "offered little resistance".
- NEGATIVE_VERBS: verbs that assert the complement did not happen ("refrained from making",
  "failed to", "declined to", "stopped short of", "lacked").
- ANTONYMS: pairs news turns on: direction of change (rose/fell, increased/decreased, gained/lost),
  outcomes (won/lost, succeeded/failed, passed/rejected), stance (confirmed/denied, admitted/denied,
  accepted/rejected, supported/opposed, allowed/banned, approved/vetoed), movement of a front or a
  process (advanced/retreated, stalled/advanced, intensified/eased), size (many/few, most/least,
  majority/minority, biggest/smallest, higher/lower), order (before/after, first/last), and states
  (open/closed, strengthened/weakened, legal/illegal, alive/dead, inside/outside, north/south,
  east/west). A pair counts when the claim has one side, the passage the other, and neither has both.
"""

from __future__ import annotations

import re

from qa.words import tokens, word_set

NEGATIONS = word_set(
    "not no never without none nobody nothing neither nor cannot little few hardly barely scarcely "
    "seldom rarely nowhere"
)
NEGATIVE_VERBS = re.compile(
    r"\b(?:refrain(?:ed|s|ing)?\s+from|fail(?:ed|s|ing)?\s+to|declin(?:ed|es|ing)\s+to|"
    r"stopp(?:ed|ing)\s+short\s+of|lack(?:ed|s|ing)?|no\s+longer|ruled\s+out|"
    r"refus(?:ed|es|ing)\s+to|avoid(?:ed|s|ing)?)\b",
    re.I,
)
# "a few", "a little", "not only", "no doubt": not negations of what follows.
_NOT_NEGATING = re.compile(
    r"\b(?:a\s+(?:few|little)|not\s+only|no\s+doubt|nothing\s+but|(?:whether\s+)?or\s+not)\b", re.I
)

_PAIRS: tuple[tuple[str, str], ...] = (
    ("rose rise rises risen rising", "fell fall falls fallen falling"),
    ("increase increased increases increasing", "decrease decreased decreases decreasing"),
    ("increase increased increases increasing", "reduce reduced reduces reducing cut cuts"),
    ("gain gained gains gaining", "lose lost loses losing"),
    ("win won wins winning", "lose lost loses losing defeated"),
    ("succeed succeeded succeeds", "fail failed fails"),
    ("confirm confirmed confirms confirming", "deny denied denies denying"),
    ("admit admitted admits acknowledged conceded", "deny denied denies denying"),
    ("accept accepted accepts accepting", "reject rejected rejects rejecting"),
    ("support supported supports supporting backed", "oppose opposed opposes opposing"),
    ("allow allowed allows allowing permitted", "ban banned bans banning forbade prohibited"),
    ("approve approved approves approving", "veto vetoed vetoes reject rejected"),
    ("pass passed passes", "reject rejected rejects"),
    ("advance advanced advances advancing", "retreat retreated retreats retreating"),
    ("advance advanced advances advancing progressed", "stall stalled stalls stalling"),
    ("intensify intensified intensifies intensifying escalated", "ease eased eases easing"),
    ("many", "few"),
    ("more", "fewer less"),
    ("most", "least fewest"),
    ("majority", "minority"),
    ("biggest largest", "smallest"),
    ("higher", "lower"),
    ("high", "low"),
    ("before", "after"),
    ("first", "last"),
    ("open opened opens", "close closed closes shut"),
    ("strengthen strengthened strengthens stronger", "weaken weakened weakens weaker"),
    ("emboldened", "weakened"),
    ("legal", "illegal"),
    ("alive", "dead"),
    ("inside", "outside"),
    ("north northern", "south southern"),
    ("east eastern", "west western"),
    ("entered", "left"),
    ("ally allies allied", "enemy enemies rival rivals"),
    ("offensive", "defensive"),
    ("began begun started", "ended finished"),
    ("arrived", "departed"),
    ("guilty", "innocent"),
)
ANTONYMS: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split()), frozenset(b.split())) for a, b in _PAIRS
)
_SCOPE = 4  # content words after a cue that it negates
_FUNCTION = word_set(
    "the a an of to in on at for by with and or be been being is are was were has have had do does "
    "did so far any much many very more"
)


def _stem(word: str) -> str:
    return re.sub(r"(?:ing|ed|es|s)$", "", word) if len(word) > 4 else word


def content_stems(text: str) -> set[str]:
    return {_stem(w) for w in tokens(text) if w not in _FUNCTION and w not in NEGATIONS}


def _cues(text: str) -> list[tuple[str, list[str]]]:
    """For each negation cue in `text`: the cue with the words after it, and the stems of the
    content words it governs."""
    text = _NOT_NEGATING.sub(" ", text)
    words = tokens(text)
    scopes: list[tuple[str, list[str]]] = []
    for i, word in enumerate(words):
        if word in NEGATIONS or word.endswith("n't"):
            scopes.append((" ".join(words[i : i + 4]), scope_of(words[i + 1 :])))
    for match in NEGATIVE_VERBS.finditer(text):
        after = tokens(text[match.end() :])
        scopes.append((" ".join([match.group(0).lower(), *after[:3]]), scope_of(after)))
    return scopes


def scope_of(after: list[str]) -> list[str]:
    """The stems of the content words a cue governs, in order."""
    content = [w for w in after if w not in _FUNCTION and w not in NEGATIONS]
    return [_stem(w) for w in content[:_SCOPE]]


def bears_on(scope: list[str], other: set[str]) -> bool:
    """Whether a cue governs what the other side says: the first content word it governs is the
    other side's ("little resistance"), or two of them are. One shared word further on is too
    weak: "declined to give his name, said ..." does not negate a claim for sharing "said"."""
    return bool(scope) and (scope[0] in other or len(set(scope) & other) >= 2)


def negation_flip(claim: str, clause: str) -> str | None:
    """When the relevant negations of claim and clause differ in parity: the cue that differs."""
    claim_words, clause_words = content_stems(claim), content_stems(clause)
    mine = [cue for cue, scope in _cues(claim) if bears_on(scope, clause_words)]
    theirs = [cue for cue, scope in _cues(clause) if bears_on(scope, claim_words)]
    if len(mine) % 2 == len(theirs) % 2:
        return None
    return f'the passage says "{theirs[0]}"' if theirs else f'the claim says "{mine[0]}"'


def antonym(claim: str, clause: str) -> tuple[str, str] | None:
    """(the claim's word, the passage's opposite) when the claim swapped in an antonym."""
    mine, theirs = set(tokens(claim)), set(tokens(clause))
    for a, b in ANTONYMS:
        for one, other in ((a, b), (b, a)):
            said, opposite = mine & one, theirs & other
            if said and opposite and not (theirs & one) and not (mine & other):
                return sorted(said)[0], sorted(opposite)[0]
    return None


def check_polarity(claim: str, clause: str) -> str | None:
    flipped = negation_flip(claim, clause)
    if flipped:
        return f"polarity differs: {flipped}"
    swapped = antonym(claim, clause)
    if swapped:
        return f'polarity differs: the claim says "{swapped[0]}", the passage "{swapped[1]}"'
    return None

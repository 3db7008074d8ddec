"""Actor and speaker: who did it and who said it must be the passage's, through aliases.

The actor is the named entity in the subject of the claim (the words before its first verb); it must
be in the subject of the aligned clause, where "the Kremlin" = "Moscow" = "Russia", "Tehran" = "Iran",
"Ankara" = "Turkey" (index/news/aliases.py) and "Khalifa" = "Dareen Khalifa". A claim whose actor is named
nowhere in the aligned sentence also fails. The speaker is the claim's attribution ("X said",
"according to X", "X told") against the aligned sentence's, pronouns resolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.news.attribution import Attribution, attribute
from qa.checks.clauses import split_clauses
from qa.checks.mentions import mentioned
from qa.words import name_in, names, same_name, tokens

# The first verb ends the subject: auxiliaries, verbs of saying, common irregular pasts, -ed forms.
_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|should|did|does|do|"
    r"said|says|told|tells|sought|began|took|made|led|won|lost|fell|rose|came|went|gave|got|held|"
    r"kept|left|met|paid|ran|saw|sent|set|thought|brought|built|fought|found|heard|hit|put|cut|"
    r"spent|stood|struck|wrote|controls?|remains?|seeks?|wants?|plans?|supports?|backs?|leads?|"
    r"holds?|blames?|demands?|opposes?|accuses?|needs?|hopes?|fears?|faces?|gets?|takes?|makes?|"
    r"[a-z]{3,}ed)\b"
)


def subject(text: str) -> str:
    """The words before the first verb (the whole text when none is found), asides in
    parentheses left out ("Russia and Iran (with Hezbollah) support ...")."""
    text = re.sub(r"\([^)]*\)", " ", text)
    match = _VERB.search(text)
    return text[: match.start()] if match else text


def _speaker_names(attribution: Attribution) -> list[str]:
    return [n for n in (attribution.speaker, attribution.phrase) if n]


# Verbs of saying around a claim's speaker. Kept apart from the wider list ingest tags speakers with
# (index/news/attribution.py, which also takes "tweeted", "vowed", "criticised", ...): this check was
# calibrated with this list, and taking the union would change which LLM claims it flags.
_SAYING = (
    r"(?:said|says|told|added|stated|admitted|acknowledged|announced|confirmed|denied|claimed|"
    r"warned|wrote|reported|blamed|demanded|hoped|insisted|argued|noted)"
)


def _also_speaks(speaker: str, sentence: str) -> bool:
    """Whether `sentence` has `speaker` right before or after a verb of saying."""
    name = re.escape(re.sub(r"^(?i:the)\s+", "", speaker))
    near = rf"\b{name}\s+(?:\w+\s+){{0,2}}{_SAYING}\b|\b{_SAYING}\s+(?:the\s+)?{name}\b"
    return bool(re.search(near, sentence, re.I))


def _relative(clause: str, sentence: str) -> bool:
    """Whether the clause is a relative clause of its sentence (", who heads the Observatory, said
    ..." is still the sentence's speaker talking)."""
    before = sentence[: max(sentence.find(clause), 0)]
    return bool(re.search(r",\s*(?:who|which|whom|whose|where)\s*$", before, re.I))


def _named(phrase: str | None) -> bool:
    """Whether a speaker phrase holds a proper name ("Bruce Adamson", "the Kremlin"), not only a
    description ("a union", "the Hull manager", "Scotland's children's commissioner" holds one)."""
    # read mid-sentence, so a one-word name opening the phrase ("Reuters") is still a name
    return bool(phrase and names(f"by {phrase}"))


def _mentioned(name: str, text: str) -> bool:
    """`name_in`, or the name written in other case ("Barnett" in lower-cased copy: "barnett
    said"; "Police" opening the claim, "police said" in the passage)."""
    return name_in(name, text) or bool(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I))


def check_speaker(
    claim: str,
    clause: str,
    sentence: str,
    attribution: Callable[[], Attribution],
    cited: str = "",
) -> str | None:
    """Why the claim's speaker is not the aligned clause's, or None. The clause's own attribution
    ("..., while Tehran has blamed ...") wins over its sentence's (`attribution`, pronouns resolved;
    called only when the claim names a speaker). `cited`: every cited passage's text, where a
    speaker the aligned sentence leaves out or refers to by a pronoun or a title is named.

    A claim whose speaker is a description ("a trade body", "the UN special envoy") is a
    paraphrase nothing here can compare by spelling: only named speakers are checked. When the
    passage's speaker is itself a description or a pronoun ("the Hull manager said", "he said"),
    the claim's named speaker must be named in what is cited (coreference by title or pronoun; a
    speaker named nowhere is "not stated"). A passage that names another speaker still differs."""
    mine = attribute(claim)
    if len(split_clauses(claim)) > 1:
        # "Turkey claims ..., while Russia says ...": the speaker of the claim's clause that
        # restates the aligned one, not the claim's first
        closest = attribute(_closest_clause(claim, clause))
        mine = closest if closest.speaker else mine
    if not mine.speaker or mine.pronoun or not _named(mine.speaker):
        return None
    whole = len(split_clauses(claim)) > 1  # the claim spans clauses: the sentence's speaker
    own = None
    if clause != sentence and not whole and not _relative(clause, sentence):
        own = attribute(clause)
    attribution = own if own and own.speaker and not own.pronoun else attribution()
    theirs = _speaker_names(attribution)
    if not any(map(_named, theirs)):  # nobody, a pronoun, or a description
        if name_in(mine.speaker, sentence) or (cited and _mentioned(mine.speaker, cited)):
            return None
        return f"speaker not stated: the passage does not attribute this to {mine.speaker}"
    if any(same_name(mine.speaker, t) for t in theirs) or name_in(mine.speaker, theirs[-1]):
        return None
    if _also_speaks(mine.speaker, clause):
        return None  # a second attribution in the sentence: "..., the monitor said, and the army admitted"
    verb = "quotes" if attribution.role == "quote" else "attributes this to"
    return f"speaker differs: the passage {verb} {attribution.speaker}"


def _closest_clause(claim: str, clause: str) -> str:
    """The clause of the claim that restates `clause` (a claim can join several)."""
    theirs = set(tokens(clause))
    return max(split_clauses(claim) or [claim], key=lambda c: len(set(tokens(c)) & theirs))


def check_actor(claim: str, clause: str, sentence: str, cited: str = "") -> str | None:
    """Why the claim's actor is not the aligned clause's, or None. `cited`: every cited passage's
    text. An actor the aligned clause names as someone else differs; one it does not name at all
    (a pronoun, "the 26-year-old", a summary across sentences) only has to be linked to the claim
    somewhere in what is cited: a name cited nowhere is the addition check's."""
    said = attribute(claim).speaker
    claim = _closest_clause(claim, clause)
    actors = [a for a in names(subject(claim)) if not (said and same_name(a, said))]
    if not actors:  # none, or only the speaker: the speaker check's business
        return None
    theirs = names(subject(clause))
    for actor in actors:
        if any(same_name(actor, t) for t in theirs) or name_in(actor, subject(clause)):
            continue
        if theirs and not name_in(actor, clause):
            return f"actor differs: the passage says {' and '.join(dict.fromkeys(theirs))}"
        if not name_in(actor, sentence) and not (cited and mentioned(actor, cited)):
            return f"actor not stated: the passage does not say {actor} did this"
    return None

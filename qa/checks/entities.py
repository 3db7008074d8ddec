"""Entity links: a person, place or organisation the claim ties to what it says, which the cited
passages mention only about other things.

"McIlroy is three shots behind leader Van Zyl" where the passage names Van Zyl only as the
overnight leader two paragraphs away, "Fabregas scored" where Fabregas is named only in a line on
the bench: the name is cited (so no addition), but nothing cited links it to this claim. A name
is linked when some sentence that mentions it, or the one before or after (where "he" or "the
midfielder" is the name), holds one of the claim's distinctive terms that are not the name's own:
a term at least as rare as the claim's median term. A name the aligned sentence mentions is linked
by the alignment itself and is not looked up; the names of the claim's subject and its speaker are
the actor and speaker checks' (qa/checks/actors.py).

Which sentences mention a name is a `Mentions` function. Today it reads names with our own
finder (qa/words.py: gazetteer aliases and capitalised runs); entity spans found at ingest (spaCy,
stored on chunks) can replace it by returning the sentences whose spans hold the entity, with no
change to the check.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence

from index.news.attribution import attribute
from qa.checks.actors import subject
from qa.checks.alignment import PassageText
from qa.words import name_in, names, same_name, tokens

# (name, a passage's sentences) -> indices of the sentences that mention that entity
Mentions = Callable[[str, Sequence[str]], list[int]]
WINDOW = 1  # sentences either side of a mention that may refer to it ("he", "the club")


def by_name(name: str, sentences: Sequence[str]) -> list[int]:
    """Sentences naming the entity, through aliases ("the Kremlin" for "Moscow") and its words
    ("Khalifa" for "Dareen Khalifa")."""
    return [k for k, sentence in enumerate(sentences) if name_in(name, sentence)]


def check_entity_links(
    claim: str,
    claim_terms: Sequence[str],
    aligned_sentence: str,
    passages: Sequence[PassageText],
    idf: Callable[[str], float],
    mentions: Mentions = by_name,
) -> str | None:
    """Why a name of the claim is not linked to it by what is cited, or None."""
    terms = list(dict.fromkeys(claim_terms))
    if len(terms) < 3 or not passages:
        return None  # too short to say what a name is tied to
    floor = statistics.median(idf(t) for t in terms)
    # the subject's names and the speaker are the actor and speaker checks' (who did it, who said
    # it); this check is for the other roles: whom, where, with whom
    said = attribute(claim).speaker
    head = names(subject(claim))
    for name in dict.fromkeys(names(claim)):
        if name_in(name, aligned_sentence) or name in head or (said and same_name(name, said)):
            continue
        if re.search(rf"(?<!\w){re.escape(name)}['’]s?\s", claim):
            continue  # "Jose Mourinho's side": the side (a coreference) is the participant
        own = {w.lower() for w in tokens(name)}
        others = {t for t in terms if idf(t) >= floor and not any(w.startswith(t) for w in own)}
        found = False
        linked = False
        for passage in passages:
            for k in mentions(name, passage.sentences):
                found = True
                window = passage.terms[max(k - WINDOW, 0) : k + WINDOW + 1]
                if any(others & terms_of for terms_of in window):
                    linked = True
                    break
            if linked:
                break
        if found and not linked:
            return f"entity not linked: the passage mentions {name}, but not with this"
    return None

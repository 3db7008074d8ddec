"""What an explainer question asks for: its kind, whom it asks about, and whether it names anything.

Newsroom staff ask short questions about a story they have just named: "Why now?", "What happened?",
"Who is involved?", "What did Turkey say?", "What is at stake?", "What happens next?", "How many
died?". The kind decides which sentences of the story can answer (qa/extractive/explainer.py); `bare` says the
question names nothing of its own, so without a story in the conversation it cannot be answered.
Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.news.attribution import is_saying
from qa.words import QUESTION_FRAME, word_set

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

# (kind, pattern over the lower-cased question), first match wins.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "said",
        re.compile(
            r"^(?:and |so |but )?(?:what|how) (?:did|does|do|has|have|had|is|was) (?P<who>.+?) "
            r"(?:say|said|saying|tell|told|claim|claimed|respond|responded|react|reacted|"
            r"think|argue|argued|announce|announced|state|stated|warn|warned|demand|demanded)\b"
        ),
    ),
    (
        "said",
        re.compile(
            r"^(?:and |so |but )?(?:what (?:was|is) )?(?P<who>.+?)'s (?:response|reaction|position|view)\b"
        ),
    ),
    (
        # "What did Justice Mansfield write?": any verb of saying the tagger attributes speech by
        # (index/news/attribution.py), checked in `classify`
        "said",
        re.compile(
            r"^(?:and |so |but )?what (?:did|does|do|has|have|had) (?P<who>[^?]+?) "
            r"(?P<verb>[a-z]+)$"
        ),
    ),
    (
        "powers",
        re.compile(
            r"\b(?:which|what) (?:\w+ ){0,2}(?:powers?|countries|country|nations?|states|governments?)"
            r" (?:are |is )?(?:at play|involved|backing|behind|taking part|in play)"
        ),
    ),
    (
        "stakes",
        re.compile(
            r"\bat stake\b|\bwhy (?:does|do|did) (?:it|this|that) matter\b|\bwhy it matters\b|\bwhat(?:'s| is| are) the (?:risks?|stakes|consequences|implications)\b"
        ),
    ),
    (
        "next",
        re.compile(
            r"\bwhat (?:happens|will happen|comes|is) next\b|\bwhat next\b|\bnext steps?\b|\bwhat(?:'s| is) (?:expected|planned) (?:next|now)?|^(?:and |so )?now\??$|\bwhat now\b"
            r"|^where (?:is|are|was|were) (?:\w+ ){1,4}(?:heading|headed|going|moving|bound)\b"
        ),
    ),
    (
        "happened",
        re.compile(
            r"^(?:so |and )?what (?:happened|has happened|is happening|is going on|'s going on|went on|'s happening)\??$|^what(?:'s| is) (?:the|this) (?:story|news)\b|^what (?:do we know|is known)\b"
        ),
    ),
    (
        "involved",
        re.compile(
            r"^who (?:is|are|was|were) (?:involved|behind (?:it|this)|the (?:key )?(?:players|people|actors))\??$|^who(?:'s)? involved\b"
            r"|^who (?:took part|takes part|participated|attended|was there|were there)\??$"
        ),
    ),
    ("why", re.compile(r"\bwhy\b|\bwhat (?:caused|prompted|triggered|led to)\b|\breasons?\b")),
    ("count", re.compile(r"\bhow (?:many|much)\b|\bnumber of\b")),
    ("when", re.compile(r"\bwhen\b|\b(?:what|which) (?:year|day|date|month|time)\b")),
    (
        "where",
        re.compile(
            r"\bwhere\b|\b(?:which|what) (?:country|city|town|place|region|province|state)\b"
        ),
    ),
    ("who", re.compile(r"\bwho\b|\bwhich (?:person|people|group|organi[sz]ation|company|party)\b")),
)

# The question words, auxiliaries and fillers that name nothing; a question of only these is bare.
_FILLER = QUESTION_FRAME | word_set(
    """now then also next happened happens happen happening be been it this that there about with
    stake matter matters exactly really again going go involved else more anything tell me us say
    said please ok okay well right far long away"""
)


# "What did Johnson say about the ruling?": what the speaker must be speaking of.
_ABOUT = re.compile(r"\s+(?:about|on|regarding|of)\s+(.+)$")
_YES_NO = re.compile(r"^(?:did|does|do|is|are|was|were|has|have|had|can|could|would|will|should)\s")


@dataclass(frozen=True)
class Kind:
    kind: str  # yesno | said | powers | stakes | next | happened | involved | why | count | when | where | who | other
    subject: str | None = None  # "said": who is asked about ("Turkey", "the Kurds")
    bare: bool = False  # names nothing beyond the kind: "Why?", "Why now?", "And now?"
    about: str | None = None  # "said": what it is asked about ("about the ruling" -> "the ruling")

    @property
    def explainer(self) -> bool:
        """Kinds answered from a story's structure rather than by matching the question's terms."""
        return self.kind in ("said", "powers", "stakes", "next", "happened", "involved") or (
            self.kind == "why" and self.bare
        )


def is_filler(word: str) -> bool:
    """A word of the question's frame or of its kind ("what", "happened", "exactly"): it names
    nothing the answer must be about."""
    return word.lower() in _FILLER


def content_words(question: str) -> list[str]:
    return [w for w in WORD.findall(question.lower()) if w not in _FILLER]


def classify(question: str) -> Kind:
    text = " ".join(question.strip().split())
    lowered = text.lower().rstrip(" ?.!")
    bare = not content_words(text)
    if _YES_NO.match(lowered):
        return Kind("yesno", None, bare)  # answered yes or no: no type of answer to check
    # A question that starts with "who" asks for a person whatever follows ("Who ... when ...").
    kinds = (
        [k for k in _KINDS if k[0] in ("involved", "who")] if lowered.startswith("who") else _KINDS
    )
    for kind, pattern in kinds:
        match = pattern.search(lowered)
        if not match or ("verb" in match.groupdict() and not is_saying(match.group("verb"))):
            continue
        subject = about = None
        if kind == "said":
            start, end = match.span("who")
            subject = text[start:end].strip(" ,") or None
            if subject and subject.lower() in ("they", "he", "she", "it", "people", "you"):
                subject = None  # "what did they say": a speaker the conversation named
            topic = _ABOUT.match(lowered[match.end() :])
            about = (
                text[match.end() + topic.start(1) : match.end() + topic.end(1)] if topic else None
            )
        return Kind(kind, subject, bare, about)
    return Kind("other", None, bare)


def scoring_kind(question: str) -> str:
    """The coarser kind the sentence scorer's cue words are chosen by (qa/extractive/compose.py):
    why | count | when | who | other. "Which country" is a who here, a where for `classify`."""
    q = question.lower()
    if re.search(r"\bwhy\b|\breasons?\b", q):
        return "why"
    if re.search(r"\bhow (many|much)\b|\bnumber of\b", q):
        return "count"
    if re.search(r"\bwhen\b|\b(what|which) (year|day|date|month)\b", q):
        return "when"
    if re.search(r"\bwho\b|\bwhich (person|people|group|country|countries|powers?)\b", q):
        return "who"
    return "other"


# "What caused the blackout?" asks for a cause: a purpose does not answer it.
_CAUSE_ASKED = re.compile(r"\bwhat (?:caused|triggered|prompted|sparked|led to)\b")
# "Where is the cyclone heading?": a next step asked as a direction.
_DIRECTION_ASKED = re.compile(r"\b(?:heading|headed|going|moving|bound|direction)\b")


def cause_asked(question: str) -> bool:
    return bool(_CAUSE_ASKED.search(question.lower()))


def direction_asked(question: str) -> bool:
    return bool(_DIRECTION_ASKED.search(question.lower()))

"""Cue words that make a sentence a reason, a stake or a next step, graded by how plainly they
say it.

News says why with conjunctions (because, so, as, since), purposes (in order to, to prevent, part
of an effort to), causes (led to, caused, makes the region active, hurt sales) and timing (after,
amid, comes as, the same day). It says what is at stake with consequences (could cause, would
make, risk), firsts and records (the first such discovery, the highest since) and damage (seriously
damaged trust); and what happens next with the future (will, expected, scheduled), pending steps
(still awaits approval, has to approve, is to be retired, remanding the case, a follow-on study)
and, for a moving thing, its direction (northbound, heading towards). A strong cue scores 1, a
weak one (a bare "would", "after" asked for a reason rather than a time) less. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from index.news.dates import MONTH_NAMES, WEEKDAY_NAMES

# Why: a cause in so many words.
_WHY_CAUSE = re.compile(
    r"\b(?:because|due to|owing to|as a result|result(?:ed|s|ing)? (?:of|from)|led to|leads? to|"
    r"caused|causes|prompted|triggered|the trigger|sparked|reasons?|rationale|so when|blam\w+|"
    r"contribut\w+ to|makes? (?:\w+ ){1,3}(?:active|prone|vulnerable|possible|necessary|unsafe))\b"
)
# ... a purpose or a justification.
_WHY_PURPOSE = re.compile(
    r"\b(?:in order to|so that|aim(?:s|ed)? (?:to|at)|in a bid to|in an (?:effort|attempt) to|"
    r"(?:effort|efforts|attempt|push|drive|strategy|campaign) to|part of|fits? into|"
    r"in protest|in response|in retaliation|to (?:stop|prevent|protect|allow|ensure|avoid|counter|"
    r"punish|clear|help|curb|reduce|end|boost|foil|achieve)|the need to|on the grounds|"
    r"for (?:a|the|\w+) reasons?|motivat\w*|no longer|hurt|suffered|losses|shifted|costly|"
    r"cheaper|concerns?|concerned|ploy|seen as|justif\w*|ineligible|violat\w+|"
    r"did not (?:qualify|aim|meet))\b"
)
# Why now: what the event came after or amid.
_WHY_TIMING = re.compile(
    r"\b(?:after|amid|following|follows|followed|since|comes as|came as|comes after|came after|"
    r"the same day|time when|at a time|the move|ahead of|in the wake of)\b"
)
# "after 3 a.m.", "since the 1970s", "following Monday": a time, not a cause.
_MERE_TIME = re.compile(
    r"\b(?:after|since|following|before)\s+(?:\d|midnight|noon|dawn|dusk|the \d|last|this|"
    rf"yesterday|today|{'|'.join(WEEKDAY_NAMES)}|{'|'.join(MONTH_NAMES)})"
)


def why_score(lowered: str, bare: bool, cause_asked: bool = False) -> float:
    """A cause scores 1, a purpose or justification 0.8 (none when a cause is asked: "What
    caused the fire?"); a time (after, amid) 1 for "Why now?", less for a reason asked ("Why did
    she sue?" wants the grievance), nothing for a cause asked or a mere clock time."""
    if _WHY_CAUSE.search(lowered):
        return 1.0
    if cause_asked:
        return 0.0
    if _WHY_PURPOSE.search(lowered):
        return 0.8
    timing = [m for m in _WHY_TIMING.finditer(lowered) if not _MERE_TIME.match(lowered, m.start())]
    if timing:
        return 1.0 if bare else 0.6
    return 0.0


# "Authorities have not named a cause", "the cause is under investigation": the story says it
# does not know why.
_NO_CAUSE = re.compile(
    r"\b(?:not (?:yet )?(?:been )?(?:named|known|determined|identified|established|released|"
    r"clear)|unknown|unclear|under investigation|yet to be determined)\b"
)
_CAUSE_WORD = re.compile(r"\b(?:cause|causes|reason|reasons|why)\b")


def cause_unknown(lowered: str) -> bool:
    return bool(_CAUSE_WORD.search(lowered) and _NO_CAUSE.search(lowered))


def reason_of(verb_stems: Iterable[str], lowered: str) -> bool:
    """Whether the sentence gives the reason of the asked event: its verb, then for / over /
    because within a few words ("sued in Austria for defamation")."""
    return any(
        re.search(
            r"\b" + re.escape(stem) + r"\w*\s+(?:[\w'’-]+\s+){0,3}?(?:for|over|because|due)\b",
            lowered,
        )
        for stem in verb_stems
        if len(stem) >= 3
    )


# Stakes: consequences (what could follow, what is damaged or threatened) ...
_STAKES_CONSEQUENCE = re.compile(
    r"\b(?:at stake|risks?|risked|threat\w*|danger\w*|fears?|feared|warn\w*|consequences?|"
    r"implications?|jeopard\w*|undermin\w*|(?:could|would|might|may|can) (?:\w+ ){0,2}(?:cause|"
    r"lead|mean|make|reveal|prevent|restore|affect|hurt|damage|kill|spread|set|change|"
    r"force|end|leave)\w*|lead to|damag\w+|trust|legitimacy)\b"
)
# ... and significance: firsts, records, shares of a whole.
_STAKES_SIGNIFICANCE = re.compile(
    r"\b(?:the first (?:such|time|\w+ to)|for the first time|first time|unprecedented|historic|"
    r"landmark|milestone|record|highest|lowest|largest|biggest|worst|exceeded|best candidate|"
    r"half of|prevent\w*|importance|impact|restore|incurable|mistake|crisis|crucial|"
    r"significan\w*|far-reaching|worldwide|globally)\b"
)
_STAKES_WEAK = re.compile(
    r"\b(?:could|would|might|test|cost|key|major|means?|meaning|concerns?|important)\b"
)
# Next: scheduled steps, pending ones, the future, and where a moving thing heads.
_NEXT_STRONG = re.compile(
    r"\b(?:expected|expects?|plans?|planned|planning|scheduled|set to|next|upcoming|is due|are due|"
    r"due to (?:be|take|meet|vote|start|begin)|to be held|later this|intends?|deadline|vote on|"
    r"pending|future|(?:is|are|was|were) (?:yet )?to (?:be )?\w+|awaits?|awaited|awaiting|"
    r"still (?:has|have|needs?|must|to)|has to|have to|yet to|remand\w*|appeals?|appealed|"
    r"follow-on|follow-up|forthcoming|not binding|no injunction|"
    r"(?:would|will|could|may|might) (?:\w+ )?(?:appeal|seek|return|resume|reconvene|decide|"
    r"advise|review|consider|face|take place))\b"
)
_NEXT_MEDIUM = re.compile(r"\b(?:will|going to|soon|further|allows? (?:it|them) to)\b")
_NEXT_WEAK = re.compile(r"\b(?:would|until|could|may|might|must)\b")
# Where it is heading: "northbound", "heading towards", "on course for".
_DIRECTION = re.compile(
    r"\b(?:\w+bound|heading|headed|toward|towards|on course|moving (?:north|south|east|west)\w*|"
    r"(?:north|south|east|west)\w*ward)\b"
)


def stakes_score(lowered: str) -> float:
    """A consequence scores 1, a first or a record 0.8, a bare "would" or "key" 0.5."""
    if _STAKES_CONSEQUENCE.search(lowered):
        return 1.0
    if _STAKES_SIGNIFICANCE.search(lowered):
        return 0.8
    return 0.5 if _STAKES_WEAK.search(lowered) else 0.0


def next_score(lowered: str, direction_asked: bool = False) -> float:
    """A scheduled or pending step scores 1, a bare "will" 0.7, a "would" 0.4; asked where a
    thing is heading, its direction scores 1 and the rest half as much."""
    if _DIRECTION.search(lowered):
        return 1.0
    if _NEXT_STRONG.search(lowered):
        score = 1.0
    elif _NEXT_MEDIUM.search(lowered):
        score = 0.7
    else:
        score = 0.4 if _NEXT_WEAK.search(lowered) else 0.0
    return score / 2 if direction_asked else score

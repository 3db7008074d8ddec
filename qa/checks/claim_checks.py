"""The claim checks on an aligned pair, in order, each with its reason code.

Codes (the JSON's `sentences[i].problems`): polarity, speaker, actor, time, number, entity,
certainty, addition. The lexical + semantic score and the hard rules (quotation, markup, number present) run
before these, in qa/checks/verify.py, with the codes support, citation, quote, markup, number.

The checks that compare the claim with one aligned clause or sentence (polarity, speaker, actor,
certainty) only say something when that sentence restates the claim: a summary sentence that
compresses several passage sentences aligns with none of them well, and comparing it with the best
one flags faithful summaries ("actor not stated" for a subject named one sentence earlier). Each such
check blocks when the aligned sentence holds at least MIN_ALIGNMENT[code] of the claim's term weight
(below that its flag is a note: shown, the sentence stays supported);
the shares are fitted on third-party labelled model sentences by `python -m eval.fit_factuality`
(qa/checks/calibration.json). The same fit decides which codes are NOTES: still reported with their
reason, but not enough on their own to mark a sentence unsupported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.checks.actors import check_actor, check_speaker
from qa.checks.additions import check_additions
from qa.checks.alignment import Aligned
from qa.checks.certainty import check_certainty
from qa.checks.entities import check_entity_links
from qa.checks.numbers import check_numbers
from qa.checks.polarity import check_polarity
from qa.checks.timecheck import check_time

CLAUSE_CHECKS = ("polarity", "speaker", "actor", "certainty")
# Every code a check can give a sentence (verify.py's rules and score, then the claim checks).
ALL_CODES = ("quote", "number", "markup", "support", *CLAUSE_CHECKS, "time", "entity", "addition")
_CALIBRATION = json.loads(Path(__file__).with_name("calibration.json").read_text())
MIN_ALIGNMENT: dict[str, float] = {
    code: float(share) for code, share in _CALIBRATION.get("min_alignment", {}).items()
}
# Codes shown as notes: the sentence keeps its code and reason but stays supported, because on
# third-party labelled model sentences these flags were no evidence of an error (fitted by
# eval/fit_factuality.py; README, "Factuality on third-party labels").
NOTES: frozenset[str] = frozenset(_CALIBRATION.get("notes", ()))


@dataclass(frozen=True)
class Problem:
    code: str  # a stable reason code for machines
    reason: str  # a sentence for the reader: "speaker differs: the passage quotes Dareen Khalifa"
    # a note: shown with the sentence, which stays supported (a clause check below its gate)
    note: bool = False


def claim_problems(
    claim: str,
    aligned: Aligned,
    claim_terms: Sequence[str],
    cited_terms: set[str],
    idf: Callable[[str], float],
    min_alignment: Mapping[str, float] | None = None,
    skip: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every check that fails for the claim against its aligned clause, sentence and passages
    (`min_alignment`: code -> the alignment a clause check needs; None: MIN_ALIGNMENT; `skip`:
    codes of checks not to run)."""
    gates = MIN_ALIGNMENT if min_alignment is None else min_alignment
    found: list[Problem] = []
    checks: list[tuple[str, Callable[[], str | None]]] = [
        ("polarity", lambda: check_polarity(claim, aligned.sentence)),
        (
            "speaker",
            lambda: check_speaker(
                claim,
                aligned.clause,
                aligned.sentence,
                lambda: aligned.attribution,
                aligned.cited_text,
            ),
        ),
        (
            "actor",
            lambda: check_actor(claim, aligned.clause, aligned.sentence, aligned.cited_text),
        ),
        (
            "time",
            lambda: check_time(claim, aligned.sentence, aligned.cited_text, aligned.published),
        ),
        ("number", lambda: check_numbers(claim, aligned.cited_text)),
        (
            "entity",
            lambda: check_entity_links(claim, claim_terms, aligned.sentence, aligned.group, idf),
        ),
        ("certainty", lambda: check_certainty(claim, aligned.clause, aligned.cited_text)),
        (
            "addition",
            lambda: check_additions(claim, claim_terms, aligned.cited_text, cited_terms, idf),
        ),
    ]
    for code, check in checks:
        if code in skip:
            continue
        reason = check()
        if reason:
            # the aligned sentence does not restate the claim: what differs is a note
            loose = code in CLAUSE_CHECKS and aligned.coverage < gates.get(code, 0.0)
            found.append(Problem(code, reason, note=loose))
    return found

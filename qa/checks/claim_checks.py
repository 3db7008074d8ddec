"""The claim checks on an aligned pair, in order, each with its reason code.

Codes (the JSON's `sentences[i].problems`): polarity, speaker, actor, time, number, certainty,
addition. The lexical + semantic score and the hard rules (quotation, markup, number present) run
before these, in qa/checks/verify.py, with the codes support, citation, quote, markup, number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa.checks.actors import check_actor, check_speaker
from qa.checks.additions import check_additions
from qa.checks.alignment import Aligned
from qa.checks.certainty import check_certainty
from qa.checks.numbers import check_numbers
from qa.checks.polarity import check_polarity
from qa.checks.timecheck import check_time


@dataclass(frozen=True)
class Problem:
    code: str  # a stable reason code for machines
    reason: str  # a sentence for the reader: "speaker differs: the passage quotes Dareen Khalifa"


def claim_problems(
    claim: str,
    aligned: Aligned,
    claim_terms: Sequence[str],
    cited_terms: set[str],
    idf: Callable[[str], float],
) -> list[Problem]:
    """Every check that fails for the claim against its aligned clause, sentence and passages."""
    found: list[Problem] = []
    checks: list[tuple[str, Callable[[], str | None]]] = [
        ("polarity", lambda: check_polarity(claim, aligned.sentence)),
        (
            "speaker",
            lambda: check_speaker(
                claim, aligned.clause, aligned.sentence, lambda: aligned.attribution
            ),
        ),
        ("actor", lambda: check_actor(claim, aligned.clause, aligned.sentence)),
        (
            "time",
            lambda: check_time(claim, aligned.sentence, aligned.cited_text, aligned.published),
        ),
        ("number", lambda: check_numbers(claim, aligned.cited_text)),
        ("certainty", lambda: check_certainty(claim, aligned.clause, aligned.cited_text)),
        (
            "addition",
            lambda: check_additions(claim, claim_terms, aligned.cited_text, cited_terms, idf),
        ),
    ]
    for code, check in checks:
        reason = check()
        if reason:
            found.append(Problem(code, reason))
    return found

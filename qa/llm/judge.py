"""The optional LLM judge: after the code checks, ask the model whether the aligned span entails
each sentence (entailed / contradicted / not stated).

Off by default (`verification.judge`, NEWSDESK_VERIFICATION__JUDGE=true). It only ever removes support:
a sentence the code checks rejected stays rejected whatever the judge says, and a judge that fails
(unreachable, malformed, an answer that is none of the three words) leaves the code's verdict as it is.
One short call per sentence that passed the code checks, so it costs a round trip each.
"""

from __future__ import annotations

import dataclasses
import re

from qa.checks.claim_checks import Problem
from qa.checks.verify import SentenceCheck, Verification
from qa.llm.client import LLM, LLMError, Message

JUDGE_SYSTEM = (
    "You check a claim against a passage from a news article. Decide only from the passage. "
    "Reply with exactly one of these words: entailed, contradicted, not_stated."
)
VERDICTS = ("entailed", "contradicted", "not_stated")
_VERDICT = re.compile(r"\b(entailed|contradicted|not[ _]stated)\b", re.I)


def judge_messages(claim: str, span: str) -> list[Message]:
    user = f"<passage>\n{span}\n</passage>\n<claim>\n{claim}\n</claim>\nVerdict:"
    return [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": user}]


def parse_verdict(reply: str) -> str | None:
    """The first verdict word in the reply ("Not stated." -> "not_stated"); None when there is none."""
    found = _VERDICT.search(reply)
    return found.group(1).lower().replace(" ", "_") if found else None


def _judged(check: SentenceCheck, verdict: str) -> SentenceCheck:
    reason = (
        "the LLM judge finds the passage contradicts this"
        if verdict == "contradicted"
        else "the LLM judge finds the passage does not state this"
    )
    return dataclasses.replace(
        check, supported=False, problem=reason, problems=(Problem("judge", reason),)
    )


def judge(verification: Verification, llm: LLM) -> Verification:
    """The verification with the judge's rejections added (never its approvals)."""
    out: list[SentenceCheck] = []
    failed = False
    for check in verification.sentences:
        if failed or not check.supported or not check.aligned:
            out.append(check)
            continue
        span = check.spans[0].quote if check.spans else check.aligned
        try:
            verdict = parse_verdict(llm.complete(judge_messages(check.text, span)))
        except LLMError:
            failed = True  # the judge is down: the code checks stand for the rest
            out.append(check)
            continue
        out.append(_judged(check, verdict) if verdict in ("contradicted", "not_stated") else check)
    return dataclasses.replace(verification, sentences=out)

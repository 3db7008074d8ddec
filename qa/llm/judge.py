"""The optional LLM judge: after the code checks, ask the model whether the cited evidence entails
each sentence (entailed / contradicted / not stated), all sentences of an answer in one call.

Off by default (`verification.judge`, NEWSDESK_VERIFICATION__JUDGE=true). It only ever removes
support: a sentence the code checks rejected stays rejected whatever the judge says, and a judge that
fails (unreachable, malformed, no verdict for a sentence) leaves the code's verdict for the
sentences it gave none. One call per answer, asked after the code checks and only when some
sentence passed them; the prompt holds each such sentence with its evidence: the best sentence of
every passage that stays cited and the clause it was aligned with.
"""

from __future__ import annotations

import dataclasses
import re

from qa.checks.claim_checks import Problem
from qa.checks.verify import SentenceCheck, Verification
from qa.llm.client import LLM, LLMError, Message
from qa.quoting import neutralise

JUDGE_SYSTEM = (
    "You check claims against evidence from news articles. Judge each claim only from its own "
    "evidence, not from what you know. For every claim, reply on its own line with its number and "
    "exactly one of these words: entailed, contradicted, not_stated. Example:\n1: entailed\n"
    "2: not_stated"
)
VERDICTS = ("entailed", "contradicted", "not_stated")
_VERDICT = re.compile(r"\b(entailed|contradicted|not[ _]stated)\b", re.I)
_NUMBERED = re.compile(
    r"^\W*(?:claim\s*)?(\d+)\s*[:.)\]-]?\s*\W*(entailed|contradicted|not[ _]stated)\b", re.I | re.M
)


def evidence(check: SentenceCheck) -> list[str]:
    """What the judge reads for one sentence: its spans, then the aligned clause if it is not in one."""
    found = list(dict.fromkeys(span.quote for span in check.spans))
    if check.aligned and not any(check.aligned in quote for quote in found):
        found.append(check.aligned)
    return found


def judge_messages(items: list[tuple[str, list[str]]]) -> list[Message]:
    """One request for the (claim, evidence) pairs, numbered from 1."""
    blocks = []
    for n, (claim, texts) in enumerate(items, start=1):
        shown = "\n".join(
            f"<passage>\n{neutralise(' '.join(t.split()))}\n</passage>" for t in texts
        )
        blocks.append(
            f'<item n="{n}">\n{shown}\n<claim>\n{neutralise(" ".join(claim.split()))}\n</claim>\n'
            "</item>"
        )
    user = "\n\n".join(blocks) + f"\n\nVerdicts for claims 1 to {len(items)}, one per line:"
    return [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": user}]


def parse_verdict(reply: str) -> str | None:
    """The first verdict word in the reply ("Not stated." -> "not_stated"); None when there is none."""
    found = _VERDICT.search(reply)
    return found.group(1).lower().replace(" ", "_") if found else None


def parse_verdicts(reply: str, count: int) -> dict[int, str]:
    """{claim number: verdict} from "1: entailed" lines; a one-claim request may be answered with
    the bare word. Numbers outside 1..count are ignored; the first verdict for a number wins."""
    verdicts: dict[int, str] = {}
    for number, word in _NUMBERED.findall(reply):
        n = int(number)
        if 1 <= n <= count and n not in verdicts:
            verdicts[n] = word.lower().replace(" ", "_")
    if not verdicts and count == 1 and (single := parse_verdict(reply)) is not None:
        verdicts[1] = single
    return verdicts


def _judged(check: SentenceCheck, verdict: str) -> SentenceCheck:
    reason = (
        "the LLM judge finds the cited passages contradict this"
        if verdict == "contradicted"
        else "the LLM judge finds the cited passages do not state this"
    )
    problem = Problem("judge", reason)
    # a judged sentence had passed the code checks: what it carries are notes, and come after
    return dataclasses.replace(
        check, supported=False, problem=reason, problems=(problem, *check.problems)
    )


def judge(verification: Verification, llm: LLM) -> Verification:
    """The verification with the judge's rejections added (never its approvals): one LLM call."""
    asked = [
        k for k, check in enumerate(verification.sentences) if check.supported and evidence(check)
    ]
    if not asked:
        return verification
    items = [(verification.sentences[k].text, evidence(verification.sentences[k])) for k in asked]
    try:
        verdicts = parse_verdicts(llm.complete(judge_messages(items)), len(items))
    except LLMError:
        return verification  # the judge is down: the code checks stand
    out = list(verification.sentences)
    for n, k in enumerate(asked, start=1):
        if verdicts.get(n) in ("contradicted", "not_stated"):
            out[k] = _judged(out[k], verdicts[n])
    return dataclasses.replace(verification, sentences=out)

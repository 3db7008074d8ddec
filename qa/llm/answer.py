"""The LLM answer path: condense, retrieve, stream the model's answer, verify it, or degrade.

Whatever goes wrong with the model (not configured, unreachable, timeout, 429/5xx after retries,
malformed output, an answer that cites nothing, or in strict mode one none of whose sentences its
citations support) the last event is the extractive answer with `degraded` saying why. Outside strict
mode an answer whose every sentence is flagged is still shown, each sentence marked with its reasons:
the reader sees what the model said and why the checks doubt it. Nothing here raises for a model
failure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence

from qa.asking.asked import Asked, read
from qa.checks.verify import Checker, Verification, verify
from qa.extractive.compose import refusal
from qa.llm.client import LLM, LLMError
from qa.llm.condense import condense
from qa.llm.judge import judge as judge_sentences
from qa.llm.prompt import answer_messages
from qa.types import Answer, AnswerSentence, Citation, Passage, Turn

BACKEND = "openai"
NOTHING_SUPPORTED = "no sentence of the LLM answer is supported by the passages it cites"
NOTHING_CITED = "the LLM answer cites none of the passages it was given"

Retrieve = Callable[[str], list[Passage]]  # standalone question -> passages (filters bound)
Fallback = Callable[[Asked, list[Passage]], Answer]  # the extractive answer over those passages


def degrade(answer: Answer, reason: str) -> Answer:
    return dataclasses.replace(answer, degraded=reason)


def build_answer(
    verification: Verification, passages: Sequence[Passage], strict: bool
) -> Answer | None:
    """The checked answer, renumbered so each [n] names one exact supporting span; None when no
    sentence is supported in strict mode, or none cites a passage it was given (the caller falls
    back). Otherwise unsupported sentences stay, flagged, with their codes and reasons."""
    if verification.refused:
        return refusal(BACKEND, list(passages))
    if not verification.supported and (strict or not any(s.cited for s in verification.sentences)):
        return None
    keep = verification.supported if strict else verification.sentences
    numbers: dict[tuple[int, int, int], int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    for check in keep:
        refs: list[int] = []
        # Only verified support is cited: an unsupported sentence is shown (flagged) without [n].
        for span in check.spans if check.supported else ():
            key = (span.passage, span.start, span.end)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                chunk = passages[span.passage - 1].chunk
                citations.append(Citation.of(numbers[key], chunk, span.start, span.end, span.score))
            refs.append(numbers[key])
        sentences.append(
            AnswerSentence(
                check.text,
                refs,
                check.supported,
                check.codes,
                list(dict.fromkeys(p.reason for p in check.problems)),
            )
        )
    text = " ".join(f"{s.text} {''.join(f'[{r}]' for r in s.refs)}".rstrip() for s in sentences)
    return Answer(
        answer=text,
        refused=False,
        backend=BACKEND,
        citations=citations,
        sentences=sentences,
        passages=list(passages),
    )


def llm_answer_stream(
    asked: Asked,
    history: Sequence[Turn],
    llm: LLM | LLMError,
    retrieve: Retrieve,
    fallback: Fallback,
    checker: Callable[[], Checker],
    strict: bool = False,
    judge: bool = False,
) -> Iterator[str | Answer]:
    """Text deltas as the model writes them, then the final Answer (always last).

    `asked` is the question read with `history`; `llm` is the configured model or the LLMError
    saying why there is none. The deltas are the
    model's draft; the final Answer replaces it (citations renumbered, unsupported sentences
    flagged or, in strict mode, dropped).
    """

    def degraded(reason: str) -> Answer:
        standalone = asked.standalone  # the conversation folded in by rule
        return degrade(fallback(standalone, retrieve(standalone.text)), reason)

    if isinstance(llm, LLMError):
        yield degraded(llm.reason)
        return
    try:
        # the model's rewrite is a text of its own: read once, for the fallback's answer
        standalone = read(condense(asked.text, history, llm))
    except LLMError as err:  # the answer call would fail the same way: degrade at once
        yield degraded(err.reason)
        return
    passages = retrieve(standalone.text)
    if not passages:
        yield refusal(BACKEND, passages)
        return
    parts: list[str] = []
    try:
        for delta in llm.stream(answer_messages(standalone.text, passages)):
            parts.append(delta)
            yield delta
    except LLMError as err:
        yield degrade(fallback(standalone, passages), err.reason)
        return
    checked = verify("".join(parts), passages, checker())
    if judge:
        checked = judge_sentences(checked, llm)
    answer = build_answer(checked, passages, strict)
    if answer is None:
        cited = any(s.cited for s in checked.sentences)
        answer = degrade(
            fallback(standalone, passages), NOTHING_SUPPORTED if cited else NOTHING_CITED
        )
    yield answer

"""The offline answerer: pick the retrieved sentences that answer the question, cite each one.

Pure functions. A sentence's score mixes how much of the question's weighted terms it contains, whether
its section heading matches the question (the seed articles are organised as questions), cue words for
the kind of question (why, how many, when, who), and the rank of its passage. When the best evidence is
weak the answer is the fixed CANNOT_ANSWER sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.chunking import sentences_of
from qa.types import CANNOT_ANSWER, Answer, AnswerSentence, Citation, Passage

Analyse = Callable[[str], list[str]]  # text -> stemmed content terms
Idf = Callable[[str], float]

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_CUES: dict[str, re.Pattern[str]] = {
    "why": re.compile(
        r"\b(because|since|due to|amid|after|reasons?|in response|prompted|framed|thinking|"
        r"weakened|opportunity|same day|time when|at a time|comes as|as a result|in order to|so that)\b"
    ),
    "count": re.compile(r"\b(\d[\d,.]*|dozens?|hundreds?|thousands?|millions?|billions?)\b"),
    "when": re.compile(
        r"\b(\d{4}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
        r"march|april|may|june|july|august|september|october|november|december|yesterday|"
        r"today|week|month|year)s?\b"
    ),
    "who": re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*"),
}


@dataclass(frozen=True)
class Profile:
    words: frozenset[str]  # lower-cased words of the question
    terms: tuple[str, ...]  # stemmed content terms
    kind: str  # why | count | when | who | other
    counted: tuple[str, ...] = ()  # stems of what "how many ..." counts; the answer must name it


def question_kind(question: str) -> str:
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


_PHRASE_STOP = frozenset(
    [
        "are",
        "is",
        "were",
        "was",
        "be",
        "been",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "the",
        "a",
        "an",
        "and",
        "or",
        "that",
        "which",
        "who",
        "there",
    ]
)


def counted_noun(question: str) -> str | None:
    """The head noun of "how many X ...": "how many Russian troops are" -> "troops"."""
    match = re.search(r"\bhow many\s+(.*)", question.lower())
    if not match:
        return None
    phrase: list[str] = []
    for word in _WORD.findall(match.group(1))[:2]:
        if word in _PHRASE_STOP or word.endswith("ed"):  # an auxiliary, a preposition, "fled"
            break
        phrase.append(word)
    return phrase[-1] if phrase else None


def profile(question: str, analyse: Analyse) -> Profile:
    noun = counted_noun(question)
    return Profile(
        words=frozenset(_WORD.findall(question.lower())),
        terms=tuple(dict.fromkeys(analyse(question))),
        kind=question_kind(question),
        counted=tuple(analyse(noun)) if noun else (),
    )


def heading_match(question: Profile, heading: str | None) -> float:
    """1.0 when the question is (nearly) the section heading, scaled down to 0 otherwise."""
    if not heading:
        return 0.0
    words = set(_WORD.findall(heading.lower()))
    if not words or not question.words:
        return 0.0
    jaccard = len(words & question.words) / len(words | question.words)
    return 1.0 if jaccard >= 0.6 else max(0.0, (jaccard - 0.2) / 0.4)


@dataclass(frozen=True)
class Candidate:
    passage: int  # index into the passages
    start: int  # offsets into the article body
    end: int
    text: str
    coverage: float  # weighted share of question terms in the sentence
    heading: float  # how well the passage's section heading matches the question
    semantic: float  # cosine of sentence and question vectors, rescaled to 0..1
    score: float


# Weights of the sentence score; calibrated on eval/data/seed_questions.jsonl (see README).
W_SEMANTIC, W_COVERAGE, W_CONTEXT, W_HEADING, W_CUE, W_RANK, W_POSITION = (
    0.40,
    0.30,
    0.10,
    0.15,
    0.08,
    0.04,
    0.01,
)
COSINE_FLOOR, COSINE_SPAN = 0.15, 0.45  # cosine 0.15 -> 0, 0.60 and above -> 1


def _coverage(terms: tuple[str, ...], present: set[str], idf: Idf) -> float:
    total = sum(idf(t) for t in terms)
    return sum(idf(t) for t in terms if t in present) / total if total > 0 else 0.0


def _semantic(question_vector: np.ndarray | None, vectors: np.ndarray | None) -> np.ndarray | None:
    if question_vector is None or vectors is None:
        return None
    return np.clip((vectors @ question_vector - COSINE_FLOOR) / COSINE_SPAN, 0.0, 1.0)


def score_sentences(
    question: Profile,
    passages: list[Passage],
    analyse: Analyse,
    idf: Idf,
    question_vector: np.ndarray | None = None,
) -> list[Candidate]:
    """Every sentence of every passage, scored; a sentence in two passages counts once (best)."""
    best: dict[tuple[str, int, int], Candidate] = {}
    cue = _CUES.get(question.kind)
    for rank, passage in enumerate(passages):
        chunk = passage.chunk
        spans = list(chunk.sentences) or sentences_of(chunk.text, chunk.start)
        semantic = _semantic(question_vector, passage.sentence_vectors)
        if semantic is not None and len(semantic) != len(spans):
            semantic = None
        head = heading_match(question, chunk.section)
        context = set(analyse(f"{chunk.title} {chunk.section or ''}"))
        for position, (start, end) in enumerate(spans):
            text = chunk.text[start - chunk.start : end - chunk.start]
            if text.rstrip("\"'’” ").endswith("?"):
                continue  # a question is never an answer
            stems = set(analyse(text))
            if question.counted and not stems & set(question.counted):
                continue  # "how many refugees": a sentence that never names refugees can't answer
            coverage = _coverage(question.terms, stems, idf)
            in_context = _coverage(question.terms, stems | context, idf)
            cue_hit = (
                1.0 if cue and cue.search(text if question.kind == "who" else text.lower()) else 0.0
            )
            sem = float(semantic[position]) if semantic is not None else coverage
            score = (
                W_SEMANTIC * sem
                + W_COVERAGE * coverage
                + W_CONTEXT * in_context
                + W_HEADING * head
                + W_CUE * cue_hit
                + W_RANK / (1 + rank)
                + W_POSITION / (1 + position)
            )
            key = (chunk.article_id, start, end)
            if key not in best or best[key].score < score:
                best[key] = Candidate(rank, start, end, text, coverage, head, sem, score)
    return sorted(best.values(), key=lambda c: -c.score)


def support(candidate: Candidate) -> float:
    """How strongly a sentence is evidence for the question, 0..1, for the refusal decision."""
    return max(candidate.heading, 0.5 * (candidate.coverage + candidate.semantic))


def select(
    candidates: list[Candidate], max_sentences: int, keep_ratio: float = 0.75
) -> list[Candidate]:
    if not candidates:
        return []
    top = candidates[0]
    chosen = [top]
    for candidate in candidates[1:]:
        if len(chosen) == max_sentences or candidate.score < keep_ratio * top.score:
            break
        if support(candidate) > 0:
            chosen.append(candidate)
    return chosen


def refusal(backend: str, passages: list[Passage], reason: str | None = None) -> Answer:
    return Answer(
        answer=CANNOT_ANSWER,
        refused=True,
        backend=backend,
        passages=passages,
        sentences=[AnswerSentence(CANNOT_ANSWER, [], True)],
        degraded=reason,
    )


def compose(
    question: str,
    passages: list[Passage],
    analyse: Analyse,
    idf: Idf,
    max_sentences: int = 3,
    min_support: float = 0.34,
    question_vector: np.ndarray | None = None,
) -> Answer:
    """An extractive answer of 1..max_sentences sentences, each followed by its [n] citation."""
    asked = profile(question, analyse)
    candidates = score_sentences(asked, passages, analyse, idf, question_vector)
    if not candidates or support(candidates[0]) < min_support:
        return refusal("extractive", passages)
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    for ref, chosen in enumerate(select(candidates, max_sentences), start=1):
        passage = passages[chosen.passage]
        citations.append(
            Citation.of(ref, passage.chunk, chosen.start, chosen.end, round(chosen.score, 4))
        )
        sentences.append(AnswerSentence(chosen.text, [ref], True))
    answer = " ".join(f"{s.text} [{s.refs[0]}]" for s in sentences)
    return Answer(
        answer=answer,
        refused=False,
        backend="extractive",
        citations=citations,
        sentences=sentences,
        passages=passages,
    )

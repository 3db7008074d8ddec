"""Citation checking after generation, as pure code: does each answer sentence say what it cites?

For an LLM answer over passages numbered 1..n: parse the `[n]` markers, drop numbers that were never
given, split the answer into sentences, and for each sentence decide whether its cited passages
support it. Support mixes two signals: the IDF-weighted share of the sentence's content terms found
in the cited passages (lexical), and the best cosine between the sentence's embedding and the cited
passages' sentence vectors (semantic). Hard rules override the score: quoted text, markup and links
must appear verbatim in a cited passage, and every number must appear in one. The supporting span is the cited
passage sentence that matches best, returned as article body offsets.

A sentence that passes is then aligned with the clause of its cited passages that restates it
(qa/checks/alignment.py) and the claim checks run on the pair (qa/checks/claim_checks.py: polarity, speaker, actor,
time, numbers bound to their nouns, entity links, certainty, additions). Every failure is a Problem with a reason
code. A passage sentence that addresses the reader or gives orders (qa/checks/directives.py) is never
support: it is left out of the passage before anything is scored.

The score's weights are calibrated on eval/data/seed_questions.jsonl by `python -m
eval.verify_calibration`; the support threshold is fitted on third-party labelled model sentences by
`python -m eval.fit_factuality`, which writes it to qa/checks/calibration.json (read here).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.chunking import sentence_spans, sentences_of
from qa.checks.alignment import PassageText, align, passage_text
from qa.checks.claim_checks import NOTES, Problem, claim_problems
from qa.checks.directives import is_directive
from qa.checks.numbers import is_year, spelled_out
from qa.checks.verbatim import quoted_in, verbatim_key
from qa.quoting import LOOKALIKE_LT, format_date
from qa.types import CANNOT_ANSWER, Passage

Analyse = Callable[[str], list[str]]
Idf = Callable[[str], float]
Embed = Callable[[list[str]], np.ndarray]

# Calibrated on the seed set (eval/verify_calibration.py); see the README's LLM section.
# On 84 positive and 458 negative pairs they keep 95% of the positives and reject 98.5% of the
# negatives; lexical overlap alone rejects about as many but misses paraphrases ("motorway" for
# "highway") that the embedding catches, and the embedding alone rejects only 46%.
W_LEXICAL = 0.6  # weight of the lexical signal; the semantic one gets the rest
COSINE_FLOOR, COSINE_SPAN = 0.15, 0.6  # cosine 0.15 -> 0, 0.75 and above -> 1
CALIBRATION = Path(__file__).with_name("calibration.json")
# A sentence is supported by its cited passages at this score or above (eval/fit_factuality.py).
SUPPORTED = float(json.loads(CALIBRATION.read_text())["supported"])
REF_KEPT = 0.35  # a cited passage stays cited when it alone scores this (the best one always does)

_CITATION = re.compile(r"\[\s*(\d+(?:\s*(?:[,;]|[-–])\s*\d+)*)\s*\]")
_CITATIONS_AT_START = re.compile(r"^(?:\s*\[\s*\d+(?:\s*(?:[,;]|[-–])\s*\d+)*\s*\])+")
_QUOTE = re.compile(r"\"([^\"]+)\"|“([^”]+)”")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Markup and links: an HTML tag, a URL or script scheme, a markdown link target. A model never needs
# to invent one, and one planted by an article's text must not pass as "supported" on word overlap.
# An element with its content counts as one piece, so `<script>x</script>` in an article does not
# vouch for `<script>y</script>` in an answer.
_MARKUP = re.compile(
    r"<\s*([A-Za-z][\w-]*)[^>]*>.*?<\s*/\s*\1\s*>|<\s*/?\s*[A-Za-z!][^>]*>"
    r"|\b(?:https?|javascript|data|vbscript|file):\S+|\]\([^)]*\)",
    re.I,
)
_WORDS = re.compile(r"\w")
# A punkt split after one of these is an abbreviation inside a sentence ("U.S. Army", "Dr. Smith",
# "9:47 p.m. The").
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,4}|\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Prof|Jr|Sr|No|vs|Inc|Co|"
    r"Corp|Ltd|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec)\.)$"
)
_CANON = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", LOOKALIKE_LT: "<", "\u203a": ">"}
)


@dataclass(frozen=True)
class Checker:
    """What verification needs from the index, as plain functions (the engine's BM25 and model)."""

    analyse: Analyse  # text -> stemmed content terms
    idf: Idf
    embed: Embed | None = None  # texts -> unit vectors; None: lexical signal only
    claims: bool = True  # run the claim checks (False: score and hard rules only, for timing)
    threshold: float | None = None  # the support threshold; None: the fitted SUPPORTED
    # code -> alignment the clause checks need to run; None: the fitted MIN_ALIGNMENT
    min_alignment: Mapping[str, float] | None = None
    # claim checks left out by code (ablations: what one check adds, in flags and in time)
    skip: frozenset[str] = frozenset()
    # codes that are notes (reported, not blocking); None: the fitted NOTES
    notes: frozenset[str] | None = None


@dataclass(frozen=True)
class Span:
    passage: int  # 1-based passage number as given to the model
    start: int  # article body offsets: body[start:end] == quote
    end: int
    quote: str
    score: float


@dataclass(frozen=True)
class SentenceCheck:
    text: str  # the sentence without its citation markers
    cited: tuple[int, ...]  # valid passage numbers it cited
    dropped: tuple[int, ...]  # numbers it cited that were never given
    supported: bool
    score: float
    problem: str | None = None  # why it is not supported
    spans: tuple[Span, ...] = ()  # one per passage that stays cited, best first
    # every failed check, with its code: blocking ones first (problem is the first), then notes
    problems: tuple[Problem, ...] = ()
    aligned: str | None = None  # the passage clause the sentence was aligned with
    alignment: float | None = None  # share of the sentence's term weight its aligned sentence holds

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(p.code for p in self.problems))


@dataclass(frozen=True)
class Verification:
    sentences: list[SentenceCheck] = field(default_factory=list)
    refused: bool = False  # the model answered with the CANNOT_ANSWER sentinel

    @property
    def citations_given(self) -> int:
        return sum(len(s.cited) + len(s.dropped) for s in self.sentences)

    @property
    def citations_kept(self) -> int:
        return sum(len(s.spans) for s in self.sentences if s.supported)

    @property
    def supported(self) -> list[SentenceCheck]:
        return [s for s in self.sentences if s.supported]


# -- parsing ----------------------------------------------------------------------------------


def canon(text: str) -> str:
    """For verbatim comparison: typographic quotes and dashes unified, spaces collapsed, lower case."""
    return " ".join(text.translate(_CANON).split()).lower()


def parse_refs(marker_body: str) -> list[int]:
    """ "1, 2" -> [1, 2]; "2-4" -> [2, 3, 4] (ranges capped so "1-999" cannot explode)."""
    refs: list[int] = []
    for part in re.split(r"\s*[,;]\s*", marker_body.strip()):
        bounds = [int(b) for b in re.split(r"\s*[-–]\s*", part) if b]
        if len(bounds) == 2 and 0 <= bounds[1] - bounds[0] <= 20:
            refs.extend(range(bounds[0], bounds[1] + 1))
        else:
            refs.extend(bounds)
    return refs


def _refs_in(text: str) -> list[int]:
    return [r for m in _CITATION.finditer(text) for r in parse_refs(m.group(1))]


def strip_citations(text: str) -> str:
    clean = _CITATION.sub(" ", text)
    clean = re.sub(r"\s+([.,;:!?])", r"\1", clean)
    return " ".join(clean.split())


def split_answer(answer: str) -> list[tuple[str, list[int]]]:
    """(sentence without markers, cited numbers in order) for each sentence of the answer.

    Markers the model put after the full stop ("... attack. [2] The ...") belong to the sentence
    before them; a split after an abbreviation is undone.
    """
    pieces: list[tuple[str, list[int]]] = []
    carry = ""
    for start, end in sentence_spans(answer, 0, len(answer)):
        raw = carry + answer[start:end]
        carry = ""
        if (lead := _CITATIONS_AT_START.match(raw)) and pieces:
            pieces[-1][1].extend(_refs_in(lead.group()))
            raw = raw[lead.end() :]
        refs = _refs_in(raw)
        clean = strip_citations(raw)
        if not refs and _ABBREVIATION.search(clean):
            carry = raw + " "
            continue
        if not _WORDS.search(clean):
            if pieces:
                pieces[-1][1].extend(refs)
            continue
        pieces.append((clean, refs))
    if carry.strip():
        pieces.append((strip_citations(carry), []))
    return [(text, list(dict.fromkeys(refs))) for text, refs in pieces]


def is_sentinel(text: str) -> bool:
    return canon(text).rstrip(".") == canon(CANNOT_ANSWER).rstrip(".")


# -- support ----------------------------------------------------------------------------------


def coverage(terms: Sequence[str], present: set[str], idf: Idf) -> float:
    """IDF-weighted share of `terms` in `present`; a sentence with no content terms scores 0."""
    total = sum(idf(t) for t in terms)
    return sum(idf(t) for t in terms if t in present) / total if total > 0 else 0.0


def semantic(cosine: float) -> float:
    return float(np.clip((cosine - COSINE_FLOOR) / COSINE_SPAN, 0.0, 1.0))


def support_score(lexical: float, cosine: float | None) -> float:
    if cosine is None:
        return lexical
    return W_LEXICAL * lexical + (1 - W_LEXICAL) * semantic(cosine)


@dataclass(frozen=True)
class _PassageView:
    """One passage, prepared once per answer: its sentences, their terms and vectors."""

    passage: Passage
    spans: list[tuple[int, int]]
    texts: list[str]
    terms: list[set[str]]
    context: set[str]  # terms of the title and section heading
    vectors: np.ndarray | None
    canon_text: str
    verbatim: str  # its words, for quotations (qa/checks/verbatim.py)
    numbers: set[str]
    text: PassageText  # what the claim checks read


def _view(passage: Passage, checker: Checker) -> _PassageView:
    chunk = passage.chunk
    spans = list(chunk.sentences) or sentences_of(chunk.text, chunk.start)
    texts = [chunk.text[a - chunk.start : b - chunk.start] for a, b in spans]
    vectors = passage.sentence_vectors
    if (vectors is None or len(vectors) != len(texts)) and checker.embed is not None and texts:
        vectors = checker.embed(texts)  # the store had none: embed the sentences on their own
    keep = [k for k, t in enumerate(texts) if not is_directive(t)]
    if len(keep) < len(texts):  # orders to the reader are never support
        if vectors is not None and len(vectors) == len(texts):
            vectors = vectors[keep] if keep else None
        spans, texts = [spans[k] for k in keep], [texts[k] for k in keep]
    heading = f"{chunk.title} {chunk.section or ''}"
    terms = [set(checker.analyse(t)) for t in texts]
    meta = f"{chunk.title} {chunk.section or ''} {format_date(passage.published) or ''}"
    return _PassageView(
        passage=passage,
        spans=spans,
        texts=texts,
        terms=terms,
        context=set(checker.analyse(heading)),
        vectors=vectors if vectors is not None and len(vectors) == len(texts) else None,
        canon_text=canon(" ".join(texts)),
        verbatim=verbatim_key(" ".join(texts)),
        numbers=set(_NUMBER.findall(spelled_out(f"{' '.join(texts)} {meta}").replace(",", ""))),
        text=passage_text(texts, terms, heading, passage.published),
    )


def _quotes(sentence: str) -> list[str]:
    return [a or b for a, b in _QUOTE.findall(sentence) if _WORDS.search(a or b)]


def _rule_problem(sentence: str, views: list[_PassageView]) -> Problem | None:
    for quote in _quotes(sentence):
        if not any(quoted_in(quote, v.verbatim) for v in views):
            return Problem("quote", "a quotation that no cited passage contains")
    numbers = set(_NUMBER.findall(sentence.replace(",", "")))
    # A missing year is the time check's ("the passage says 2015, not 2016").
    if missing := {n for n in numbers if not is_year(n)} - set().union(*(v.numbers for v in views)):
        return Problem(
            "number", f"a number no cited passage contains ({', '.join(sorted(missing))})"
        )
    for found in _MARKUP.finditer(sentence):
        if not any(canon(found.group(0)) in v.canon_text for v in views):
            return Problem("markup", "markup or a link that no cited passage contains")
    return None


def _best_sentence(
    view: _PassageView,
    terms: list[str],
    vector: np.ndarray | None,
    quotes: list[str],
    idf: Idf,
) -> int:
    """Index of the passage sentence that best supports the answer sentence."""
    cosines = view.vectors @ vector if view.vectors is not None and vector is not None else None
    scores = []
    for k, text in enumerate(view.texts):
        score = support_score(
            coverage(terms, view.terms[k] | view.context, idf),
            None if cosines is None else float(cosines[k]),
        )
        if quotes and any(quoted_in(q, verbatim_key(text)) for q in quotes):
            score += 1.0  # the sentence holding the quotation is the span, whatever else matches
        scores.append(score)
    return int(np.argmax(scores))


def signals(
    terms: list[str], group: Sequence[_PassageView], vector: np.ndarray | None, idf: Idf
) -> tuple[float, float | None]:
    """(lexical, best cosine) of an answer sentence against a group of cited passages."""
    present = set().union(*(v.context for v in group), *(t for v in group for t in v.terms))
    cosines = [
        float(np.max(v.vectors @ vector))
        for v in group
        if v.vectors is not None and vector is not None and len(v.vectors)
    ]
    return coverage(terms, present, idf), max(cosines, default=None)


def check_sentence(
    text: str,
    refs: list[int],
    views: dict[int, _PassageView],
    checker: Checker,
    vector: np.ndarray | None,
) -> SentenceCheck:
    cited = tuple(r for r in refs if r in views)  # views holds every cited passage that was given
    dropped = tuple(r for r in refs if r not in views)
    if not cited:
        problem = "no citation" if not dropped else "cites only passages that were not given"
        return SentenceCheck(
            text, cited, dropped, False, 0.0, problem, (), (Problem("citation", problem),)
        )
    terms = list(dict.fromkeys(checker.analyse(text)))
    score = support_score(*signals(terms, [views[r] for r in cited], vector, checker.idf))
    own = {r: support_score(*signals(terms, [views[r]], vector, checker.idf)) for r in cited}
    ranked = sorted(cited, key=lambda r: -own[r])
    kept = [ranked[0], *(r for r in ranked[1:] if own[r] >= REF_KEPT)]
    quotes = _quotes(text)
    spans = []
    for r in kept:
        view = views[r]
        if view.texts:
            k = _best_sentence(view, terms, vector, quotes, checker.idf)
            start, end = view.spans[k]
            spans.append(Span(r, start, end, view.texts[k], round(own[r], 4)))
    notes = NOTES if checker.notes is None else checker.notes
    rule = _rule_problem(text, [views[r] for r in cited])
    problems = [rule] if rule else []
    threshold = SUPPORTED if checker.threshold is None else checker.threshold
    if rule is None and score < threshold:
        problems.append(Problem("support", "the cited passages do not say this"))
    aligned = None
    if all(p.code in notes for p in problems) and checker.claims:
        group = [views[r] for r in cited]
        preferred = spans[0].quote if spans else None
        aligned = align(terms, [v.text for v in group], checker.analyse, checker.idf, preferred)
        if aligned is not None:
            present = set().union(*(v.context for v in group), *(t for v in group for t in v.terms))
            problems += claim_problems(
                text, aligned, terms, present, checker.idf, checker.min_alignment, checker.skip
            )
    # a note keeps its code and reason on the sentence, which stays supported; the first blocking
    # problem is the one the reader is told first
    problems.sort(key=lambda p: p.note or p.code in notes)
    blocking = [p for p in problems if not (p.note or p.code in notes)]
    return SentenceCheck(
        text,
        cited,
        dropped,
        not blocking,
        round(score, 4),
        blocking[0].reason if blocking else None,
        tuple(spans),
        tuple(problems),
        aligned.clause if aligned else None,
        aligned.coverage if aligned else None,
    )


def verify(answer: str, passages: Sequence[Passage], checker: Checker) -> Verification:
    """Check every sentence of `answer` against the passages it cites (numbered from 1)."""
    pieces = [(t, r) for t, r in split_answer(answer) if not is_sentinel(t)]
    if not pieces or (is_sentinel_present(answer) and not any(r for _, r in pieces)):
        return Verification(refused=is_sentinel_present(answer))
    cited = {r for _, refs in pieces for r in refs if 1 <= r <= len(passages)}
    views = {n: _view(passages[n - 1], checker) for n in sorted(cited)}
    vectors: np.ndarray | None = None
    if checker.embed is not None:
        vectors = checker.embed([t for t, _ in pieces])
    checks = [
        check_sentence(text, refs, views, checker, None if vectors is None else vectors[i])
        for i, (text, refs) in enumerate(pieces)
    ]
    return Verification(checks)


def is_sentinel_present(answer: str) -> bool:
    return canon(CANNOT_ANSWER).rstrip(".") in canon(answer)


def pair_signals(
    text: str, passages: Sequence[Passage], checker: Checker
) -> tuple[float, float | None]:
    """(lexical, cosine) of one claim against passages cited together: for calibration."""
    views = [_view(p, checker) for p in passages]
    vector = checker.embed([text])[0] if checker.embed is not None else None
    return signals(list(dict.fromkeys(checker.analyse(text))), views, vector, checker.idf)

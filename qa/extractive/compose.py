"""The offline answerer: pick the retrieved sentences that answer the question, cite each one.

Pure functions. A sentence's score mixes how much of the question's weighted terms it contains, whether
its section heading matches the question (the seed articles are organised as questions), cue words for
the kind of question (why, how many, when, who), and the rank of its passage. When the best evidence is
weak the answer is the fixed CANNOT_ANSWER sentence.

A question's word is also met by another word of its family ("died" by "killed", qa/synonyms.py) or
an abbreviation by its spelling out ("EPA"). A factoid question asks for a type of answer (a number,
an amount, a date, a place: qa/asking/answer_types.py): a sentence holding it, about what the question is
about, meets the words that only ask for it ("how many", "when"); one without it ranks lower.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.chunking import sentences_of
from index.news.dates import MONTH_NAMES, WEEKDAY_NAMES
from qa.asking.answer_types import ASKING_WORDS, PLACE, holds, lists_places
from qa.asking.asked import Asked
from qa.asking.entity_types import holds_entity
from qa.asking.kinds import WORD
from qa.extractive.novelty import adds_nothing
from qa.extractive.weights import SentenceWeights, load
from qa.synonyms import abbreviation_in, met_by_kin
from qa.types import CANNOT_ANSWER, Answer, AnswerSentence, Citation, Passage

Analyse = Callable[[str], list[str]]  # text -> stemmed content terms
Idf = Callable[[str], float]

WEIGHTS = load()  # the fitted weights of qa/extractive/sentence_weights.json, else the hand ones

_CUES: dict[str, re.Pattern[str]] = {
    "why": re.compile(
        r"\b(because|since|due to|amid|after|reasons?|in response|prompted|framed|thinking|"
        r"weakened|opportunity|same day|time when|at a time|comes as|as a result|in order to|so that)\b"
    ),
    "count": re.compile(r"\b(\d[\d,.]*|dozens?|hundreds?|thousands?|millions?|billions?)\b"),
    "when": re.compile(
        rf"\b(\d{{4}}|{'|'.join(WEEKDAY_NAMES)}|{'|'.join(MONTH_NAMES)}|yesterday|"
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
    wanted: str | None = None  # the type of answer asked for (qa/asking/answer_types.py)
    asking: frozenset[str] = frozenset()  # stems of the words that only ask for that type
    abbreviations: tuple[tuple[str, str], ...] = ()  # (stem, as written): "EPA", "TV"
    entities: frozenset[str] = frozenset()  # entity labels of the answer ("which team": ORG)
    yes_no: bool = False  # answered by its own words ("Did the rebels take Aleppo?")

    @property
    def typed(self) -> bool:
        """The question asks for a type of answer (a regex type or an entity label)."""
        return self.wanted is not None or bool(self.entities)


def profile(asked: Asked, analyse: Analyse, entity_typed: bool = True) -> Profile:
    """What the scorer needs of the question: its reading, with its words stemmed by `analyse`.
    `entity_typed`: the passages carry named entities (NEWSDESK_CHUNKING__ENTITIES); without them
    no sentence could show the entity type asked, so the question is read as untyped, as before."""
    noun = asked.counted_noun
    kind = asked.wanted
    labels = asked.entity_asked[1] if entity_typed else frozenset()
    asking = (
        {s for w in asked.words & ASKING_WORDS for s in analyse(w)} if kind or labels else set()
    )
    return Profile(
        words=asked.words,
        terms=tuple(dict.fromkeys(asked.terms(analyse))),
        kind=asked.scoring_kind,
        counted=tuple(analyse(noun)) if noun else (),
        wanted=kind,
        asking=frozenset(asking),
        abbreviations=tuple(
            (stem, word) for word in asked.abbreviations for stem in analyse(word)[:1]
        ),
        entities=labels,
        yes_no=asked.kind == "yesno",
    )


def heading_match(question: Profile, heading: str | None) -> float:
    """1.0 when the question is (nearly) the section heading, scaled down to 0 otherwise."""
    if not heading:
        return 0.0
    words = set(WORD.findall(heading.lower()))
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
    signals: tuple[float, ...] = ()  # the sentence's value of each weights.SIGNALS name
    untyped: bool = False  # the question asks for a type of answer the sentence does not hold


COSINE_FLOOR, COSINE_SPAN = 0.15, 0.45  # cosine 0.15 -> 0, 0.60 and above -> 1
KIN_CREDIT = 0.8  # a question word met by another word of its family ("died" by "killed")


@dataclass(frozen=True)
class Sentence:
    """What the scorer knows of one sentence (or of a sentence with its passage's title)."""

    text: str
    stems: set[str]
    typed: bool  # it holds the type of answer asked for
    listing: bool = False  # it lists the places a "which countries" question asks for


def _met(question: Profile, term: str, sentence: Sentence, analyse: Analyse) -> float:
    """How far a sentence meets one of the question's terms: the term itself, an abbreviation
    spelled out ("EPA": "Environmental Protection Agency"), or, in a factoid question, another
    word of its family (a long question's many words would meet a family by chance)."""
    if term in sentence.stems:
        return 1.0
    if any(
        stem == term and abbreviation_in(w, sentence.text) for stem, w in question.abbreviations
    ):
        return 1.0
    factoid = question.typed
    return KIN_CREDIT if factoid and met_by_kin(term, sentence.stems, analyse) else 0.0


def typed_coverage(
    question: Profile, sentence: Sentence, idf: Idf, analyse: Analyse
) -> tuple[float, bool]:
    """The weighted share of the question's terms the sentence meets (see `_met`), and whether it
    answers with the type asked. A sentence holding the type meets the words that only ask for it
    ("how many", "when", "did"), but only when it also meets something the question is about
    (unless it is about nothing else: "Where did it happen?", or it lists the places asked for):
    "5.7 million barrels" answers no "How many people were killed?"."""
    met = {t: _met(question, t, sentence, analyse) for t in question.terms}
    content = [t for t in question.terms if t not in question.asking]
    on_topic = not content or sentence.listing or any(met[t] > 0 for t in content)
    answers = sentence.typed and on_topic
    if answers:
        met.update({t: 1.0 for t in question.asking})
    total = sum(idf(t) for t in question.terms)
    share = sum(idf(t) * met[t] for t in question.terms) / total if total > 0 else 0.0
    return share, answers


def _counted_met(question: Profile, stems: set[str], analyse: Analyse) -> bool:
    return any(c in stems or met_by_kin(c, stems, analyse) for c in question.counted)


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
    weights: SentenceWeights | None = None,
) -> list[Candidate]:
    """Every sentence of every passage, scored; a sentence in two passages counts once (best).
    `weights`: how the signals combine (qa/extractive/weights.py; the stored ones by default)."""
    weights = weights or WEIGHTS
    best: dict[tuple[str, int, int], Candidate] = {}
    cue = _CUES.get(question.kind)
    for rank, passage in enumerate(passages):
        chunk = passage.chunk
        spans = list(chunk.sentences) or sentences_of(chunk.text, chunk.start)
        semantic = _semantic(question_vector, passage.sentence_vectors)
        if semantic is not None and len(semantic) != len(spans):
            semantic = None
        head = heading_match(question, chunk.section)
        labels = f"{chunk.title} {chunk.section or ''}"
        context = set(analyse(labels))
        for position, (start, end) in enumerate(spans):
            text = chunk.text[start - chunk.start : end - chunk.start]
            if text.rstrip("\"'’” ").endswith("?"):
                continue  # a question is never an answer
            stems = set(analyse(text))
            if not question.yes_no and adds_nothing(stems, question.terms, context):
                continue  # an echo of the question or of the page's labels answers nothing
            if question.counted and not _counted_met(question, stems, analyse):
                continue  # "how many refugees": a sentence that never names refugees can't answer
            typed = (bool(question.wanted) and holds(question.wanted, text)) or (
                bool(question.entities)
                and holds_entity(
                    question.entities,
                    chunk.entities_in(start, end),
                    chunk.text,
                    chunk.start,
                    question.words,
                )
            )
            listing = question.wanted == PLACE and lists_places(text)
            coverage, answers = typed_coverage(
                question, Sentence(text, stems, typed, listing), idf, analyse
            )
            in_context, _ = typed_coverage(
                question,
                Sentence(f"{text} {labels}", stems | context, answers, answers),  # as it answers
                idf,
                analyse,
            )
            cue_hit = (
                1.0 if cue and cue.search(text if question.kind == "who" else text.lower()) else 0.0
            )
            sem = float(semantic[position]) if semantic is not None else coverage
            signals = (
                sem,
                coverage,
                in_context,
                head,
                cue_hit,
                1 / (1 + rank),
                1 / (1 + position),
                min(max(passage.score, 0.0), 1.0),
                new_name(question, text),
            )
            untyped = question.typed and not answers
            score = weights.score(signals, untyped, entity=not question.wanted)
            key = (chunk.article_id, start, end)
            if key not in best or best[key].score < score:
                best[key] = Candidate(
                    rank, start, end, text, coverage, head, sem, score, signals, untyped
                )
    return sorted(best.values(), key=lambda c: -c.score)


def new_name(question: Profile, text: str) -> float:
    """1.0 when the sentence names someone or something (a capitalised name, not at its start)
    the question does not: the answer a "who" or "which" question asks for."""
    for name in _CUES["who"].finditer(text):
        if any(word not in question.words for word in name.group().lower().split()):
            return 1.0
    return 0.0


def support(candidate: Candidate) -> float:
    """How strongly a sentence is evidence for the question, 0..1, for the refusal decision."""
    return max(candidate.heading, 0.5 * (candidate.coverage + candidate.semantic))


def select(
    candidates: list[Candidate], max_sentences: int, keep_ratio: float | None = None
) -> list[Candidate]:
    keep_ratio = WEIGHTS.keep_ratio if keep_ratio is None else keep_ratio
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
    asked: Asked,
    passages: list[Passage],
    analyse: Analyse,
    idf: Idf,
    max_sentences: int = 3,
    min_support: float = 0.34,
    question_vector: np.ndarray | None = None,
) -> Answer:
    """An extractive answer of 1..max_sentences sentences, each followed by its [n] citation."""
    entity_typed = any(p.chunk.entities for p in passages)
    candidates = score_sentences(
        profile(asked, analyse, entity_typed), passages, analyse, idf, question_vector
    )
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

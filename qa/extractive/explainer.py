"""Explainer answers from a story's structure: what happened, why (now), who is involved, what X
said, what is at stake, what happens next, which powers are at play.

These questions hardly share a word with their answer ("Why now?" against "the rebels attacked the
same day a truce came into effect"), so matching terms cannot find it. A news story can: what
happened is its lede (news is written as an inverted pyramid), what X said are the sentences whose
speaker is X (tagged at ingest, pronouns resolved, through the aliases: Turkey = Ankara), why is
told with after / amid / because / comes as, what is next with will / expected / scheduled. Each
sentence of the focused story gets a score for the kind asked plus its relevance to the question
and to the story; the best 1-4 are cited. Pure functions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from index.chunking import sentences_of
from index.news.aliases import entity_keys
from index.types import SentenceTag
from qa.asking.asked import Asked
from qa.extractive import agents, cues, identity
from qa.extractive.compose import Analyse, Idf, heading_match, profile
from qa.extractive.novelty import adds_nothing
from qa.extractive.speakers import said_score
from qa.types import Answer, AnswerSentence, Citation, Passage

_PROPER_RUN = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:of\s+|the\s+|al-)?[A-Z][\w'’-]+)*")
_ROLE_PHRASE = re.compile(
    r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*,\s+(?:the|a|an|who|its|their|his|her)\s|"
    r"\b(?:President|Prime Minister|Minister|Secretary|Chancellor|Governor|Mayor|Senator|Chief|"
    r"spokes(?:man|woman|person)|director|head|leader|chairman|chief executive|researcher|"
    r"professor|officials?|minister)\b"
)

SECTION_IS_THE_QUESTION = 0.6  # heading_match at or above: the section's heading is the question
MAX_SENTENCES = 4
KEEP_RATIO = 0.7
# Who: the act's other agents bound to it (the court that referred a case, the plaintiff) are
# worth citing even when the question's words favour one of them.
KEEP_BY_KIND = {"who": 0.6}
# Weights of kind, relevance to the question, relevance to the story (the conversation), heading
# match and position. A question that names something of its own ("Why did the building
# collapse?") leans on its words; a bare one ("Why now?") on its kind and the story.
WEIGHTS = {"bare": (0.45, 0.25, 0.15, 0.10, 0.05), "named": (0.30, 0.50, 0.05, 0.10, 0.05)}
# Who and why name their event ("Who owned the boat?", "Why did she sue?"), but the sentence that
# repeats the event best is the event itself, not who did it or why: the kind weighs more.
NAMED_BY_KIND = {"who": (0.45, 0.40, 0.05, 0.05, 0.05), "why": (0.40, 0.40, 0.05, 0.10, 0.05)}
REASON_OF_EVENT = 1.0  # why: the asked verb with its reason ("sued ... for defamation")


@dataclass(frozen=True)
class Context:
    """What kind_score needs from the question and the story beyond the sentence."""

    terms: tuple[str, ...] = ()  # the question's stemmed content terms
    verb_regex: str | None = None  # who: the question's verb, to bind to a name
    roles: tuple[str, ...] = ()  # who: the nouns of whoever does that (owner, plaintiff)
    names: Counter[str] = field(default_factory=Counter)  # involved: names across the story
    # who is X: how much each sentence, by (passage, start), says who X is (identity.py)
    defining: dict[tuple[int, int], float] = field(default_factory=dict)


@dataclass(frozen=True)
class Sentence:
    passage: int
    start: int
    end: int
    text: str
    tag: SentenceTag | None
    section: str | None
    order: int  # position in the article (paragraph, then offset)
    vector_row: int | None
    article: str = ""  # the article's id


def story_sentences(passages: Sequence[Passage]) -> list[Sentence]:
    """Every sentence of the passages once, in article order (a sentence in two chunks counts once)."""
    seen: dict[tuple[str, int], Sentence] = {}
    for number, passage in enumerate(passages):
        chunk = passage.chunk
        spans = list(chunk.sentences) or sentences_of(chunk.text, chunk.start)
        tags = chunk.tags if len(chunk.tags) == len(spans) else (None,) * len(spans)
        for row, ((start, end), tag) in enumerate(zip(spans, tags, strict=True)):
            key = (chunk.article_id, start)
            if key in seen:
                continue
            text = chunk.text[start - chunk.start : end - chunk.start]
            paragraph = tag.paragraph if tag else chunk.index
            seen[key] = Sentence(
                number, start, end, text, tag, chunk.section, paragraph, row, chunk.article_id
            )
    return sorted(seen.values(), key=lambda s: (passages[s.passage].chunk.article_id, s.start))


def kind_score(asked: Asked, sentence: Sentence, context: Context | None = None) -> float:
    """How much the sentence is the kind of thing asked, 0..1."""
    context = context or Context()
    text, tag = sentence.text, sentence.tag
    lowered = text.lower()
    kind = asked.kind
    if kind == "happened":
        return 1.0 if tag and tag.lede else 0.0
    if kind == "said":
        return said_score(asked.subject, asked.about, text, tag)
    if kind == "powers":
        return min(1.0, len(entity_keys(text)) / 3)
    if kind == "who" and asked.identity:  # "Who was Tyree Smith?": a description of the name
        return context.defining.get((sentence.passage, sentence.start), 0.0)
    if kind == "who":  # "Who brought the case?": the asked verb bound to a name
        return _who_score(text, context)
    if kind == "involved":  # the names the story keeps repeating, with their roles
        role = 1.0 if _ROLE_PHRASE.search(text) else 0.8
        return agents.salience(text, context.names) * role
    if kind == "why":
        cause_asked = asked.cause_asked
        if cues.cause_unknown(lowered):
            return 0.0  # "no cause has been named" is no reason
        if context.terms and not cause_asked and cues.reason_of(context.terms, lowered):
            return REASON_OF_EVENT
        return cues.why_score(lowered, asked.bare, cause_asked)
    if kind == "stakes":
        return cues.stakes_score(lowered)
    if kind == "next":
        return cues.next_score(lowered, asked.direction_asked)
    return 0.0


def _who_score(text: str, context: Context) -> float:
    """1 for the question's verb bound to a name (owned by X, X won), 0.8 for an agent phrase
    (led by X, hiring law firm X), 0.4 for a sentence that merely names someone."""
    if context.verb_regex and agents.binds(context.verb_regex, text, context.roles):
        return 1.0
    if agents.agent_phrase(text):
        return 0.8
    return 0.4 if _PROPER_RUN.search(text[1:]) else 0.0


def context_of(
    asked: Asked,
    terms: tuple[str, ...],
    sentences: Sequence[Sentence],
    analyse: Analyse,
) -> Context:
    verb_regex, roles = None, ()
    if asked.kind == "who" and (verb := asked.verb):
        stems = analyse(verb)
        stem = stems[0] if stems else verb
        verb_regex, roles = agents.verb_pattern(verb, stem), agents.role_nouns(verb, stem)
    names = agents.name_counts(s.text for s in sentences) if asked.kind == "involved" else Counter()
    defining = _defining(asked.identity, sentences) if asked.kind == "who" else {}
    return Context(terms, verb_regex, roles, names, defining)


def _defining(name: str | None, sentences: Sequence[Sentence]) -> dict[tuple[int, int], float]:
    """Who is X: identity.py's score of each sentence, read article by article (a renaming is
    the sentence after the name's, in the same article)."""
    if not name:
        return {}
    scores: dict[tuple[int, int], float] = {}
    runs: list[list[Sentence]] = []
    for s in sentences:  # story_sentences: grouped by article, in article order
        if runs and runs[-1][-1].article == s.article:
            runs[-1].append(s)
        else:
            runs.append([s])
    for run in runs:
        found = identity.identity_scores(name, [s.text for s in run])
        scores.update(((s.passage, s.start), score) for s, score in zip(run, found, strict=True))
    return scores


def _covered(asked: Asked, sentence: Sentence) -> frozenset[str]:
    """What a sentence adds to an answer listing things (powers, people), for choosing several."""
    if asked.kind == "powers":
        return frozenset(entity_keys(sentence.text))
    if asked.kind == "involved":
        return frozenset(_PROPER_RUN.findall(sentence.text[1:]))
    return frozenset()


def _cosines(vector: np.ndarray | None, passages: Sequence[Passage], s: Sentence) -> float:
    if vector is None or s.vector_row is None:
        return 0.0
    rows = passages[s.passage].sentence_vectors
    if rows is None or s.vector_row >= len(rows):
        return 0.0
    return float(np.clip((rows[s.vector_row] @ vector - 0.15) / 0.45, 0.0, 1.0))


def explain(
    asked: Asked,
    passages: Sequence[Passage],
    analyse: Analyse,
    idf: Idf,
    question_vector: np.ndarray | None = None,
    topic_vector: np.ndarray | None = None,
    max_sentences: int = 3,
) -> Answer | None:
    """The explainer answer from the focused story's passages, or None when no sentence is of the
    kind asked (the caller refuses)."""
    sentences = story_sentences(passages)
    if not sentences:
        return None
    # "Who took part?" names no one: its words are the kind, not what to match.
    named = not asked.bare and asked.kind != "involved"
    terms = tuple(analyse(" ".join(asked.content_words))) if named else ()
    if asked.kind == "said" and asked.subject:
        subject_terms = set(analyse(asked.subject))
        terms = tuple(t for t in terms if t not in subject_terms)
    asked_profile = profile(asked, analyse)
    asked_terms = asked.terms(analyse)
    total_idf = sum(idf(t) for t in terms)
    weights = NAMED_BY_KIND.get(asked.kind, WEIGHTS["named"]) if terms else WEIGHTS["bare"]
    context = context_of(asked, terms, sentences, analyse)
    if asked.kind == "who" and any(agents.unnamed(asked.content_words, s.text) for s in sentences):
        return None  # the story says the one asked about is not named
    if asked.cause_asked and any(cues.cause_unknown(s.text.lower()) for s in sentences):
        return None  # the story says the cause is not known
    scored: list[tuple[float, Sentence]] = []
    headed: list[bool] = []
    for s in sentences:
        if s.text.rstrip("\"'’” ").endswith("?"):
            continue
        kind = kind_score(asked, s, context)
        if kind <= 0:
            continue
        stems = set(analyse(s.text))
        chunk = passages[s.passage].chunk
        if adds_nothing(stems, asked_terms, analyse(f"{chunk.title} {s.section or ''}")):
            continue  # an echo of the question or of the page's labels answers nothing
        relevance = 0.0
        if terms and total_idf > 0:
            coverage = sum(idf(t) for t in terms if t in stems) / total_idf
            if asked.identity and kind >= identity.RENAMES:
                coverage = 1.0  # it describes the name asked about, named or renamed
            relevance = 0.5 * coverage + 0.5 * _cosines(question_vector, passages, s)
        topic = _cosines(topic_vector, passages, s)
        heading = heading_match(asked_profile, s.section)
        position = 1.0 / (1 + s.order)
        w_kind, w_relevance, w_topic, w_heading, w_position = weights
        score = (
            w_kind * kind
            + w_relevance * relevance
            + w_topic * topic
            + w_heading * heading
            + w_position * position
        )
        scored.append((score, s))
        headed.append(heading >= SECTION_IS_THE_QUESTION)
    if any(headed):  # a section titled by the question answers it (the seed's "Why now?")
        scored = [x for x, h in zip(scored, headed, strict=True) if h]
    if not scored:
        return None
    scored.sort(key=lambda x: -x[0])
    limit = min(max(max_sentences, 2), MAX_SENTENCES)
    if asked.kind == "happened":
        limit = 2
    chosen = _choose(asked, scored, limit)
    return _answer(chosen, passages)


def _choose(asked: Asked, scored: list[tuple[float, Sentence]], limit: int) -> list[Sentence]:
    best = scored[0][0]
    chosen: list[Sentence] = []
    covered: set[str] = set()
    listing = asked.kind in ("powers", "involved")
    for score, s in scored:
        if len(chosen) == limit or score < KEEP_BY_KIND.get(asked.kind, KEEP_RATIO) * best:
            break
        adds = _covered(asked, s)
        if listing and chosen and not (adds - covered):
            continue  # names nothing new
        covered |= adds
        chosen.append(s)
    if asked.kind == "happened":
        chosen.sort(key=lambda s: s.start)  # the lede reads in order
    return chosen


def _answer(chosen: Sequence[Sentence], passages: Sequence[Passage]) -> Answer:
    citations: list[Citation] = []
    out: list[AnswerSentence] = []
    for ref, s in enumerate(chosen, start=1):
        chunk = passages[s.passage].chunk
        citations.append(
            Citation.of(ref, chunk, s.start, s.end, round(passages[s.passage].score, 4))
        )
        out.append(AnswerSentence(s.text, [ref], True))
    return Answer(
        answer=" ".join(f"{s.text} [{s.refs[0]}]" for s in out),
        refused=False,
        backend="extractive",
        citations=citations,
        sentences=out,
        passages=list(passages),
    )

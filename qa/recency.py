"""The present tense means the newest evidence: "as of <date>", the figure it replaced, disagreements.

Pure functions over the retrieved passages (each with its publication date) and a `compose` function
that answers from a subset of them (the extractive answerer). A question about now ("latest",
"current", "so far", "still", "now", "how many ... have", "since <date>") is answered from the newest
articles that answer it well, and says so: "As of 30 November 2019, ... [1]". For a "how many X"
question the lead is the newest sentence that gives a figure of X, and an older article's other figure
of X is added with its date ("Up from 311 reported on 29 November 2019 [2]."). Two articles of the same
day that give different figures are shown disagreeing, each cited, never merged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from index.chunking import sentences_of
from index.dates import EVENT_WINDOW_DAYS, MONTHS, resolve_dates, to_date
from qa.types import Answer, AnswerSentence, Citation, Passage

Compose = Callable[[list[Passage]], Answer]
Analyse = Callable[[str], list[str]]

_NOW = re.compile(
    r"\b(latest|current(ly)?|so far|still|now|to date|newest|most recent|up to date|yet|"
    r"at (the )?present|these days|as of|as at|since|changed|how many\b.*\b(have|has)\b)",
    re.I,
)
_HOW_MANY = re.compile(r"\bhow many\s+([a-z][a-z-]*)(?:\s+([a-z][a-z-]*))?", re.I)
_AUXILIARY = frozenset(
    [
        "are",
        "is",
        "were",
        "was",
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
    ]
)
LEAD_RATIO = 0.75  # a lead from the newest articles must be nearly as good as the best answer
MAX_DATES_TRIED = 4
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(million|billion|thousand))?(?![\w%])"
)
_TOTAL = re.compile(
    r"\b(total|so far|to date|as of|at least|more than|over|surpass\w*|tally|toll)\b", re.I
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_NOT_COUNTS = frozenset(
    [
        "percent",
        "per",
        "am",
        "pm",
        "a.m.",
        "p.m.",
        "years",
        "year",
        "km",
        "miles",
        "mph",
        "kph",
        "utc",
    ]
)
# Sentence openers that are not names, lower-cased after "As of <date>, ".
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "on",
        "in",
        "at",
        "by",
        "after",
        "before",
        "during",
        "yesterday",
        "today",
        "last",
        "earlier",
        "according",
        "since",
        "as",
        "there",
        "it",
        "this",
        "that",
        "these",
        "those",
        "some",
        "many",
        "more",
        "over",
        "about",
        "officials",
        "authorities",
        "late",
        "early",
        "while",
        "when",
    ]
)


def is_about_now(question: str) -> bool:
    return bool(_NOW.search(question))


def day_label(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


@dataclass(frozen=True)
class Figure:
    value: float
    text: str  # as written: "1,426", "2.9 million"
    thing: frozenset[str]  # stems of the words after it: what it counts


def figures(text: str, analyse: Analyse) -> list[Figure]:
    """The counts in a sentence with what they count; years, days of the month, times, percentages
    and measures skipped."""
    out: list[Figure] = []
    for m in _NUMBER.finditer(text):
        raw = m.group(1)
        after = text[m.end() : m.end() + 50].split()
        before = text[max(0, m.start() - 12) : m.start()].lower().split()
        first = after[0].strip(".,;:").lower() if after else ""
        if not after or first in _NOT_COUNTS or first in MONTHS:
            continue
        if re.fullmatch(r"(19|20)\d\d", raw) or (before and before[-1].strip(".") in MONTHS):
            continue  # a year, or the day of "November 29"
        thing = frozenset(analyse(" ".join(after[:4])))
        if thing:
            value = float(raw.replace(",", "")) * _SCALE.get(m.group(2) or "", 1)
            out.append(Figure(value, m.group(0), thing))
    return out


def counted(question: str, analyse: Analyse) -> str | None:
    """The stem of what "how many X ..." counts: "how many measles cases has" -> "case"."""
    match = _HOW_MANY.search(question)
    if not match:
        return None
    words = [w for w in match.groups() if w]
    if len(words) == 2 and words[1].lower() in _AUXILIARY:
        words = words[:1]
    stems = analyse(words[-1])
    return stems[-1] if stems else None


def _of(figures_: list[Figure], stem: str) -> Figure | None:
    return next((f for f in figures_ if stem in f.thing), None)


class _Builder:
    """Citations renumbered as sentences from several answers are put together."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self.sentences: list[AnswerSentence] = []
        self._refs: dict[tuple[str, int, int], int] = {}

    def cite(self, citation: Citation) -> int:
        key = (citation.article_id, citation.start, citation.end)
        if key not in self._refs:
            self._refs[key] = len(self.citations) + 1
            self.citations.append(replace(citation, ref=self._refs[key]))
        return self._refs[key]

    def add(self, text: str, citation: Citation) -> None:
        self.sentences.append(AnswerSentence(text, [self.cite(citation)], True))

    def has(self, citation: Citation) -> bool:
        return (citation.article_id, citation.start, citation.end) in self._refs

    def answer(self, base: Answer) -> Answer:
        text = " ".join(f"{s.text} [{s.refs[0]}]" for s in self.sentences)
        return Answer(
            answer=text, refused=False, backend=base.backend, citations=self.citations,
            sentences=self.sentences, degraded=base.degraded, passages=base.passages,
        )  # fmt: skip


@dataclass(frozen=True)
class _Evidence:
    text: str
    citation: Citation
    figure: Figure | None = None


def _by_day(passages: list[Passage]) -> dict[date, list[Passage]]:
    groups: dict[date, list[Passage]] = {}
    for passage in passages:
        if (day := to_date(passage.published)) is not None:
            groups.setdefault(day, []).append(passage)
    return groups


def _top_score(answer: Answer) -> float:
    return max((c.score for c in answer.citations), default=0.0)


def as_of(day: date, text: str) -> str:
    if text.lower().startswith(("as of", "as at")):
        return f"Reported on {day_label(day)}: {text}"  # not "As of 1 January, as of Sunday, ..."
    first = text.split(" ", 1)[0]
    if first.lower() in _OPENERS and first[1:].islower():
        text = text[0].lower() + text[1:]
    return f"As of {day_label(day)}, {text}"


def _counted_evidence(
    passages: list[Passage], stem: str, terms: set[str], analyse: Analyse
) -> list[_Evidence]:
    """Sentences of `passages` that give a figure of `stem`, those naming most of the question's
    terms (or saying "total", "so far") first."""
    found: list[tuple[int, float, int, _Evidence]] = []
    seen: set[tuple[str, int, int]] = set()
    for rank, passage in enumerate(passages):
        chunk = passage.chunk
        for start, end in chunk.sentences or sentences_of(chunk.text, chunk.start):
            if (chunk.article_id, start, end) in seen:
                continue
            seen.add((chunk.article_id, start, end))
            text = chunk.text[start - chunk.start : end - chunk.start]
            figure = _of(figures(text, analyse), stem)
            if figure is not None:
                # Question terms named, plus one for words that mark a running total.
                weight = len(terms & set(analyse(text))) + (1 if _TOTAL.search(text) else 0)
                if _background(text, passage.published):
                    weight -= 2  # "in 2018 there were 10 million cases worldwide": not the story's
                citation = Citation.of(0, chunk, start, end, round(passage.score, 4))
                found.append((-weight, -figure.value, rank, _Evidence(text, citation, figure)))
    # Ties go to the larger figure: a running total outgrows the day's numbers in the same article.
    return [f[-1] for f in sorted(found, key=lambda f: f[:3])]


def _background(text: str, published: int | None) -> bool:
    """Does the sentence speak of a time well before its article (history, not the news)?"""
    day = to_date(published)
    if day is None:
        return False
    horizon = day - timedelta(days=EVENT_WINDOW_DAYS)
    return any(m.last < horizon for m in resolve_dates(text, day))


def _composed_evidence(answer: Answer) -> list[_Evidence]:
    return [_Evidence(s.text, answer.citations[s.refs[0] - 1]) for s in answer.sentences if s.refs]


def as_of_newest(
    question: str,
    passages: list[Passage],
    compose: Compose,
    analyse: Analyse,
    max_sentences: int = 3,
) -> Answer:
    """The answer to `question` from `passages`; for a question about now, led by the newest evidence."""
    overall = compose(passages)
    if overall.refused or not is_about_now(question):
        return overall
    groups = _by_day(passages)
    days = sorted(groups, reverse=True)
    stem = counted(question, analyse)
    terms = set(analyse(question))
    lead: list[_Evidence] = []
    lead_day: date | None = None
    for day in days[:MAX_DATES_TRIED]:
        if stem is not None:
            lead = _counted_evidence(groups[day], stem, terms, analyse)
        if not lead:
            composed = compose(groups[day])
            good = not composed.refused and _top_score(composed) >= LEAD_RATIO * _top_score(overall)
            lead = _composed_evidence(composed) if good else []
        if lead:
            lead_day = day
            break
    if lead_day is None:
        return _dated_lead(overall)
    built = _Builder()
    first = lead[0]
    built.add(as_of(lead_day, first.text), first.citation)
    # Same day, another article, another figure: shown side by side, each cited, never merged.
    for other in lead[1:]:
        if (
            first.figure is not None and other.figure is not None
            and other.citation.article_id != first.citation.article_id
            and other.figure.value != first.figure.value
        ):  # fmt: skip
            built.add(
                f"Another report of the same day gives {other.figure.text}: {other.text}",
                other.citation,
            )
            break
    # The older figure it replaces: the newest earlier day that gives one.
    if first.figure is not None and stem is not None:
        for day in [d for d in days if d < lead_day]:
            older = [e for e in _counted_evidence(groups[day], stem, terms, analyse) if e.figure]
            if not older or older[0].figure is None or older[0].figure.value == first.figure.value:
                continue
            old = older[0]
            assert old.figure is not None
            direction = "Up" if first.figure.value > old.figure.value else "Down"
            built.add(
                f"{direction} from {old.figure.text} reported on {day_label(day)}.", old.citation
            )
            break
    # The rest of the best overall answer, so nothing it found is lost.
    for evidence in _composed_evidence(overall):
        if len(built.sentences) >= max_sentences:
            break
        if not built.has(evidence.citation):
            built.add(evidence.text, evidence.citation)
    return built.answer(overall)


def _dated_lead(answer: Answer) -> Answer:
    """No newer lead: the answer as it is, its first sentence prefixed with the date of its article
    so the reader knows how current it is."""
    published = {p.chunk.article_id: to_date(p.published) for p in answer.passages}
    evidence = _composed_evidence(answer)
    day = published.get(evidence[0].citation.article_id) if evidence else None
    if day is None:
        return answer
    built = _Builder()
    for n, item in enumerate(evidence):
        built.add(as_of(day, item.text) if n == 0 else item.text, item.citation)
    return built.answer(answer)

"""The present tense means the newest evidence: "as of <date>", the figure it replaced, disagreements.

Pure functions over the retrieved passages (each with its publication date) and a `compose` function
that answers from a subset of them (the extractive answerer). A question about now ("latest",
"current", "so far", "still", "now", "how many ... have") is answered from the newest articles that
answer it well, and says so: "As of 30 November 2019, ... [1]". When an older article gives another
figure for the same thing (the number is followed by the same noun: "311 deaths" / "345 deaths"), the
answer adds it with its date ("Up from 311 reported on 29 November 2019 [2]."). Two articles of the same
day that give different figures are shown disagreeing, each cited, never merged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from index.dates import MONTHS, to_date
from qa.types import Answer, AnswerSentence, Citation, Passage

Compose = Callable[[list[Passage]], Answer]
Analyse = Callable[[str], list[str]]

_NOW = re.compile(
    r"\b(latest|current(ly)?|so far|still|now|to date|as of (today|now)|newest|most recent|"
    r"up to date|yet|at (the )?present|these days|as of|as at|since|changed|how many\b.*\b(have|has)\b)",
    re.I,
)
# A lead from the newest articles must be nearly as good as the best answer overall.
LEAD_RATIO = 0.75
MAX_DATES_TRIED = 4
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(million|billion|thousand))?\b"
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_SKIP_AFTER = frozenset(
    ["percent", "%", "am", "pm", "years", "year", "km", "miles", "a.m.", "p.m."]
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
    """The counts in a sentence with what they count; years, dates, times and percentages skipped."""
    out: list[Figure] = []
    for m in _NUMBER.finditer(text):
        raw = m.group(1)
        after = text[m.end() : m.end() + 40].lower().split()
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if not after or after[0].strip(".,;") in _SKIP_AFTER or "%" in text[m.end() : m.end() + 1]:
            continue
        if re.fullmatch(r"(19|20)\d\d", raw) or any(mo in before.split()[-1:] for mo in MONTHS):
            continue  # a year, or the day of "November 29"
        if after[0].strip(".,").lower() in MONTHS:
            continue  # "29 November"
        thing = frozenset(analyse(" ".join(after[:4])))
        if not thing:
            continue
        value = float(raw.replace(",", "")) * _SCALE.get(m.group(2) or "", 1)
        out.append(Figure(value, m.group(0), thing))
    return out


def _same_thing(a: Figure, b: Figure) -> bool:
    return bool(a.thing & b.thing)


def _top_score(answer: Answer) -> float:
    return max((c.score for c in answer.citations), default=0.0)


class _Builder:
    """Citations renumbered as sentences from several answers are put together."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self.sentences: list[AnswerSentence] = []
        self._refs: dict[tuple[str, int, int], int] = {}

    def cite(self, citation: Citation) -> int:
        key = (citation.article_id, citation.start, citation.end)
        if key not in self._refs:
            ref = len(self.citations) + 1
            self._refs[key] = ref
            self.citations.append(replace(citation, ref=ref))
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


def _by_day(passages: list[Passage]) -> dict[date, list[Passage]]:
    groups: dict[date, list[Passage]] = {}
    for passage in passages:
        if (day := to_date(passage.published)) is not None:
            groups.setdefault(day, []).append(passage)
    return groups


def _lower_first(text: str) -> str:
    # "As of 30 November 2019, the toll ..." but keep names and acronyms ("As of ..., Biden ...").
    first = text.split(" ", 1)[0]
    if (
        first[:1].isupper()
        and first[1:].islower()
        and first.lower()
        in {"the", "a", "an", "at", "about", "over", "more", "some", "officials", "authorities"}
    ):
        return text[0].lower() + text[1:]
    return text


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
    if len(groups) < 2:
        return _as_of_only(overall)
    days = sorted(groups, reverse=True)
    floor = LEAD_RATIO * _top_score(overall)
    answers: dict[date, Answer] = {}
    lead_day: date | None = None
    for day in days[:MAX_DATES_TRIED]:
        answers[day] = compose(groups[day])
        if not answers[day].refused and _top_score(answers[day]) >= floor:
            lead_day = day
            break
    if lead_day is None:
        return _as_of_only(overall)
    lead = answers[lead_day]
    built = _Builder()
    first = lead.sentences[0]
    lead_citation = lead.citations[first.refs[0] - 1]
    built.add(f"As of {day_label(lead_day)}, {_lower_first(first.text)}", lead_citation)
    lead_figures = figures(first.text, analyse)
    # Same day, another article, another figure: shown side by side, each cited.
    for other in lead.sentences[1:]:
        citation = lead.citations[other.refs[0] - 1]
        if citation.article_id != lead_citation.article_id and _differs(
            lead_figures, other.text, analyse
        ):
            built.add(f"A report of the same day gives another figure: {other.text}", citation)
    # The older figures it replaces, newest first.
    for day in [d for d in days if d < lead_day][:MAX_DATES_TRIED]:
        older = answers.get(day) or compose(groups[day])
        if older.refused:
            continue
        for sentence in older.sentences:
            old = [
                f
                for f in figures(sentence.text, analyse)
                if any(_same_thing(f, n) for n in lead_figures)
            ]
            new = next((n for n in lead_figures for f in old if _same_thing(f, n)), None)
            if not old or new is None or old[0].value == new.value:
                continue
            word = (
                "up from"
                if new.value > old[0].value
                else "down from"
                if new.value < old[0].value
                else "as"
            )
            citation = older.citations[sentence.refs[0] - 1]
            built.add(
                f"That is {word} {old[0].text} reported on {day_label(day)}: {sentence.text}",
                citation,
            )
            break
        if len(built.sentences) >= max_sentences:
            break
    # The rest of the best overall answer, so nothing it found is lost, each dated by its citation.
    for sentence in overall.sentences:
        if len(built.sentences) >= max_sentences:
            break
        citation = overall.citations[sentence.refs[0] - 1]
        if not built.has(citation):
            built.add(sentence.text, citation)
    return built.answer(overall)


def _differs(lead: list[Figure], text: str, analyse: Analyse) -> bool:
    return any(
        _same_thing(f, n) and f.value != n.value for f in figures(text, analyse) for n in lead
    )


def _as_of_only(answer: Answer) -> Answer:
    """One date only (or no newer lead): the answer as it is, prefixed with the date of its newest
    citation so the reader knows how current it is."""
    published = {p.chunk.article_id: to_date(p.published) for p in answer.passages}
    first = answer.sentences[0]
    day = published.get(answer.citations[first.refs[0] - 1].article_id)
    if day is None:
        return answer
    built = _Builder()
    for n, sentence in enumerate(answer.sentences):
        citation = answer.citations[sentence.refs[0] - 1]
        text = f"As of {day_label(day)}, {_lower_first(sentence.text)}" if n == 0 else sentence.text
        built.add(text, citation)
    return built.answer(answer)

"""The present tense means the newest evidence: "as of <date>", the figure it replaced, disagreements.

Pure functions over the retrieved passages (each with its publication date) and a `compose` function
that answers from a subset of them (the extractive answerer). A question about now ("latest",
"current", "so far", "still", "now", "how many ... have", "since <date>") is answered from the newest
articles that answer it nearly as well as all of them do, and says so: "As of 30 November 2019, ...
[1]". For a "how many X" question the lead is the newest sentence giving a figure of X (qa/extractive/figures.py)
and an older article's other figure of X follows with its date ("Up from 311 reported on 29 November
2019 [2]."). Two articles of the same day that give different figures are shown disagreeing, each
cited, never merged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from index.news.dates import to_date
from qa.asking.asked import Asked
from qa.extractive.figures import Analyse, Evidence, Idf, counted, counted_evidence, names, names_in
from qa.types import Answer, AnswerSentence, Citation, Passage

Compose = Callable[[list[Passage]], Answer]

LEAD_RATIO = 0.75  # a lead from the newest articles must be nearly as good as the best answer
MAX_DATES_TRIED = 4
# Sentence openers that are not names, lower-cased after "As of <date>, ".
_OPENERS = frozenset(
    ["the", "a", "an", "on", "in", "at", "by", "after", "before", "during", "yesterday", "today",
     "last", "earlier", "according", "since", "there", "it", "this", "that", "these", "those",
     "some", "many", "more", "over", "about", "officials", "authorities", "late", "early", "while",
     "when"]
)  # fmt: skip


def day_label(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def as_of(day: date, text: str) -> str:
    if text.lower().startswith(("as of", "as at")):
        return f"As of {day_label(day)}: {text}"  # not "As of 1 January, as of Sunday, ..."
    first = text.split(" ", 1)[0]
    if first.lower() in _OPENERS and first[1:].islower():
        text = text[0].lower() + text[1:]
    return f"As of {day_label(day)}, {text}"


class _Builder:
    """Citations renumbered as sentences from several answers are put together."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self.sentences: list[AnswerSentence] = []
        self._refs: dict[tuple[str, int, int], int] = {}

    def add(self, text: str, citation: Citation) -> None:
        key = (citation.article_id, citation.start, citation.end)
        if key not in self._refs:
            self._refs[key] = len(self.citations) + 1
            self.citations.append(replace(citation, ref=self._refs[key]))
        self.sentences.append(AnswerSentence(text, [self._refs[key]], True))

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


def _top_score(answer: Answer) -> float:
    return max((c.score for c in answer.citations), default=0.0)


def _composed(answer: Answer) -> list[Evidence]:
    return [Evidence(s.text, answer.citations[s.refs[0] - 1]) for s in answer.sentences if s.refs]


def as_of_newest(
    asked: Asked,
    passages: list[Passage],
    compose: Compose,
    analyse: Analyse,
    idf: Idf,
    max_sentences: int = 3,
) -> Answer:
    """The answer to the question from `passages`; for a question about now, led by the newest
    evidence."""
    overall = compose(passages)
    if overall.refused or not asked.about_now:
        return overall
    groups = _by_day(passages)
    days = sorted(groups, reverse=True)
    stem = counted(asked.counted_words, analyse)
    terms = {
        t for t in asked.terms(analyse) if not t.isdigit()
    }  # "COVID-19", "13 March": no evidence
    wanted = names(asked.capitalised_words, analyse)
    floor = LEAD_RATIO * _top_score(overall)
    for day in days[:MAX_DATES_TRIED]:
        # Only passages that name what the question names ("Bangladesh", "Dorian") may lead.
        group = [p for p in groups[day] if names_in(wanted, analyse(f"{p.chunk.title} {p.text}"))]
        composed = compose(group) if group else None
        if composed is None or composed.refused or _top_score(composed) < floor:
            continue
        lead = (counted_evidence(group, stem, terms, analyse, idf) if stem else []) or _composed(
            composed
        )
        return _led(overall, day, lead, groups, stem, terms, analyse, idf, max_sentences)
    return _dated_lead(overall)


def _led(
    overall: Answer,
    day: date,
    lead: list[Evidence],
    groups: dict[date, list[Passage]],
    stem: str | None,
    terms: set[str],
    analyse: Analyse,
    idf: Idf,
    max_sentences: int,
) -> Answer:
    built = _Builder()
    first = lead[0]
    built.add(as_of(day, first.text), first.citation)
    # Same day, another article, another figure: shown side by side, each cited, never merged.
    for other in lead[1:]:
        if (
            first.figure is not None and other.figure is not None
            and other.citation.article_id != first.citation.article_id
            and other.figure.value != first.figure.value
        ):  # fmt: skip
            built.add(
                f"A report of the same day gives {other.figure.text}: {other.text}", other.citation
            )
            break
    # The older figure it replaces: from the newest earlier day that gives another one.
    if first.figure is not None and stem is not None:
        for older_day in sorted((d for d in groups if d < day), reverse=True):
            older = counted_evidence(groups[older_day], stem, terms, analyse, idf)
            if older and older[0].figure and older[0].figure.value != first.figure.value:
                old = older[0].figure
                direction = "Up" if first.figure.value > old.value else "Down"
                text = f"{direction} from {old.text} reported on {day_label(older_day)}."
                built.add(text, older[0].citation)
                break
    # The rest of the best overall answer, so nothing it found is lost.
    for evidence in _composed(overall):
        if len(built.sentences) >= max_sentences:
            break
        if not built.has(evidence.citation):
            built.add(evidence.text, evidence.citation)
    return built.answer(overall)


def _dated_lead(answer: Answer) -> Answer:
    """No newer lead: the answer as it is, its first sentence prefixed with the date of its article
    so the reader knows how current it is."""
    published = {p.chunk.article_id: to_date(p.published) for p in answer.passages}
    evidence = _composed(answer)
    day = published.get(evidence[0].citation.article_id) if evidence else None
    if day is None:
        return answer
    built = _Builder()
    for n, item in enumerate(evidence):
        built.add(as_of(day, item.text) if n == 0 else item.text, item.citation)
    return built.answer(answer)

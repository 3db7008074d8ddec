"""Figures in news sentences and what they count: "345 pilgrims", "surpassed 100,000", "rose to 58".

Pure. Used by qa/extractive/recency.py to find the newest figure of the thing a "how many X" question counts and
the older figure it replaced. Years, days of the month, times, percentages and measures are not counts;
"COVID-19" and "SARS-CoV-2" hold no figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from index.chunking import sentences_of
from index.news.dates import EVENT_WINDOW_DAYS, MONTHS, resolve_dates, to_date
from qa.asking.answer_types import COUNT_WORDS, number_value
from qa.types import Citation, Passage

Analyse = Callable[[str], list[str]]
Idf = Callable[[str], float]

_NUMBER = re.compile(
    rf"(?<![\w.-])(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{COUNT_WORDS})(?:\s+(million|billion|thousand))?"
    r"(?![\w%-])",
    re.IGNORECASE,
)  # "twenty people have been confirmed killed" is a figure too
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_NOT_COUNTS = frozenset(
    ["percent", "per", "am", "pm", "a.m.", "p.m.", "years", "year", "km", "miles", "mph", "kph",
     "utc", "bst", "edt", "est", "gmt"]
)  # fmt: skip
# A figure after these words counts what came before them: "deaths ... surpassed 100,000".
_REACHED = frozenset(
    ["surpassed", "passed", "reached", "topped", "exceeded", "hit", "to", "is", "was", "were",
     "are", "at", "of", "totalled", "totaled", "stood"]
)  # fmt: skip
# Words that mark a running total rather than the day's number.
_TOTAL = re.compile(
    r"\b(total|so far|to date|as of|at least|more than|over|surpass\w*|tally|toll|amassed)\b", re.I
)


@dataclass(frozen=True)
class Figure:
    value: float
    text: str  # as written: "1,426", "2.9 million"
    thing: frozenset[str]  # stems of the words around it: what it counts


@dataclass(frozen=True)
class Evidence:
    text: str
    citation: Citation
    figure: Figure | None = None


def figures(text: str, analyse: Analyse) -> list[Figure]:
    """The counts in a sentence with the stems of what they count."""
    out: list[Figure] = []
    for m in _NUMBER.finditer(text):
        raw = m.group(1)
        after = text[m.end() : m.end() + 50].split()
        before = text[max(0, m.start() - 90) : m.start()].split()
        first = after[0].strip(".,;:").lower() if after else ""
        if first in _NOT_COUNTS or first in MONTHS:
            continue
        if re.fullmatch(r"(19|20)\d\d", raw) or (
            before and before[-1].lower().strip(".") in MONTHS
        ):
            continue  # a year, or the day of "November 29"
        # What it counts: the words after it ("311 deaths"), and those before it when it ends the
        # sentence or follows "surpassed", "rose to", "is" ("the number of cases rose to 58.").
        thing = frozenset(analyse(" ".join(after[:4])))
        if not thing or (before and before[-1].lower() in _REACHED):
            thing |= frozenset(analyse(" ".join(before[-8:])))
        if thing:
            value = (number_value(raw) or 0.0) * _SCALE.get((m.group(2) or "").lower(), 1)
            out.append(Figure(value, m.group(0), thing))
    return out


def counted(words: Sequence[str], analyse: Analyse) -> str | None:
    """The stem of what "how many X ..." counts, from the words after it (qa/asking/counted.py):
    ("COVID-19", "deaths") -> "death"."""
    stems = [s for s in analyse(" ".join(words)) if not s.isdigit()] if words else []
    return stems[-1] if stems else None


def names(named: Sequence[str], analyse: Analyse) -> set[str]:
    """Stems of the names a lead must mention ("Bangladesh", "Dorian"), from the question's
    capitalised words (qa/asking/constraints.py)."""
    return set(analyse(" ".join(named)))


def names_in(wanted: set[str], stems: list[str]) -> bool:
    """All the names, or all but one of two or more ("Donald Trump" in a passage saying "Trump").
    A name matches the start of a word too: "Samoa" in "Samoan"."""
    present = set(stems)
    missing = sum(
        1 for name in wanted if name not in present and not any(s.startswith(name) for s in present)
    )
    return missing == 0 or (len(wanted) >= 2 and missing == 1)


def background(text: str, published: int | None) -> bool:
    """Does the sentence speak of a time well before its article (history, not the news)?"""
    day = to_date(published)
    if day is None:
        return False
    horizon: date = day - timedelta(days=EVENT_WINDOW_DAYS)
    return any(m.last < horizon for m in resolve_dates(text, day))


def counted_evidence(
    passages: list[Passage], stem: str, terms: set[str], analyse: Analyse, idf: Idf
) -> list[Evidence]:
    """Sentences of `passages` that give a figure of `stem`, best first: the question's terms they
    name (weighted by rarity), a running-total word, not background; ties to the larger figure (a
    running total outgrows the day's numbers in the same article), then retrieval order."""
    found: list[tuple[float, float, int, Evidence]] = []
    seen: set[tuple[str, int, int]] = set()
    total_idf = sum(idf(t) for t in terms) or 1.0
    for rank, passage in enumerate(passages):
        chunk = passage.chunk
        for start, end in chunk.sentences or sentences_of(chunk.text, chunk.start):
            if (chunk.article_id, start, end) in seen:
                continue
            seen.add((chunk.article_id, start, end))
            text = chunk.text[start - chunk.start : end - chunk.start]
            figure = next((f for f in figures(text, analyse) if stem in f.thing), None)
            if figure is None:
                continue
            weight = sum(idf(t) for t in terms & set(analyse(text))) / total_idf
            weight += 0.25 if _TOTAL.search(text) else 0.0
            weight -= 0.5 if background(text, passage.published) else 0.0
            citation = Citation.of(0, chunk, start, end, round(passage.score, 4))
            found.append((-weight, -figure.value, rank, Evidence(text, citation, figure)))
    return [f[-1] for f in sorted(found, key=lambda f: f[:3])]

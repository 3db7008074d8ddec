"""Questions that need several articles: one retrieval per named source, entity or time, merged.

"Does the TechCrunch article report ... while The Verge says ...?" cannot be answered from the passages
one retrieval ranks best: they may all come from one outlet. The question is split by what it names:
- outlets the index holds ("The Verge", "TechCrunch"): one retrieval of the whole question per outlet,
  restricted to it (when two or more are named);
- otherwise, when the question compares reports (qa/asking/asked.py `compares_reports`), each
  named entity or person, then each date: one retrieval per name, of the question without the other
  names, so each ranking is drawn to one of them.
The whole question is always retrieved too. `merged` interleaves the rankings so that every part's
best passage from an article not yet represented comes first, then the rest round-robin, one passage
per chunk. The reading of the question is `named_in` alone (one place to switch to another reading).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from index.news.aliases import mentions
from index.news.dates import resolve_dates
from qa.asking.asked import Asked, read
from qa.types import Filters, Passage


@dataclass(frozen=True)
class Part:
    text: str  # what this retrieval searches for
    filters: Filters  # the question's filters, narrowed to one outlet for an outlet's part


@dataclass(frozen=True)
class Named:
    """What a question names, as (text, start) in order of appearance."""

    sources: tuple[tuple[str, int], ...]  # outlets of the index, as the index spells them
    names: tuple[tuple[str, int], ...]  # entities and people (gazetteer names and capitalised runs)
    times: tuple[tuple[str, int], ...]  # dates


def _source_pattern(source: str) -> re.Pattern[str]:
    core = re.sub(r"^(?i:the)\s+", "", source.strip())
    words = r"\s+".join(re.escape(w) for w in core.split())
    return re.compile(rf"(?<![\w-])(?:the\s+)?{words}(?![\w-])", re.I)


def named_sources(question: str, sources: Sequence[str]) -> list[tuple[str, int, int]]:
    """The outlets (of `sources`) `question` names, as (source, start, end), longest first."""
    found: list[tuple[str, int, int]] = []
    for source in sorted(sources, key=len, reverse=True):  # "CBS Sports" before "CBS"
        if len(source.strip()) < 2:
            continue
        match = _source_pattern(source).search(question)
        if match and not any(s <= match.start() < e for _, s, e in found):
            found.append((source, match.start(), match.end()))
    return found


def named_in(question: str, sources: Sequence[str], asked: Asked | None = None) -> Named:
    """The outlets (of `sources`), names and dates `question` names (its names as the one reading
    of the question, qa/asking/asked.py, finds them)."""
    found_sources = named_sources(question, sources)

    def outside(start: int) -> bool:
        return not any(s <= start < e for _, s, e in found_sources)

    names = [(question[s:e], s) for _, s, e in mentions(question) if outside(s)]
    for name in (asked or read(question)).constraints.names:
        start = question.find(name.split()[0])
        if start >= 0 and outside(start) and all(name not in n for n, _ in names):
            names.append((name, start))
    times = [(question[m.start : m.end], m.start) for m in resolve_dates(question, None)]
    return Named(
        tuple(sorted(((s, start) for s, start, _ in found_sources), key=lambda s: s[1])),
        tuple(sorted(dict.fromkeys(names), key=lambda s: s[1])),
        tuple(sorted(dict.fromkeys(times), key=lambda s: s[1])),
    )


def _without(question: str, others: Sequence[str]) -> str:
    for other in others:
        question = question.replace(other, " ")
    return " ".join(question.split())


def parts(question: str, filters: Filters, sources: Sequence[str]) -> list[Part]:
    """The retrievals `question` needs: the whole question first, then one per named outlet, or
    (for a comparison of reports) per name or date; just the whole question when it names fewer
    than two of any."""
    whole = Part(question, filters)
    # outlets first: the names and dates (gazetteer, date parsing: most of the cost) are read only
    # for a question that compares reports
    found = sorted(named_sources(question, sources), key=lambda s: s[1])
    outlets = list(dict.fromkeys(s for s, _, _ in found))
    if len(outlets) >= 2 and not filters.sources:
        return [whole, *(Part(question, replace(filters, sources=(s,))) for s in outlets)]
    asked = read(question)
    if not asked.compares_reports:
        return [whole]
    named = named_in(question, sources, asked)
    for anchors in (named.names, named.times):
        texts = list(dict.fromkeys(t for t, _ in anchors))
        if len(texts) >= 2:
            return [
                whole,
                *(Part(_without(question, [o for o in texts if o != t]), filters) for t in texts),
            ]
    return [whole]


def merged(
    rankings: Sequence[Sequence[Passage]], group_of: Callable[[str], str] = lambda a: a
) -> list[Passage]:
    """One ranking from several: first each ranking's best passage whose story (`group_of` an article
    id: its story group, or the article) is not yet represented, then the rest round-robin by rank,
    each chunk once."""
    chosen: list[Passage] = []
    seen: set[str] = set()
    stories: set[str] = set()
    for ranking in rankings:
        pick = next(
            (p for p in ranking if group_of(p.chunk.article_id) not in stories),
            None,
        )
        if pick is not None and pick.chunk.id not in seen:
            chosen.append(pick)
            seen.add(pick.chunk.id)
            stories.add(group_of(pick.chunk.article_id))
    depth = max((len(r) for r in rankings), default=0)
    for rank in range(depth):
        for ranking in rankings:
            if rank < len(ranking) and ranking[rank].chunk.id not in seen:
                chosen.append(ranking[rank])
                seen.add(ranking[rank].chunk.id)
    return chosen

"""Questions bounded in time: "What changed since 2 March 2020?", "before/after <date>", "as of <date>".

Pure. The date in the question becomes `Filters.published_from` / `published_to`, so the answer comes
from the articles on the right side of it. A date without a year ("since 2 March") is the most recent
such date on or before the newest article of the index. Questions about now retrieve more passages, so
older and newer articles both reach the recency step (qa/extractive/recency.py).

A date in a question does not always bound the question. Left unbounded:
- a question that compares reports ("Was the X report published before 1 May consistent with the Y
  article?"): the date describes one of them, and bounding the search would drop the other;
- a record's baseline ("the highest level since 2001", "their first loss since January 2014");
- a date naming an event ("after the 2024 election") bounds by the event, inside that date: not
  "after 2024" but from its first day;
- a bound no dated article of the index falls outside ("by 2030", "since 1990" over 2023 news): it
  narrows nothing but would drop every article whose date is unknown.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from index.news.dates import DAY, resolve_dates, to_date
from qa.types import Filters

if TYPE_CHECKING:  # the reading of the question is built from this module's functions
    from qa.asking.asked import Asked

_BOUND = re.compile(
    r"\b(?P<word>since|after|before|prior to|until|till|up to|as of|by|as at|between)\s+(?P<the>the\s+)?$",
    re.I,
)
# A report named twice, or reports in the plural: the question compares reports.
_REPORT = re.compile(
    r"\b(?:(?P<many>reports|articles|stories|reviews|analyses|pieces)|reported|reporting|report"
    r"|article|coverage|review|analysis|story|piece)\b",
    re.I,
)
# "since" within a few words after a superlative or an ordinal starts a record, not a period.
_RECORD = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)"
    r"|highest|lowest|biggest|largest|smallest|greatest|best|worst|strongest|weakest|fastest"
    r"|slowest|deadliest|hottest|coldest|warmest|wettest|longest|shortest|most|least|fewest)"
    r"\b(?:\s+[\w'-]+){0,5}\s+since\s+(?:the\s+)?$",
    re.I,
)
# A date that names an event: "the 2024 election", "the March 3 vote" (a word follows the date).
_EVENT = re.compile(r"\s+[a-z]", re.I)
# More passages for questions about now or a period: the newest and the older figures both count.
WIDER_TOP_K = 12


_NOW = re.compile(
    r"\b(latest|current(ly)?|so far|still|now|to date|newest|most recent|up to date|yet|"
    r"at (the )?present|these days|as of|as at|since|changed|how many\b.*\b(have|has)\b)",
    re.I,
)


def is_about_now(question: str) -> bool:
    """ "What is the latest toll?", "How many have died so far?" - but not "Why now?", which asks
    for reasons, not for the newest state."""
    return bool(_NOW.search(question)) and not re.match(r"\s*why\b", question, re.I)


def _int(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def compares_reports(question: str) -> bool:
    """ "Between the X report ... and the Y review", "in reports by X": more than one report."""
    found = list(_REPORT.finditer(question))
    return len(found) > 1 or any(m["many"] for m in found)


def time_bounds(question: str, newest: int | None) -> tuple[int | None, int | None]:
    """(published_from, published_to) the question asks for, inclusive; None where unbounded."""
    if compares_reports(question):
        return None, None
    lower: int | None = None
    upper: int | None = None
    reference = to_date(newest) or date.today()
    mentions = resolve_dates(question, reference)
    for n, mention in enumerate(mentions):
        before = question[: mention.start]
        bound = _BOUND.search(before)
        if bound is None:
            if (
                n > 0
                and re.search(r"\band\s+$", before)
                and re.search(r"\bbetween\b", question, re.I)
            ):
                upper = _int(mention.last)  # "between X and Y"
            continue
        word = bound["word"].lower()
        if word == "since" and _RECORD.search(before):
            continue
        # "after the 2024 election": the date names an event somewhere inside it, so what came
        # after the event starts on the date's first day (and what came before ends on its last).
        event = bool(bound["the"]) and _EVENT.match(question[mention.end :]) is not None
        if word in ("since", "after"):
            # "since 2 March": what was reported after that day (the day itself is the baseline);
            # "since March": from its first day.
            since_start = (word == "since" and mention.granularity != DAY) or event
            lower = _int(mention.first if since_start else mention.last + timedelta(days=1))
        elif word in ("before", "prior to"):
            upper = _int(mention.last if event else mention.first - timedelta(days=1))
        elif word == "between":
            lower = _int(mention.first)
        else:  # until, up to, as of, by
            upper = _int(mention.last)
    return lower, upper


def scoped(
    asked: Asked,
    filters: Filters | None,
    top_k: int | None,
    newest: int | None,
    oldest: int | None = None,
) -> tuple[Filters, int | None]:
    """The filters and passage count for the question read as `asked`: its time bounds added to the caller's filters
    (a caller's own bound is kept where it is narrower). `oldest` and `newest` are the dates of the
    index's oldest and newest dated articles (yyyymmdd)."""
    filters = filters or Filters()
    lower, upper = asked.time_bounds(newest)
    # A bound that leaves every dated article in would only drop the undated ones.
    if lower is not None and oldest is not None and lower <= oldest:
        lower = None
    if upper is not None and newest is not None and upper >= newest:
        upper = None
    if lower is not None and (filters.published_from is None or lower > filters.published_from):
        filters = replace(filters, published_from=lower)
    if upper is not None and (filters.published_to is None or upper < filters.published_to):
        filters = replace(filters, published_to=upper)
    # A question comparing reports ("an article on the latest ... and a report on ...") is not about now.
    about_now = asked.about_now and not asked.compares_reports
    if about_now or lower is not None or upper is not None:
        top_k = max(top_k or 0, WIDER_TOP_K)
    return filters, top_k

"""Questions bounded in time: "What changed since 2 March 2020?", "before/after <date>", "as of <date>".

Pure. The date in the question becomes `Filters.published_from` / `published_to`, so the answer comes
from the articles on the right side of it. A date without a year ("since 2 March") is the most recent
such date on or before the newest article of the index. Questions about now retrieve more passages, so
older and newer articles both reach the recency step (qa/recency.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from index.dates import DAY, resolve_dates, to_date
from qa.recency import is_about_now
from qa.types import Filters

_BOUND = re.compile(
    r"\b(?P<word>since|after|before|prior to|until|till|up to|as of|by|as at|between)\s+(?:the\s+)?$",
    re.I,
)
# More passages for questions about now or a period: the newest and the older figures both count.
WIDER_TOP_K = 12


def _int(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def time_bounds(question: str, newest: int | None) -> tuple[int | None, int | None]:
    """(published_from, published_to) the question asks for, inclusive; None where unbounded."""
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
        if word in ("since", "after"):
            # "since 2 March": what was reported after that day (the day itself is the baseline);
            # "since March": from its first day.
            since_start = word == "since" and mention.granularity != DAY
            lower = _int(mention.first if since_start else mention.last + timedelta(days=1))
        elif word in ("before", "prior to"):
            upper = _int(mention.first - timedelta(days=1))
        elif word == "between":
            lower = _int(mention.first)
        else:  # until, up to, as of, by
            upper = _int(mention.last)
    return lower, upper


def scoped(
    question: str, filters: Filters | None, top_k: int | None, newest: int | None
) -> tuple[Filters, int | None]:
    """The filters and passage count for `question`: its time bounds added to the caller's filters
    (a caller's own bound is kept where it is narrower)."""
    filters = filters or Filters()
    lower, upper = time_bounds(question, newest)
    if lower is not None and (filters.published_from is None or lower > filters.published_from):
        filters = replace(filters, published_from=lower)
    if upper is not None and (filters.published_to is None or upper < filters.published_to):
        filters = replace(filters, published_to=upper)
    if is_about_now(question) or lower is not None or upper is not None:
        top_k = max(top_k or 0, WIDER_TOP_K)
    return filters, top_k

"""Time: weekdays, months, years and relative dates must be the passage's.

Mentions are read as (kind, value): ("weekday", "friday"), ("month", "november"), ("year", "2015").
Relative dates are resolved against the article's publication date (Passage.published, yyyymmdd):
"yesterday" in an article of Saturday 2024-11-30 is ("weekday", "friday") and ("date", "2024-11-29"),
"last year" is the year before. The publication date itself is known to the reader, so its weekday,
month and year count as stated. A claim's mention fails when no cited passage states it: "the
passage says Friday" when the passage has another value of that kind, "no cited passage gives ..."
otherwise. Unresolvable relative words (no publication date) must appear as such in the passage.
"""

from __future__ import annotations

import datetime as dt
import re

from index.news.dates import (
    DAY,
    MONTH,
    MONTH_NAMES,
    PATTERNS,
    RELATIVE_KINDS,
    WEEK,
    WEEKDAY_NAMES,
    DateMention,
    resolve_dates,
    to_date,
)

WEEKDAYS = WEEKDAY_NAMES
MONTHS = MONTH_NAMES
_MONTH_ABBR = {m[:3]: m for m in MONTHS} | {"sept": "september"}
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)
_MONTH = re.compile(
    r"\b(" + "|".join(MONTHS) + r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.)(?=\W|$)",
    re.I,
)
_YEAR = re.compile(r"(?<![\w.,$€£-])(1[89]\d\d|20\d\d)(?![\w%]|[.,]\d)")
Mention = tuple[str, str]


def _of_day(day: dt.date) -> set[Mention]:
    return {("weekday", WEEKDAYS[day.weekday()]), ("date", day.isoformat())} | _of_month(day)


def _of_month(day: dt.date) -> set[Mention]:
    return {("month", MONTHS[day.month - 1]), ("year", str(day.year))}


def _of_range(mention: DateMention) -> set[Mention]:
    """A resolved relative date as the mentions it makes: a day, a week, a month or a year."""
    if mention.granularity == DAY:
        return _of_day(mention.first)
    if mention.granularity == WEEK:
        monday = mention.first - dt.timedelta(days=mention.first.weekday())
        return {("week", monday.isoformat())}
    if mention.granularity == MONTH:
        return _of_month(mention.first)
    return {("year", str(mention.first.year))}


def _relative(text: str, today: dt.date | None) -> set[Mention]:
    """ "yesterday", "last week", "two days ago" resolved by index/news/dates.py against the day of
    publication; without one, the words themselves."""
    if today is None:
        return {
            ("relative", " ".join(match.group(0).lower().split()))
            for kind, pattern in PATTERNS
            if kind in RELATIVE_KINDS
            for match in pattern.finditer(text)
        }
    found: set[Mention] = set()
    for mention in resolve_dates(text, today):
        if mention.kind in RELATIVE_KINDS:
            found |= _of_range(mention)
    return found


def mentions(text: str, published: int | None) -> set[Mention]:
    """The time mentions of `text`, relative ones resolved against `published`."""
    today = to_date(published)
    found: set[Mention] = set()
    for match in _WEEKDAY.finditer(text):
        found.add(("weekday", match.group(1).lower()))
    for match in _MONTH.finditer(text):
        word = match.group(1).lower().rstrip(".")
        if (
            word == "may"
            and not re.match(r"\s+\d", text[match.end() :])
            and match.group(1) != "May"
        ):
            continue  # the modal verb
        if word == "may" and match.start() == 0:
            continue  # "May the ..." opening a sentence
        found.add(("month", _MONTH_ABBR.get(word, word)))
    for match in _YEAR.finditer(text):
        found.add(("year", match.group(1)))
    return found | _relative(text, today)


def known(cited_text: str, published: int | None) -> set[Mention]:
    """What the cited passages and their publication date state."""
    stated = mentions(cited_text, published)
    today = to_date(published)
    if today is not None:
        stated |= _of_day(today)
        monday = today - dt.timedelta(days=today.weekday())
        stated.add(("week", monday.isoformat()))
        # A weekday named in the article is one of the seven days up to publication.
        for kind, value in list(stated):
            if kind == "weekday":
                back = (today.weekday() - WEEKDAYS.index(value)) % 7
                stated |= _of_day(today - dt.timedelta(days=back))
    return stated


def check_time(claim: str, sentence: str, cited_text: str, published: int | None) -> str | None:
    """Why a time in the claim is not the passage's, or None."""
    mine = mentions(claim, published)
    if not mine:
        return None
    stated = known(cited_text, published)
    near = mentions(sentence, published)
    for kind, value in sorted(mine):
        if (kind, value) in stated:
            continue
        weekday = (
            ("weekday", WEEKDAYS[dt.date.fromisoformat(value).weekday()])
            if kind == "date"
            else None
        )
        if weekday and weekday in mine and weekday in stated:
            continue  # "yesterday" checked through its weekday
        other = sorted(v for k, v in near if k == kind) or sorted(v for k, v in stated if k == kind)
        if kind in ("date", "week"):
            return f"time differs: the claim's {kind} ({value}) is not the passage's"
        if other:
            return f"time differs: the passage says {other[0].title()}, not {value.title()}"
        return f"time not stated: no cited passage gives {value.title()}"
    return None

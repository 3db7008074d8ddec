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

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MONTH_ABBR = {m[:3]: m for m in MONTHS} | {"sept": "september"}
_RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}
_RELATIVE = re.compile(
    r"\b(?:(last|this|next|past)\s+(week|month|year|weekend)|(yesterday|today|tomorrow|tonight)|"
    r"(a|one|two|three)\s+(days?|weeks?|months?|years?)\s+ago)\b",
    re.I,
)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)
_MONTH = re.compile(
    r"\b(" + "|".join(MONTHS) + r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.)(?=\W|$)",
    re.I,
)
_YEAR = re.compile(r"(?<![\w.,$€£-])(1[89]\d\d|20\d\d)(?![\w%]|[.,]\d)")
_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3}
Mention = tuple[str, str]


def _date(published: int | None) -> dt.date | None:
    if not published:
        return None
    text = f"{published:08d}"
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _of_day(day: dt.date) -> set[Mention]:
    return {("weekday", WEEKDAYS[day.weekday()]), ("date", day.isoformat())} | _of_month(day)


def _of_month(day: dt.date) -> set[Mention]:
    return {("month", MONTHS[day.month - 1]), ("year", str(day.year))}


def _relative(match: re.Match[str], today: dt.date | None) -> set[Mention]:
    word = match.group(0).lower()
    if today is None:
        return {("relative", " ".join(word.split()))}
    if match.group(3):
        return _of_day(today + dt.timedelta(days=_RELATIVE_DAYS[match.group(3).lower()]))
    if match.group(4):
        count, unit = _COUNTS[match.group(4).lower()], match.group(5).lower().rstrip("s")
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * count
        return _of_day(today - dt.timedelta(days=days)) if unit == "day" else set()
    which, unit = match.group(1).lower(), match.group(2).lower()
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
    if unit == "year":
        return {("year", str(today.year + step))}
    if unit == "month":
        month = (today.month - 1 + step) % 12
        year = today.year + (today.month - 1 + step) // 12
        return {("month", MONTHS[month]), ("year", str(year))}
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=step)
    return {("week", monday.isoformat())}


def mentions(text: str, published: int | None) -> set[Mention]:
    """The time mentions of `text`, relative ones resolved against `published`."""
    today = _date(published)
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
    for match in _RELATIVE.finditer(text):
        found |= _relative(match, today)
    return found


def known(cited_text: str, published: int | None) -> set[Mention]:
    """What the cited passages and their publication date state."""
    stated = mentions(cited_text, published)
    today = _date(published)
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

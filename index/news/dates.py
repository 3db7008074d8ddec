"""The dates a sentence mentions, resolved against its article's publication date.

Pure functions. News writes "on Wednesday", "yesterday", "last week", "in March" and "29 November"
relative to the day the article appeared; the reader (and the answerer) needs the calendar date.
A weekday, month or day-and-month without a year is the most recent one on or before publication,
unless the sentence speaks of the future ("will ... on Monday", "is scheduled for March"), then the
next one on or after it. Each mention is a `DateMention`: its span in the sentence, the first and
last day it covers and its granularity (day, week, month, year).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"
EVENT_WINDOW_DAYS = (
    62  # how far back a news sentence's date is still the story's event, not background
)

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
# The one list of month and weekday names, lower-case and in calendar order; every list or pattern
# of them in index/ and qa/ is built from these two.
MONTH_NAMES = tuple(name.lower() for name in calendar.month_name if name)
WEEKDAY_NAMES = tuple(WEEKDAYS)
# The full names of months and weekdays, lower-case: capitalised words that are never a name.
CALENDAR_WORDS = frozenset(MONTH_NAMES + WEEKDAY_NAMES)

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH2 = _MONTH.replace("?P<month>", "?P<month2>")
_DAYNUM = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# Order matters only for overlaps: the longest match wins, then the earliest pattern.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAYNUM},?\s+{_YEAR}\b")),
    ("dmy", re.compile(rf"\b{_DAYNUM}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b")),
    (
        "wmd",
        re.compile(
            rf"\b{_WEEKDAY},?\s+(?:the\s+)?(?:{_MONTH}\s+{_DAYNUM}|{_DAYNUM.replace('day>', 'day2>')}\s+(?:of\s+)?{_MONTH2})\b(?![,\s]*(?:1[89]|20)\d\d)"
        ),
    ),
    ("md", re.compile(rf"\b{_MONTH}\s+{_DAYNUM}\b(?![,\s]*(?:1[89]|20)\d\d)(?!\s*(?:%|percent))")),
    ("dm", re.compile(rf"\b{_DAYNUM}\s+(?:of\s+)?{_MONTH}\b(?![,\s]*(?:1[89]|20)\d\d)")),
    ("my", re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b")),
    # A month alone needs a preposition before it ("may" and "March" are also ordinary words).
    (
        "m",
        re.compile(
            rf"\b(?P<lead>in|since|until|till|by|from|during|through|early|late|mid|of|last|this|next|before|after|between|to|and|or)[-\s]+(?:early|late|mid[-\s]?)?{_MONTH}\b(?![,\s]*(?:of\s+)?(?:1[89]|20)\d\d)(?!\s+[0-3]?\d\b)(?!['’]s\b)"
        ),
    ),
    (
        "y",
        re.compile(
            r"(?<![\d,.$£€#-])\b(?P<year>(?:19|20)\d\d)\b(?![\d,.]\d|%|-\d|\s*(?:percent|people|cases|votes|years?\b|-year))"
        ),
    ),
    ("weekday", re.compile(rf"\b(?P<rel>last|this|next|on|past|coming)?\s*\b{_WEEKDAY}\b")),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    (
        "relunit",
        re.compile(
            r"\b(?P<mod>(?:earlier|later) this|last|this|next|past|previous|coming|the following)\s+(?P<unit>week|weekend|month|year)\b",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<unit>day|week|month|year)s?\s+ago\b",
            re.I,
        ),
    ),
]

# The patterns that need the publication date whatever the sentence says ("yesterday", "last
# week", "two days ago"): a weekday or a month is named, these only point from the day of writing.
RELATIVE_KINDS = frozenset({"yesterday", "today", "tomorrow", "relunit", "ago"})

# Words before a mention that put it in the future.
_FUTURE = re.compile(
    r"\b(will|won't|shall|'ll|is to|are to|is due|are due|due to|scheduled|expected to|plans? to|"
    r"planned|set to|going to|upcoming|would|next)\b",
    re.I,
)
_PAST_NEAR = re.compile(r"\b(was|were|had|did|said|announced|reported|died|ago|last)\b", re.I)


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets in the sentence
    end: int
    text: str
    first: date
    last: date
    granularity: str
    kind: str = ""  # the pattern that found it: "yesterday", "relunit", "mdy", ... (see PATTERNS)

    def iso(self) -> str:
        """ "2024-11-27" for a day, "2024-11" for a month, "2024" for a year, "first/last" else."""
        if self.granularity == DAY and self.first == self.last:
            return self.first.isoformat()
        if (
            self.granularity == MONTH
            and self.first.day == 1
            and (self.last + timedelta(1)).day == 1
        ):
            return self.first.isoformat()[:7]
        if self.granularity == YEAR and (self.first, self.last) == _year(self.first.year):
            return str(self.first.year)
        return f"{self.first.isoformat()}/{self.last.isoformat()}"


def to_date(published: int | str | date | None) -> date | None:
    """20241129, "20241129", "2024-11-29" or a date -> a date; None when not a real date."""
    if published is None or isinstance(published, date):
        return published
    digits = str(published).replace("-", "")
    if len(digits) != 8 or not digits.isdigit() or int(digits) <= 0:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def iso_of(published: int | None) -> str | None:
    day = to_date(published)
    return day.isoformat() if day else None


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _future(sentence: str, start: int) -> bool:
    """Is the mention at `start` said of the future? Looks at the clause before it."""
    before = sentence[max(0, start - 120) : start]
    before = re.split(r"[;:]|\b(?:after|when|since|but)\b", before)[-1]
    future = list(_FUTURE.finditer(before))
    if not future:
        return False
    past = [m for m in _PAST_NEAR.finditer(before) if m.start() > future[-1].start()]
    return not past


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_month(month: int, day: int, pub: date, future: bool) -> date | None:
    """The day-and-month without a year nearest publication on the side the tense says."""
    options = [
        d for y in (pub.year - 1, pub.year, pub.year + 1) if (d := _safe_date(y, month, day))
    ]
    if not options:
        return None
    if future:
        after = [d for d in options if d >= pub - timedelta(days=3)]
        return min(after) if after else None
    # A date a few days after publication is usually an embargoed or time-zone shifted "today".
    before = [d for d in options if d <= pub + timedelta(days=3)]
    soon = [d for d in options if pub < d <= pub + timedelta(days=60)]
    if soon and (not before or (pub - max(before)).days > 180):
        return min(soon)  # "the January 7 quake" in late December is the coming one only if near
    return max(before) if before else None


def _resolve(
    kind: str, m: re.Match[str], sentence: str, pub: date
) -> tuple[date, date, str] | None:
    future = _future(sentence, m.start())
    groups = m.groupdict()
    month = MONTHS.get((groups.get("month") or "").lower().rstrip("."))
    if kind == "iso":
        day = _safe_date(int(m["year"]), int(m["mnum"]), int(m["day"]))
        return (day, day, DAY) if day else None
    if kind in ("mdy", "dmy"):
        day = _safe_date(int(m["year"]), month or 0, int(m["day"]))
        return (day, day, DAY) if day else None
    if kind == "wmd":
        month = month or MONTHS[m["month2"].lower().rstrip(".")]
        number = int(m["day"] or m["day2"])
        weekday = WEEKDAYS[m["weekday"].lower()]
        options = [
            d for y in (pub.year - 1, pub.year, pub.year + 1) if (d := _safe_date(y, month, number))
        ]
        matching = [d for d in options if d.weekday() == weekday]
        day = min(matching or options, key=lambda d: abs((d - pub).days), default=None)
        return (day, day, DAY) if day else None
    if kind in ("md", "dm"):
        if not 1 <= int(m["day"]) <= 31:
            return None
        day = _day_month(month or 0, int(m["day"]), pub, future)
        return (day, day, DAY) if day else None
    if kind == "my":
        return (*_month_range(int(m["year"]), month or 1), MONTH)
    if kind == "m":
        assert month
        lead = m["lead"].lower()
        if lead in ("next",) or (future and lead != "last"):
            year = pub.year if month >= pub.month else pub.year + 1
        elif lead == "this":
            year = pub.year
        else:
            year = pub.year if month <= pub.month else pub.year - 1
            if lead == "last" and month == pub.month:
                year -= 1
        return (*_month_range(year, month), MONTH)
    if kind == "y":
        year = int(m["year"])
        return date(year, 1, 1), date(year, 12, 31), YEAR
    if kind == "weekday":
        target = WEEKDAYS[m["weekday"].lower()]
        rel = (m["rel"] or "").lower()
        if rel in ("next", "coming") or (future and rel not in ("last", "past")):
            delta = (target - pub.weekday()) % 7
            if rel == "next" and delta == 0:
                delta = 7
            day = pub + timedelta(days=delta)
        else:
            delta = (pub.weekday() - target) % 7
            if rel in ("last", "past") and delta == 0:
                delta = 7
            day = pub - timedelta(days=delta)
        return day, day, DAY
    if kind == "yesterday":
        day = pub - timedelta(days=1)
        return day, day, DAY
    if kind == "today":
        return pub, pub, DAY
    if kind == "tomorrow":
        day = pub + timedelta(days=1)
        return day, day, DAY
    if kind == "relunit":
        mod = m["mod"].lower()
        unit = m["unit"].lower()
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(mod, 0)
        if mod == "the following":
            step = 1
        if unit in ("week", "weekend"):
            first, last = _week_of(pub + timedelta(weeks=step))
            if unit == "weekend":
                first = last - timedelta(days=1)
                if step == 0 and pub.weekday() < 5 and not future:
                    first, last = first - timedelta(days=7), last - timedelta(days=7)
            return first, last, WEEK
        if unit == "month":
            first, last = _month_range(*_ym(_shift_months(pub.replace(day=1), step)))
            if mod.startswith("earlier"):
                last = pub
            elif mod.startswith("later"):
                first = pub
            return first, last, MONTH
        year = pub.year + step
        first, last = date(year, 1, 1), date(year, 12, 31)
        if mod.startswith("earlier"):
            last = pub
        elif mod.startswith("later"):
            first = pub
        return first, last, YEAR
    if kind == "ago":
        n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"].lower()]
        unit = m["unit"].lower()
        if unit == "day":
            day = pub - timedelta(days=n)
            return day, day, DAY
        if unit == "week":
            return (*_week_of(pub - timedelta(weeks=n)), WEEK)
        if unit == "month":
            return (*_month_range(*_ym(_shift_months(pub, -n))), MONTH)
        return date(pub.year - n, 1, 1), date(pub.year - n, 12, 31), YEAR
    return None


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month


def resolve_dates(sentence: str, published: int | str | date | None) -> list[DateMention]:
    """Every date `sentence` mentions, in order. Without a publication date only the mentions that
    carry their own year (explicit dates, "March 2020", "2019") are resolved."""
    pub = to_date(published)
    found: list[tuple[int, int, int, str, re.Match[str]]] = []
    for order, (kind, pattern) in enumerate(PATTERNS):
        for m in pattern.finditer(sentence):
            start = m.start("weekday") if kind == "weekday" and not m["rel"] else m.start()
            found.append((start, m.end(), order, kind, m))
    # Longest first, then by pattern order; a span that overlaps a kept one is dropped.
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2]))
    kept: list[DateMention] = []
    for start, end, _, kind, m in found:
        if any(start < k.end and k.start < end for k in kept):
            continue
        if pub is None and kind not in ("iso", "mdy", "dmy", "my", "y"):
            continue
        resolved = (
            _resolve(kind, m, sentence, pub) if pub else _resolve(kind, m, sentence, date.min)
        )
        if resolved is None:
            continue
        first, last, granularity = resolved
        kept.append(DateMention(start, end, sentence[start:end], first, last, granularity, kind))
    return sorted(kept, key=lambda k: k.start)


@functools.lru_cache(maxsize=20000)
def sentence_dates(sentence: str, published: int | None) -> tuple[str, ...]:
    """The ISO forms of the dates a sentence mentions (cached: answers ask for the same ones)."""
    return tuple(m.iso() for m in resolve_dates(sentence, published))


def event_day(sentence: str, published: int | None) -> tuple[date, str] | None:
    """The day a news sentence reports happening, with the mention it comes from: the first
    day-granular date it mentions within two months before or a week after publication (a background
    "in 1991" is not the event's day)."""
    pub = to_date(published)
    if pub is None:
        return None
    for mention in resolve_dates(sentence, pub):
        if mention.granularity != DAY:
            continue
        if pub - timedelta(days=EVENT_WINDOW_DAYS) <= mention.first <= pub + timedelta(days=7):
            return mention.first, mention.text
    return None


@functools.lru_cache(maxsize=4096)  # old stores (no notes stored) frame a story again every turn
def date_notes(text: str, published: int | None) -> str | None:
    """The relative dates of a passage resolved, for the LLM's prompt: '"on Wednesday" = 2024-11-27;
    "last week" = 2024-11-18/2024-11-24'. None when the passage has none (explicit dates need no
    note). Worked out at ingest (index/chunking.py) and stored with the chunk: resolving a passage
    costs about a millisecond, and a prompt frames dozens."""
    notes = [
        f'"{m.text}" = {m.iso()}'
        for m in resolve_dates(" ".join(text.split()), published)
        if not any(ch.isdigit() for ch in m.text) or "ago" in m.text
    ]
    return "; ".join(dict.fromkeys(notes)) or None

"""The type of answer a factoid question asks for, and whether a sentence holds one.

"How many ..." wants a number, "How much is it worth?" an amount of money (or a share of GDP, or
the news that the figure was not disclosed), "How far?" a distance, "How long?" a duration or a
length, "By how much?" a margin, "What share?" a percentage, "When?" a date, a time of day or the
event it followed, "Where?" and "Which countries?" a place, "What is it called?" a name, "What was
her time?" a race time, "What is the temperature?" a temperature. Numbers count whether written in
figures or words ("twenty", "some 12,000", "900 million złotys"). The scorer (qa/extractive/compose.py)
prefers a sentence holding the type and lets it answer the question's asking words ("how many",
"when"); the constraints (qa/asking/constraints.py) refuse an answer without it. Pure functions.
"""

from __future__ import annotations

import re

from index.news.dates import MONTH_NAMES, WEEKDAY_NAMES
from qa.words import word_set

COUNT, MONEY, DISTANCE, DURATION, SIZE, SPEED, MARGIN, SHARE = (
    "count", "money", "distance", "duration", "size", "speed", "margin", "share",
)  # fmt: skip
DATE, PLACE, NAME, RACE_TIME, TEMPERATURE = "date", "place", "name", "race_time", "temperature"
FUTURE_DATE = "future_date"

# Words of a question that only ask for the type: a sentence holding the type answers them. With
# the interrogatives go the nouns that name the type ("which countries", "what year") and the
# frame of a factoid question, its auxiliaries and "happen" ("Where did it happen?").
ASKING_WORDS = word_set(
    """how many much far away long fast tall high deep wide big large heavy old strong when where
    which what share percentage proportion country countries city cities town towns place places
    region regions province provinces nationality nationalities destination destinations year
    day date month do does did is are was were has have had will would happen happened happens
    occur occurred"""
)

_SMALL = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_SCALE = r"hundreds?|thousands?|millions?|billions?|trillions?|dozens?|scores"
_UNITS_VALUE = {
    w: i
    for i, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]
    )
}  # fmt: skip
_TENS_VALUE = {
    w: 10 * i
    for i, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2
    )
}  # fmt: skip
# A count written in words, from two on ("one" is as often "one of" or "one day" as a count).
COUNT_WORDS = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|"
    r"seven|eight|nine))?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)


def number_value(text: str) -> float | None:
    """ "1,426" -> 1426.0, "2.5" -> 2.5, "twenty" -> 20.0, "forty-two" -> 42.0; None otherwise."""
    raw = text.lower().replace(",", "")
    try:
        return float(raw)
    except ValueError:
        pass
    tens, _, unit = raw.partition("-")
    if tens in _TENS_VALUE and (not unit or unit in _UNITS_VALUE):
        return float(_TENS_VALUE[tens] + _UNITS_VALUE.get(unit, 0))
    return float(_UNITS_VALUE[raw]) if raw in _UNITS_VALUE else None


_NUM = rf"(?:\d[\d,.]*|(?:{_SMALL})(?:-(?:{_SMALL}))?|an?|a few|several|{_SCALE})"
# "no one", "one another", "one of them" count nothing; "hundreds of" does.
HAS_NUMBER = re.compile(
    rf"\d|\b(?:{_SMALL.removeprefix('one|')}|{_SCALE}|half|a third|a quarter|several)\b"
    r"|(?<!\bno )(?<!\bany )\bone\b(?! another\b)(?! of\b)",
    re.IGNORECASE,
)


def _quantity(units: str) -> re.Pattern[str]:
    """A number, then at most two words ("33 Earth days", "twenty working days"), then a unit."""
    return re.compile(
        rf"(?<![\w.])(?:{_NUM})(?:\s+(?:million|billion|thousand))?(?:[\s-]+[\w'’]+){{0,2}}?[\s-]*"
        rf"(?:{units})(?![\w])",
        re.IGNORECASE,
    )


_LENGTH_UNITS = (
    r"km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|feet|foot|ft|yards?|light[- ]years?|parsecs?|"
    r"astronomical units?|nautical miles?|inches|inch|cm|centimet(?:er|re)s?|mm|millimet(?:er|re)s?"
)
_DURATION_UNITS = r"seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?|decades?|centur(?:y|ies)"
_SIZE_UNITS = (
    _LENGTH_UNITS + r"|storeys?|stories|floors?|tonnes?|tons?|kilograms?|kg|lbs?|pounds|acres?|"
    r"hectares?|square \w+|km2|sq \w+|litres?|liters?|gallons?|barrels?"
)
_SPEED_UNITS = r"mph|km/h|kph|knots|m/s|(?:kilomet(?:er|re)s?|km|miles|met(?:er|re)s?) (?:per|an) (?:hour|second)"
_CURRENCY = (
    r"dollars?|euros?|pounds?(?: sterling)?|yen|yuan|renminbi|rupees?|rubles?|roubles?|francs?|"
    r"pesos?|rand|lira|lire|shekels?|dinars?|dirhams?|riyals?|rials?|ringgits?|baht|naira|"
    r"kron(?:a|e|or|er)|z[łl]ot(?:y|ys|ies|ych)|forints?|lei|leu|koruna|hryvnias?|tala|kwacha|"
    r"cedis?|shillings?|taka|rupiah|reais"
)
_MONEY = re.compile(
    rf"[$€£¥₹]\s?\d|\b(?:us|nz|au|a|c|hk)\$|{_quantity(_CURRENCY).pattern}|"
    r"\b(?:USD|EUR|GBP|JPY|CNY|INR|CHF|AUD|CAD|NZD|PLN|HUF|SEK|NOK|DKK|RUB)\b",
    re.IGNORECASE,
)
# A share of the economy or of a budget answers "how much does X spend".
_SHARE_OF = re.compile(
    r"\d[\d.,]*\s*(?:%|percent|per cent) of (?:its |the |their |national )?(?:gdp|gross domestic product|budget|revenues?|income|spending|economy)",
    re.IGNORECASE,
)
# "the exact figure was kept secret", "terms were not disclosed": the article's answer is that
# nobody knows the amount.
_UNDISCLOSED = re.compile(
    r"\b(?:undisclosed|not (?:been )?(?:disclosed|revealed|made public)|kept (?:secret|confidential)|"
    r"(?:did not|declined to|refused to) (?:disclose|reveal))\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(
    r"\d[\d.,]*\s*(?:%|percent\b|per cent\b)|\b(?:half|a third|two[- ]thirds|a quarter|three[- ]quarters|one in \w+)\b",
    re.IGNORECASE,
)
_COMPARATIVE = re.compile(
    r"\b(?:faster|slower|quicker|more|less|fewer|higher|lower|ahead|behind|longer|shorter|bigger|"
    r"smaller|larger|than|margin|up|down|increased?|rose|fell|dropped|gained|lost)\b",
    re.IGNORECASE,
)
# "passed by 12 votes", "fell by 3%": the amount a thing won or changed by.
_BY_AMOUNT = re.compile(
    rf"\bby\s+(?:(?:some|about|around|nearly|almost|just|only|more than|less than|over)\s+)?"
    rf"(?:{_NUM})(?![\w])",
    re.IGNORECASE,
)
# 2:14:04 or 2:05 as a result, not "7:37 p.m." as a time of day.
_RACE_TIME = re.compile(
    r"(?<![\w:])\d{1,2}:\d\d(?::\d\d)?(?:\.\d+)?(?![\w:])(?!\s*[ap]\.?m\b)", re.I
)
_TEMPERATURE = re.compile(r"°|\b(?:degrees?|celsius|fahrenheit|kelvin)\b", re.IGNORECASE)
_MONTHS = "|".join(MONTH_NAMES) + r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_WEEKDAYS = "|".join(WEEKDAY_NAMES)
HAS_DATE = re.compile(
    rf"\b(?:\d{{4}}|{_WEEKDAYS}|{_MONTHS}|yesterday|"
    r"today|tonight|tomorrow|last (?:week|month|year|night)|this (?:week|month|year|morning)|"
    r"next (?:week|month|year)|(?:\d+|a|one|two|three|several) (?:days?|weeks?|months?|years?) "
    r"(?:ago|later|earlier|before|after)|earlier|later|since|until|decades?|centur(?:y|ies)|"
    r"morning|evening|night|hours?|days?|weeks?|months?|years?|weekend|season|dawn|noon|midnight)\b"
    # a time of day: "at 7:37 p.m." (the full stop ends the abbreviation, not a word)
    r"|\b\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.?|p\.m\.?)(?!\w)",
    re.IGNORECASE,
)
# "only secured after Bloomberg contacted Facebook": the event a thing happened after answers when.
_RELATIVE = re.compile(
    r"\b(?i:after|before|following|once|prior to)\s+(?:[A-Z][\w'’.-]+|(?i:the|a|an|his|her|their|its)\b)"
)
# "When will they vote?" is not answered by what happened on Monday.
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|'ll|is to|are to|is due|are due|due to|scheduled|expected|plans? to|"
    r"planned|set to|going to|upcoming|next|later this|by the end of)\b",
    re.IGNORECASE,
)
_NOT_PLACE = re.compile(rf"^(?:{_MONTHS}|{_WEEKDAYS}|a\.m|p\.m)$", re.IGNORECASE)
# A place: a capitalised name after a preposition of place ("near Santa Cruz Island", "at Abqaiq",
# "from Afghanistan"), or a list of them after "including".
_PLACE = re.compile(
    r"(?<![Aa]ccording )\b(?:in|at|near|off|outside|inside|from|to|into|across|towards?|around|between|including)\s+"
    r"(?:the\s+)?([A-Z][\w'’.-]+)"
)
_NAMING = re.compile(
    r"\b(?:named|called|dubbed|nicknamed|known as|titled|code-?named|renamed)\s+"
    r"(?:it\s+|him\s+|her\s+|them\s+|the\s+)?[\"“'‘]?[A-Z0-9]"
)

_MONEY_WORDS = (
    r"cost|costs|costing|fined?|pay|paid|worth|price|spen[dt]|spending|raised?|budget|charged?|"
    r"invest(?:ed)?|compensation|value|sell|sold|buy|bought|earn(?:ed|s)?|money|funding|loan"
)
_MEASURE_NOUNS = {
    "temperature": TEMPERATURE,
    "time": RACE_TIME,
    "toll": COUNT,
    "population": COUNT,
    "score": COUNT,
    "age": COUNT,
    "turnout": COUNT,
    "price": MONEY,
    "cost": MONEY,
    "value": MONEY,
    "fine": MONEY,
    "salary": MONEY,
    "budget": MONEY,
    "distance": DISTANCE,
    "height": SIZE,
    "length": SIZE,
    "depth": SIZE,
    "size": SIZE,
    "weight": SIZE,
    "speed": SPEED,
    "share": SHARE,
    "percentage": SHARE,
    "rate": SHARE,
}
# Each pattern reads the question from its interrogative on (see `_LEAD`): the type is what the
# question opens by asking, not a "when" or "where" inside one of its clauses.
_QUESTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (MARGIN, re.compile(r"^by how (?:much|many)\b")),
    (MONEY, re.compile(rf"^how much\b.*\b(?:{_MONEY_WORDS})\b|^how much money\b")),
    (DISTANCE, re.compile(r"^how far\b|^(?:what|which) distance\b")),
    (
        DURATION,
        re.compile(r"^how long\b|^for how (?:long|many (?:days|weeks|months|years|hours))\b"),
    ),
    (SPEED, re.compile(r"^how fast\b|^(?:what|which) speed\b")),
    (SIZE, re.compile(r"^how (?:tall|high|deep|wide|big|large|heavy)\b")),
    (COUNT, re.compile(r"^how (?:old|strong)\b")),
    (SHARE, re.compile(r"^(?:what|which) (?:share|percentage|proportion|fraction|percent)\b")),
    (COUNT, re.compile(r"^how (?:many|much)\b|^what(?:'s| is| was) the (?:total )?number of\b")),
    (
        FUTURE_DATE,
        re.compile(
            r"^when (?:will|would|shall|is \S+ (?:due|expected|scheduled|going)|are \S+ (?:due|expected|scheduled|going))\b"
        ),
    ),
    (
        DATE,
        re.compile(
            r"^(?:since )?when\b|^(?:in |on |at )?(?:what|which) (?:year|day|date|month|time)\b"
        ),
    ),
    (
        PLACE,
        re.compile(
            r"^(?:from |to )?where\b|^(?:in |at |to |from )?(?:which|what) (?:country|countries|city|"
            r"cities|towns?|places?|regions?|provinces?|states|nationalit(?:y|ies)|destinations?)\b"
        ),
    ),
    (NAME, re.compile(r"^what(?:'s| is| was| are| were) .*\b(?:called|named|known as)$")),
)
# What may come before the interrogative: "And how many ...", "So, when ...", "According to the
# police, how many ..." (a clause that is itself the question, "Who is the man, where ...", is not).
_LEAD = re.compile(
    r"^(?:(?:and|so|but|then|also|ok|okay|well)\b[,\s]*)*"
    r"(?:(?!(?:what|who|whom|whose|when|where|which|why|how)\b)[^,?]{1,60},\s*)?"
)
MEASURE_WORDS = 8  # "What is the planet's surface temperature?"; longer ones end on other clauses
_MEASURE = re.compile(r"^what(?:'s| is| was| are| were) (?:.+\s)?(?P<noun>[a-z]+)$")


def wanted(question: str) -> str | None:
    """The type of answer the question asks for, or None when it asks for no particular type."""
    q = " ".join(question.lower().split()).rstrip(" ?.!")
    for text in dict.fromkeys((q, _LEAD.sub("", q, count=1))):
        for kind, pattern in _QUESTIONS:
            if pattern.search(text):
                return kind
        match = _MEASURE.match(text) if len(text.split()) <= MEASURE_WORDS else None
        if match and match.group("noun") in _MEASURE_NOUNS:
            return _MEASURE_NOUNS[match.group("noun")]
    return None


_DISTANCE = _quantity(_LENGTH_UNITS)
_METRES = re.compile(r"\d\s?m(?![\w.])")  # "23 m": metres only right after a figure
_DURATION = _quantity(f"{_DURATION_UNITS}|{_LENGTH_UNITS}")  # "how long": a time or a length
_SIZE = _quantity(_SIZE_UNITS)
_SPEED = _quantity(_SPEED_UNITS)
_SPAN = _quantity(_DURATION_UNITS)
_MAGNITUDE = re.compile(r"\bmagnitude\b", re.IGNORECASE)


# "from Afghanistan, Eritrea, Libya, Syria and Yemen": a list of names answers "which countries".
_NAME_LIST = re.compile(
    r"\b[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?(?:,\s[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)+,?\s(?:and|or)\s[A-Z]"
)


def lists_places(sentence: str) -> bool:
    """Whether the sentence lists three or more names after a preposition of place."""
    return any(_NAME_LIST.match(sentence, m.start(1)) for m in _PLACE.finditer(sentence))


def _has_place(sentence: str) -> bool:
    return any(not _NOT_PLACE.match(m.group(1).rstrip(".")) for m in _PLACE.finditer(sentence))


_HOLDS = {
    COUNT: lambda s: bool(HAS_NUMBER.search(s)),
    MONEY: lambda s: bool(_MONEY.search(s) or _SHARE_OF.search(s) or _UNDISCLOSED.search(s)),
    DISTANCE: lambda s: bool(_DISTANCE.search(s) or _METRES.search(s)),
    DURATION: lambda s: bool(_DURATION.search(s) or _METRES.search(s)),
    SIZE: lambda s: bool(_SIZE.search(s) or _METRES.search(s) or _MAGNITUDE.search(s)),
    SPEED: lambda s: bool(_SPEED.search(s)),
    MARGIN: lambda s: bool(
        HAS_NUMBER.search(s) and (_COMPARATIVE.search(s) or _BY_AMOUNT.search(s))
    ),
    SHARE: lambda s: bool(_PERCENT.search(s)),
    DATE: lambda s: bool(HAS_DATE.search(s) or _RELATIVE.search(s)),
    FUTURE_DATE: lambda s: bool((HAS_DATE.search(s) or _RELATIVE.search(s)) and _FUTURE.search(s)),
    PLACE: _has_place,
    NAME: lambda s: bool(_NAMING.search(s)),
    RACE_TIME: lambda s: bool(_RACE_TIME.search(s) or _SPAN.search(s)),
    TEMPERATURE: lambda s: bool(_TEMPERATURE.search(s)),
}


def holds(kind: str, sentence: str) -> bool:
    """Whether the sentence holds an answer of the type `kind` (see `wanted`)."""
    check = _HOLDS.get(kind)
    return bool(check and check(sentence))

"""Page furniture: the lines of a scraped news page that are not the article's prose.

Real pages come with bylines ("By Jane Doe, CNN"), datelines ("Seoul, South Korea (CNN) —"), an
author's or agency's name alone on a line, photo credits and captions, embedded social posts,
"Related:" links and newsletter promos, "X contributed to this report.", "Updated ..." stamps and
copyright lines. None of them answers a question or leads a story, so each is recognised by its
shape (never by a list of outlets) and stored as its role, outside every chunk's sentences.

Pure functions over text. Most roles are decided for a whole line (a paragraph of the page); a
contributor credit or a newsletter promo can also be one sentence at the end of a paragraph; a
dateline is a prefix of the first sentence it opens.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

Span = tuple[int, int]

BYLINE, DATELINE, CREDIT, CAPTION = "byline", "dateline", "credit", "caption"
EMBED, PROMO, UPDATED, COPYRIGHT = "embed", "promo", "updated", "copyright"
ROLES = (BYLINE, DATELINE, CREDIT, CAPTION, EMBED, PROMO, UPDATED, COPYRIGHT)

# A word of a name, an outlet or a place as written on a credit line: capitalised ("Jane",
# "O'Neill", "TODAY", "Calif."), an initial ("J.", "R.R."), a lowercase particle of a name (the
# language's own: "de", "van", "bin"), or a connector between names ("and", "&", "of", "the").
_NAME_WORD = re.compile(
    r"(?:[A-Z][\w'’.\-]*|(?:[A-Z]\.)+|de|da|di|del|der|van|von|la|le|bin|al|and|&|of|the|for|at|in|via)"
    r"[,;|]?$"
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)]\s*$")
_DASH = r"(?:—|–|―|--|\s-)"  # em, en, horizontal bar, two hyphens, a spaced hyphen
_MAX_NAME_LINE_WORDS = 6
_MAX_NAME_LIST_WORDS = 4  # each name of a list of authors ("Karl Baker, Esteban Parra, and Jo Wu")
# A web address alone on a line ("college.usatoday.com", "www.example.org/news"): the site a page
# was scraped from, printed as a credit.
_SITE = re.compile(r"^(?:https?://)?(?:[\w\-]+\.)+[a-z]{2,}(?:/\S*)?$", re.I)
_MAX_BYLINE_WORDS = 14
_MAX_CREDIT_LEAD_WORDS = 12

_CAPITAL_FUNCTION_WORDS = frozenset({"THE", "A", "AN", "OF", "AND", "IN", "TO"})
_BYLINE = re.compile(r"^(?:By|BY|Written by|Story by|Words by)\s+\S")
_STAMP = re.compile(r"\b\d{1,2}:\d{2}\b|\b[A-Z][a-z]+\.? \d{1,2}, (?:19|20)\d{2}\b")
_UPDATED = re.compile(r"^(?:Last\s+)?(?:Updated|Published|Posted|Modified|Originally published)\b")
_COPYRIGHT = re.compile(
    r"©|^\s*Copyright\b|\bAll rights reserved\b|may not be published, broadcast, rewritten", re.I
)
# Embedded posts: a photo link of a post, a short link, "— Name (@handle) <Month> <d>, <yyyy>",
# Instagram's "A post shared by".
_EMBED = re.compile(
    r"pic\.twitter\.com/|https?://t\.co/|\(@\w{1,30}\)\s*\w+\.?\s+\d{1,2},\s+\d{4}"
    r"|\bA post shared by\b",
    re.I,
)
# A photo credit: "(AP Photo/Evan Vucci)", "Mandel Ngan/AFP via Getty Images" closing the line,
# "(Photo: Jane Doe, USA TODAY)", "Photo by ...", "Credit: ...", "Hide Caption".
_CREDIT_PAREN = re.compile(
    r"\((?:[A-Z][\w.]* )*(?:Photo|Image|Picture|Video|Illustration|Credit)s?\b[^()]*\)\s*$"
)
_CREDIT_SLASH = re.compile(
    r"(?:^|[\s(/])[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3}/[A-Z][\w.'’\-]*"
    r"(?: (?:[A-Z][\w.'’\-]*|via|for))*\)?\s*$"
)
# A gallery scraped into one line: caption, credit, caption, credit ("... on Friday. Jo Bess/AP A
# car sits ...").
_GALLERY_CREDIT = re.compile(
    r"[a-z.]\s+[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3}/[A-Z][\w.'’/\-]*\s+[A-Z]"
)
_GALLERY_MIN_CREDITS = 2
_CREDIT_LEAD = re.compile(
    r"^(?:(?:Photo|Image|Video|Picture)s?(?: by|:)|(?:Photo|Image) credit:?|Credit:|Caption:"
    r"|Hide Caption\b)\s*\S"
)
# A promo or link line: a short label and a colon, then a headline with no sentence end
# ("RELATED: ...", "Related: ...", "Follow every game: Latest NFL Scores and Schedules"). The label
# is in capitals or one of the words pages use for a link; otherwise the headline must be in title
# case, so a transcript's "Welker: Very quickly, then ..." and a fact box's "Born: April 23, 2018"
# stay prose.
_LABEL_LINE = re.compile(r"^(?P<label>[A-Z][\w'’]*(?: [\w'’]+){0,3}):\s+(?P<rest>\S.*)$")
# A link as scraped: the label glued to the link's text, no space ("More:Walmart sales increase
# 10% ...", "RELATED:Historic 'bomb cyclone' crashes ..."): whatever the headline's punctuation.
_GLUED_LABEL = re.compile(r"^(?P<label>[A-Z][\w'’]*(?: [\w'’]+){0,3}):(?=[A-Z0-9'\"‘“])")
_LINK_LABEL = re.compile(
    r"^(?:Related|Read more|Read|More|See also|Also read|Also|Watch|Listen|Recommended|Trending|"
    r"Don't miss|Must read|Top stories|Latest|Explore|Sponsored|Advertisement)$",
    re.I,
)
_TITLE_CASE_SHARE, _TITLE_MIN_WORDS = 0.6, 3
_READER_ORDER = re.compile(
    r"^(?:Sign up|Subscribe|Click here|Get (?:our|the)|Download|Follow (?:us|our)|"
    r"Want (?:more|to get)|Listen to|Watch)\b"
)
_PROMO_THING = re.compile(r"\b(?:newsletter|podcast|inbox|app|subscribe|sign up)\b", re.I)
_CONTRIBUTED = re.compile(
    r"\bcontributed (?:reporting|research|to (?:this|the|our) "
    r"(?:report|story|article|coverage|piece|reporting))\b[^.]*\.?\s*$"
    r"|^(?:Additional )?(?:Reporting|Writing|Editing|Produced) by [A-Z]|^Contributing: [A-Z]",
    re.I,
)
_CONTRIBUTED_MAX_WORDS = 25
# A dateline opening a paragraph: place and/or outlet words, then a dash ("WASHINGTON —",
# "ANAHEIM, Calif. –", "Seoul, South Korea (CNN) —", "New York CNN Business —", "(CNN) —").
_DATELINE = re.compile(r"^(?P<head>[^\s—–].{0,80}?)\s*" + _DASH + r"+\s*")
_DATELINE_MAX_WORDS = 8
_DATELINE_LINES = 8
_DATE_LINE_MAX_WORDS = 10
_TAIL_LINES = 3  # a credit at the foot of the page  # only the top of the page has one


def _words(text: str) -> list[str]:
    return text.split()


def _is_name_words(words: Sequence[str]) -> bool:
    """Every word reads as part of a name, an outlet or a place, and one is capitalised."""
    return (
        bool(words)
        and all(_NAME_WORD.match(w.strip("()")) for w in words)
        and any(w.strip("(")[:1].isupper() for w in words)
    )


def dateline_length(line: str) -> int:
    """How many characters of `line` a dateline takes (0: it opens with none). A dateline is at most
    eight name words before a dash, among them a comma, a parenthesis or an all-capitals word, so
    "Apple — the company said" is not one but "WASHINGTON —" and "Seoul, South Korea (CNN) —" are."""
    found = _DATELINE.match(line)
    if not found or line[found.end() : found.end() + 1].islower():
        return 0  # "NASA — the agency said": a dash inside a sentence
    head = found.group("head").strip()
    words = head.replace("(", " ( ").replace(")", " ) ").split()
    names = [w for w in words if w not in ("(", ")")]
    if not names or len(names) > _DATELINE_MAX_WORDS or not _is_name_words(names):
        return 0
    marked = (
        "," in head or "(" in head or any(w.isalpha() and w.isupper() and len(w) > 1 for w in names)
    )
    return found.end() if marked else 0


def line_role(line: str) -> str | None:
    """The role of a whole line of the page, or None for prose."""
    text = line.strip()
    if not text:
        return None
    words = [w for w in _words(text) if w != "|"]
    if _EMBED.search(text):
        return EMBED
    if _COPYRIGHT.search(text):
        return COPYRIGHT
    if len(words) == 1 and _SITE.match(text):
        return CREDIT  # the site's address: never prose, wherever it stands
    if _UPDATED.match(text) and _is_date_line([w for w in words[1:] if w not in ("on", "at")]):
        return UPDATED  # "Updated 10:32 AM EDT, Thu January 5, 2023"
    if len(_GALLERY_CREDIT.findall(text)) >= _GALLERY_MIN_CREDITS:
        return CAPTION
    if _CREDIT_PAREN.search(text) or (
        _CREDIT_LEAD.match(text) and len(words) <= _MAX_CREDIT_LEAD_WORDS  # not a glued paragraph
    ):
        return CAPTION
    if (
        _BYLINE.match(text)
        and len(words) <= _MAX_BYLINE_WORDS
        and _is_name_words(words[1:])
        and not any(w in _CAPITAL_FUNCTION_WORDS for w in words[1:])  # "BY THE NUMBERS"
    ):
        return BYLINE
    if dateline_length(text) == len(text):
        return DATELINE  # the dateline alone on its line ("New York CNN —")
    if _is_glued_link(text):
        return PROMO
    ended = _SENTENCE_END.search(text)
    if not ended and _CREDIT_SLASH.search(text):
        return CAPTION
    if not ended and _is_link_line(text):
        return PROMO
    if _is_date_line(words):
        return UPDATED
    return sentence_role(text)


def _is_glued_link(text: str) -> bool:
    """A label glued to a link's text: a link label (one of the words pages use for a link, or
    in capitals) whatever follows ("Read more:Mother of ..., says she's 'lost for words'": a
    sentence end or commas in the headline do not make it prose), any other label before a
    headline, which has no sentence end ("Updates:Death toll tops 41,000 as ..."). A place glued
    to a roundup item, a sentence ("Des Moines:Gov. Kim Reynolds signed ... on Wednesday."), stays
    prose, and so does a clock time ("At 8:10 a.m. ...")."""
    found = _GLUED_LABEL.match(text)
    if not found:
        return False
    label = found.group("label")
    if _LINK_LABEL.match(label) or (label.isupper() and len(label) > 1):
        return True
    return not label[-1:].isdigit() and not _SENTENCE_END.search(text)


def _is_link_line(text: str) -> bool:
    """A label, a colon and a headline: the label one of the words pages use for a link, or in
    capitals, or of several words before a headline in title case; a headline has a few words and at most one comma
    (a results line, "Silver: Josh Holloway, Australia", or a list, "Germany: ARD, ZDF", is data)."""
    found = _LABEL_LINE.match(text)
    if not found:
        return False
    label, rest = found.group("label"), found.group("rest")
    alpha = [w for w in rest.split() if w[:1].isalpha()]
    if len(alpha) < _TITLE_MIN_WORDS or rest.count(",") > 1:
        return False
    if _LINK_LABEL.match(label):
        return True
    if "," in rest:
        return False
    if label.isupper():
        return True
    # a one-word label heads a fact box ("Where: Al Bayt Stadium"), not a link
    capitalised = sum(w[:1].isupper() for w in alpha)
    return len(label.split()) > 1 and capitalised >= _TITLE_CASE_SHARE * len(alpha)


def _is_date_line(words: Sequence[str]) -> bool:
    """A line that is only a date or a time stamp ("5:11 PM EST, Thu January 5, 2023"), with a day
    or a time (a year alone, "1989", heads a timeline's part)."""
    joined = " ".join(words)
    if not words or len(words) > _DATE_LINE_MAX_WORDS or not _STAMP.search(joined):
        return False
    return all(
        re.fullmatch(r"[\d:,/.\-]+|[A-Z][a-z]{0,8}[.,]?|[AP]M|[A-Z]{2,4},?", w) for w in words
    )


def sentence_role(sentence: str) -> str | None:
    """The role of one sentence inside a prose line: a contributor credit or a promo to the reader."""
    text = sentence.strip()
    if len(_words(text)) <= _CONTRIBUTED_MAX_WORDS and _CONTRIBUTED.search(text):
        return CREDIT
    if _READER_ORDER.match(text) and _PROMO_THING.search(text):
        return PROMO
    return None


def is_name_line(line: str) -> bool:
    """A few name words alone, no sentence end: "Jane Doe", "Associated Press", "USA TODAY Sports";
    or a list of such names ("Karl Baker, Esteban Parra, and Xerxes Wilson")."""
    text = line.strip()
    words = [w for w in text.split() if w != "|"]
    if not words or _SENTENCE_END.search(text) or not _is_name_words(words):
        return False
    if len(words) <= _MAX_NAME_LINE_WORDS:
        return True
    names = [n.split() for n in re.split(r",\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", text)]
    return (
        len(names) > 1
        and len(words) <= _MAX_BYLINE_WORDS
        and all(0 < len(n) <= _MAX_NAME_LIST_WORDS for n in names)
    )


@functools.lru_cache(maxsize=64)
def line_roles(body: str) -> tuple[tuple[int, int, str | None], ...]:
    """(start, end, role or None) of every non-empty line. A name alone on a line is a credit (the
    author, the agency) only above the story's first prose line or below its last: between
    paragraphs the same shape is a subhead ("The Road Ahead")."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", body)]
    roles = [line_role(body[a:b]) for a, b in lines]
    prose = [
        k for k, (a, b) in enumerate(lines) if roles[k] is None and not is_name_line(body[a:b])
    ]
    for k, (a, b) in enumerate(lines):
        edge = not prose or k < prose[0] or k > prose[-1]
        if roles[k] is None and edge and is_name_line(body[a:b]):
            roles[k] = CREDIT
    return tuple((a, b, r) for (a, b), r in zip(lines, roles, strict=True))


def split_furniture(
    body: str, spans: Sequence[Span]
) -> tuple[list[Span | None], list[tuple[int, int, str]]]:
    """For each sentence span (body order): the span to keep as prose (a dateline prefix cut off)
    or None when the sentence is furniture; and every piece of furniture as (start, end, role).

    The dateline is looked for in the first lines of the page only, and only once (a later
    "WHO — The agency said" opens a sentence, not a page)."""
    lines = line_roles(body)
    starts = [a for a, _, _ in lines]
    kept: list[Span | None] = []
    furniture: list[tuple[int, int, str]] = []
    dateline_found = False
    for start, end in spans:
        k = max(0, bisect.bisect_right(starts, start) - 1)
        line_start, _, role = lines[k] if lines else (0, 0, None)
        if role is None:
            role = sentence_role(body[start:end])
        if role is not None:
            last = furniture[-1] if furniture else None
            if last and last[2] == role and last[0] >= line_start:  # one line, one piece
                furniture[-1] = (last[0], end, role)
            else:
                furniture.append((start, end, role))
            kept.append(None)
            continue
        if not dateline_found and start == line_start and k < _DATELINE_LINES:
            cut = dateline_length(body[start:end])
            if cut:
                dateline_found = True
                furniture.append((start, start + cut, DATELINE))
                start += cut
                while start < end and body[start].isspace():
                    start += 1
                if start >= end:
                    kept.append(None)
                    continue
        kept.append((start, end))
    return kept, furniture

"""Where quotations are in a news sentence: which words are quoted, and whether a quotation runs
on into the next sentence.

Straight quotes (") do not say whether they open or close; the spaces around them mostly do
(`said, "We` opens, `done."` closes). A multi-sentence quotation leaves sentences with one mark, so
the state carries from sentence to sentence, and a mark that plainly opens or closes overrules a
state that went wrong earlier (an excerpt whose opening mark is missing). Pure functions.
"""

from __future__ import annotations

import re

QUOTE_CHARS = '"“”«»„'
_OPENING, _CLOSING = "“«„", "”»"
MASK = "…"  # stands for quoted words, which name no speaker of the sentence


def _straight(text: str, i: int) -> str | None:
    """Whether the straight quote at i opens or closes, from the spaces around it (None: unclear)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if (before.isspace() or before in "([—–-") and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]—–-"):
        return "close"
    return None


def quote_states(text: str, inside: bool) -> tuple[bool, bool]:
    """Whether the sentence starts and ends within a quotation (see quote_walk)."""
    return _start_inside(text, inside), quote_walk(text, inside)[1]


_MARKS = re.compile(f"[{QUOTE_CHARS}]")


def _start_inside(text: str, inside: bool) -> bool:
    first = _MARKS.search(text)
    if first is None:
        return inside
    i, c = first.start(), first.group()
    way = _straight(text, i) if c == '"' else ("open" if c in _OPENING else "close")
    return inside if way is None else way == "close"


def quote_walk(text: str, inside: bool = False) -> tuple[str, bool]:
    """The text with every quotation's words replaced by one placeholder, keeping the marks (a name
    or verb inside a quotation, "we'll keep them posted", is not the sentence's speaker), and
    whether a quotation is still open at its end. `inside`: the sentence starts within a quotation
    opened earlier; a first mark that plainly opens or closes overrules it."""
    if _MARKS.search(text) is None:  # most sentences: nothing quoted, or quoted throughout
        return (MASK, True) if inside else (text, False)
    inside = _start_inside(text, inside)
    out: list[str] = []
    masked = False  # the placeholder of the current quotation is written
    for c in text:
        if c in QUOTE_CHARS:
            closes = inside if c == '"' else c in _CLOSING
            if closes and inside:
                inside = False
            elif not inside:
                inside, masked = True, False
            out.append(c)
        elif inside:
            if not masked:
                out.append(MASK)
                masked = True
        else:
            out.append(c)
    return "".join(out), inside


def mask_quotes(text: str, inside: bool = False) -> str:
    return quote_walk(text, inside)[0]

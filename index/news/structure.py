"""News structure of an article body: section headings, paragraphs, the lede, who says each sentence.

Computed once at ingest and stored with every chunk (one `SentenceTag` per sentence), so answering
pays nothing for it. Pure functions over the body text.

Headings are found in every format: `- Why now? -` lines (the seed format), Markdown `#` lines, and
short subhead lines that stand alone between two paragraphs ("How it happened"). A body where most
lines would be headings has none: that is a list, not sections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.news.attribution import attribute_all
from index.news.furniture import line_roles
from index.types import Section, SentenceTag

# Changes whenever the tagging below changes what is stored, so articles are re-tagged on ingest.
STRUCTURE_VERSION = "s9s"  # s9s/r: glued link labels, "Name, the ..." opens on a person

_MARKED_HEADING = re.compile(
    r"^(?:-[ \t]+(?P<dash>\S.*?)[ \t]+-|#{1,6}[ \t]+(?P<hash>\S.*?)[ \t#]*)[ \t]*$", re.MULTILINE
)
_SUBHEAD_MAX_CHARS, _SUBHEAD_MAX_WORDS = 70, 8
_SENTENCE_END = re.compile(r"[.!:;,\"“”'’)\]…]$")
_NOT_A_SUBHEAD_START = re.compile(r"^(?:[*\-•–—>(\[]|\d+[.)]\s)")
_MAX_HEADING_SHARE = 0.4  # more lines than this look like headings: treat none as a heading
LEDE_SENTENCES = 3


def _lines(body: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", body)]


def _is_subhead(text: str) -> bool:
    """A short line that reads as a title, not a sentence: "How it happened", "Why it matters",
    "What's next?" (a question only when very short: interviews ask questions on their own lines)."""
    text = text.strip()
    words = text.split()
    if not words or len(text) > _SUBHEAD_MAX_CHARS or len(words) > _SUBHEAD_MAX_WORDS:
        return False
    if not (text[0].isupper() or text[0].isdigit()) or _NOT_A_SUBHEAD_START.match(text):
        return False
    if text.endswith("?"):
        return len(words) <= 4
    return not _SENTENCE_END.search(text)


def _subhead_lines(body: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Subhead lines: alone between a paragraph before and a (longer) paragraph after. Page
    furniture ("USA TODAY Sports" under a byline, "Related: ...") is never a subhead."""
    found = []
    furniture = {start for start, _, role in line_roles(body) if role is not None}
    for k in range(1, len(lines) - 1):
        start, end = lines[k]
        if start in furniture:
            continue
        text = body[start:end]
        following = body[lines[k + 1][0] : lines[k + 1][1]]
        if _is_subhead(text) and not _is_subhead(following) and len(following) > len(text):
            found.append((start, end))
    return found


def heading_lines(body: str) -> list[tuple[int, int, str]]:
    """(start, end, heading) of every heading line in the body, in order."""
    lines = _lines(body)
    marked = [
        (m.start(), m.end(), (m.group("dash") or m.group("hash")).strip())
        for m in _MARKED_HEADING.finditer(body)
    ]
    taken = {start for start, _, _ in marked}
    sub = [(s, e, body[s:e].strip()) for s, e in _subhead_lines(body, lines) if s not in taken]
    found = sorted(marked + sub)
    if lines and len(found) > _MAX_HEADING_SHARE * len(lines):
        # "a heading on every line": keep the explicit markers only if they leave text between them
        found = marked if len(marked) <= _MAX_HEADING_SHARE * len(lines) else []
    return found


def find_sections(body: str) -> tuple[Section, ...]:
    """The body split at its heading lines; the heading lines belong to no section. A body without
    headings is one section with no heading."""
    sections: list[Section] = []
    heading: str | None = None
    start = 0
    for line_start, line_end, text in heading_lines(body):
        sections.append(Section(heading, start, line_start))
        heading, start = text, min(line_end + 1, len(body))
    sections.append(Section(heading, start, len(body)))
    kept = tuple(s for s in sections if body[s.start : s.end].strip())
    return kept or (Section(None, 0, len(body)),)


def paragraph_starts(body: str) -> list[int]:
    """Where each paragraph starts. Paragraphs are separated by blank lines; a body without blank
    lines (one paragraph a line, as in the seed format) has one paragraph per line."""
    if re.search(r"\n[ \t]*\n", body):
        starts = [0] + [m.end() for m in re.finditer(r"\n[ \t]*\n\s*", body)]
    else:
        starts = [start for start, _ in _lines(body)] or [0]
    return sorted(set(starts))


def tag_sentences(
    body: str, spans: Sequence[tuple[int, int]], sections: Sequence[Section] = ()
) -> list[SentenceTag]:
    """One tag per sentence span (in body order): paragraph number (heading lines, which lie
    outside every section, not counted), whether it is in the lede, and its attribution (pronouns
    resolved to the last named speaker)."""
    starts = [
        s
        for s in paragraph_starts(body)
        if not sections or any(x.start <= s < x.end for x in sections)
    ]
    attributions = attribute_all([body[a:b] for a, b in spans])
    tags: list[SentenceTag] = []
    paragraph, next_start, first_paragraph = -1, 0, None
    lede_count = 0
    for (start, _), found in zip(spans, attributions, strict=True):
        while next_start < len(starts) and starts[next_start] <= start:
            paragraph += 1
            next_start += 1
        paragraph = max(paragraph, 0)
        if first_paragraph is None:
            first_paragraph = paragraph
        lede = paragraph == first_paragraph and lede_count < LEDE_SENTENCES
        lede_count += lede
        phrase = (
            found.phrase
            if found.phrase and found.speaker and found.speaker in found.phrase
            else None
        )
        tags.append(SentenceTag(paragraph, lede, found.role, found.speaker, phrase))
    return tags

"""Article bodies from blocks: paragraphs under subheads become our body text and its sections.

Every rich format (HTML pages, ninjs `body_html`, NewsML-G2 inline XHTML or NITF) ends here, so
an article's body reads the same whichever format it arrived in: paragraphs separated by a blank
line, each subhead starting a section (the heading text itself is not part of the body).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree, html

from index.types import Section

Block = tuple[str | None, str]  # (the subhead this paragraph sits under, the paragraph)

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "hl1", "hl2", "head"}
_PARAGRAPHS = {"p", "li", "blockquote", "pre", "dd", "dt", "td", "caption"}
_DROPPED = {"script", "style", "noscript", "template", "iframe", "object", "embed", "form"}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def body_and_sections(blocks: Iterable[Block]) -> tuple[str, tuple[Section, ...]]:
    """Join paragraphs with blank lines; consecutive paragraphs under one subhead are one section."""
    parts: list[str] = []
    sections: list[Section] = []
    offset = 0
    current: str | None = None
    start = 0
    for heading, paragraph in blocks:
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if parts and heading != current:
            sections.append(Section(current, start, offset - 2))
            start = offset
        current = heading
        parts.append(paragraph)
        offset += len(paragraph) + 2
    if parts:
        sections.append(Section(current, start, offset - 2))
    return "\n\n".join(parts), tuple(sections)


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def element_blocks(root: etree._Element, skip_heading: str | None = None) -> list[Block]:
    """Paragraph-level blocks of an (X)HTML, NITF or trafilatura element, in document order.

    Text outside any paragraph element (a bare `<div>text</div>`) counts as a paragraph too, so
    nothing readable is lost; scripts, styles and forms are never text."""
    blocks: list[Block] = []
    heading: str | None = None

    def visit(element: etree._Element) -> None:
        nonlocal heading
        name = _local(element.tag)
        if name in _DROPPED or not isinstance(element.tag, str):
            return
        if name in _HEADINGS:
            text = squash("".join(_text(element)))
            if text and text != skip_heading:
                heading = text
            return
        if name in _PARAGRAPHS:
            blocks.append((heading, squash("".join(_text(element)))))
            return
        if element.text and element.text.strip():
            blocks.append((heading, squash(element.text)))
        for child in element:
            visit(child)
            if child.tail and child.tail.strip():
                blocks.append((heading, squash(child.tail)))

    visit(root)
    return [b for b in blocks if b[1]]


def _text(element: etree._Element) -> Iterable[str]:
    """The readable text of an element: no script or style content, `<br>` as a space."""
    if element.text and _local(element.tag) not in _DROPPED:
        yield element.text
    for child in element:
        if not isinstance(child.tag, str):
            pass
        elif _local(child.tag) == "br":
            yield " "
        elif _local(child.tag) not in _DROPPED:
            yield from _text(child)
        if child.tail:
            yield child.tail


def html_fragment_blocks(markup: str) -> list[Block]:
    """Blocks of an HTML fragment (ninjs `body_html`); never fetches or runs anything."""
    if not markup.strip():
        return []
    root = html.fragment_fromstring(markup, create_parent="div")
    return element_blocks(root)

"""HTML pages: the main text, title, date, author and site name via trafilatura, offline.

trafilatura is only ever given the page's text, never a URL, so nothing is fetched. Its output
tree keeps paragraphs and subheads, which become our body and sections; menus, related links,
cookie banners, scripts and inline event handlers are left out by the extraction itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from index.formats.blocks import body_and_sections, element_blocks, squash
from index.formats.common import SkipFile, date_of, id_from_uri
from index.formats.loaders import ArticleError, slugify
from index.types import Article

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_MIN_WORDS = 20  # less main text than this is a stub (a paywall teaser, an index page)


def decode_html(data: bytes, name: str) -> str:
    """UTF-8, or the charset the page declares; bytes valid in neither are an error that says
    where, rather than text with silent replacement characters."""
    declared = _CHARSET.search(data[:4096])
    charsets = ["utf-8"]
    if declared:
        charsets.insert(0, declared.group(1).decode("ascii").lower())
    for charset in charsets:
        try:
            return data.decode(charset).replace("\ufeff", "")
        except LookupError:
            continue  # an unknown charset name: try UTF-8
        except UnicodeDecodeError as err:
            problem = f"byte {err.start} ({data[err.start : err.start + 1]!r}) is not {charset}"
            if charset == charsets[-1]:
                raise ArticleError(
                    f"mixed or wrong encoding: {problem}; save the page as UTF-8 or declare "
                    "its charset"
                ) from None
    raise ArticleError("cannot decode the page")


def parse_html(data: bytes, name: str) -> Article:
    from trafilatura import bare_extraction

    text = decode_html(data, name)
    try:
        document = bare_extraction(
            text,
            with_metadata=True,
            include_formatting=True,
            include_comments=False,
            # Dates from the page's own metadata and markup only: htmldate's extensive search
            # guesses (a page without any date came out as 2011-01-01).
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as err:  # trafilatura raises assorted errors on broken markup
        raise ArticleError(
            f"cannot extract the page's text ({type(err).__name__}: {err})"
        ) from None
    if document is None or document.body is None:
        raise SkipFile("HTML without article text (nothing left once menus and links are removed)")
    title = squash(document.title or "")
    blocks = element_blocks(document.body, skip_heading=title)
    body, sections = body_and_sections(blocks)
    words = len(body.split())
    if words < _MIN_WORDS:
        raise SkipFile(f"HTML with only {words} words of article text (a stub or paywall teaser?)")
    if not title:
        raise ArticleError("the page has no title")
    page_id = document.id or (id_from_uri(document.url) if document.url else None)
    return Article(
        id=page_id or slugify(Path(name).stem, 64),
        title=title,
        body=body,
        source=squash(document.sitename or document.hostname or "") or None,
        author=squash(document.author or "") or None,
        url=document.url or None,
        published=date_of(document.date),
        sections=sections,
        origin=name,
    )

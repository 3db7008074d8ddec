"""RSS 2.0, RSS 1.0 and Atom feeds via feedparser: every item is an article.

feedparser gets the file's bytes (never a URL, so nothing is fetched). An item's id is its guid
(Atom `id`) or else its link; the source is the feed's title. An item with full content
(`content:encoded`, Atom `content`) keeps it; one with only a summary is marked `partial`.
"""

from __future__ import annotations

from index.formats.blocks import body_and_sections, html_fragment_blocks, squash
from index.formats.common import SkipFile, date_of, id_from_uri, refuse_entity_declarations
from index.formats.loaders import ArticleError, LoadError, LoadResult, derived_id
from index.types import Article


def _date(entry: object, *keys: str) -> int | None:
    for key in keys:
        parsed = getattr(entry, "get", lambda _k: None)(key)
        if parsed:
            return int(f"{parsed.tm_year:04d}{parsed.tm_mon:02d}{parsed.tm_mday:02d}")
    return None


def _body(entry: dict) -> tuple[str, tuple, bool]:
    """(body, sections, partial): full content when the item has it, else its summary."""
    contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    partial = not contents
    markup = contents[0]["value"] if contents else entry.get("summary") or ""
    kind = contents[0].get("type", "text/html") if contents else "text/html"
    if "html" in kind or "<" in markup:
        body, sections = body_and_sections(html_fragment_blocks(markup))
    else:
        body, sections = body_and_sections((None, p) for p in markup.split("\n\n"))
    return body, sections, partial


def parse_feed(data: bytes, name: str) -> LoadResult:
    import feedparser

    refuse_entity_declarations(data)
    feed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not feed.entries:
        problem = feed.get("bozo_exception")
        if problem is not None and not feed.feed:
            raise ArticleError(f"malformed feed ({type(problem).__name__}: {problem})")
        raise SkipFile("a feed without items")
    source = squash(feed.feed.get("title", "")) or None
    result = LoadResult()
    for position, entry in enumerate(feed.entries):
        origin = f"{name}#item{position + 1}"
        try:
            result.articles.append(_article(entry, source, origin))
        except ArticleError as err:
            result.errors.append(LoadError(origin, str(err)))
    return result


def _article(entry: dict, source: str | None, origin: str) -> Article:
    title = squash(entry.get("title", ""))
    body, sections, partial = _body(entry)
    if not title:
        raise ArticleError("item without a title")
    if not body:
        raise ArticleError("item without content or summary")
    key = entry.get("id") or entry.get("link")
    published = _date(entry, "published_parsed", "updated_parsed") or date_of(
        entry.get("published"), entry.get("updated")
    )
    return Article(
        id=id_from_uri(key) if key else derived_id(title),
        title=title,
        body=body,
        source=source,
        author=squash(entry.get("author", "")) or None,
        url=entry.get("link") or None,
        published=published,
        sections=sections,
        origin=origin,
        partial=partial,
    )

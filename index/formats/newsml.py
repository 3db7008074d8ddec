"""IPTC NewsML-G2: a `newsItem`, the `newsItem`s of a `newsMessage`, and the items a
`packageItem` carries inline. Parsed with lxml without resolving entities or fetching anything.

itemMeta gives `versionCreated`, `firstCreated`, `pubStatus` and the `signal`s (update,
correction); contentMeta the headline, byline, creator and `located`; the body is the first
`inlineXML` content: NITF (`body.content` paragraphs, `hl2` subheads) or XHTML. The item's
`version` attribute is its version: a lower one arriving after a higher is ignored at ingest.
"""

from __future__ import annotations

from lxml import etree

from index.formats.blocks import body_and_sections, element_blocks, squash
from index.formats.common import SkipFile, date_of, id_from_uri, pubstatus_of, safe_xml, version_of
from index.formats.loaders import ArticleError, LoadError, LoadResult
from index.types import Article


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [
        e for e in element.iter() if isinstance(e.tag, str) and etree.QName(e).localname == name
    ]


def _first_text(element: etree._Element, *names: str) -> str | None:
    for name in names:
        for found in _children(element, name):
            text = squash("".join(found.itertext()))
            if text:
                return text
    return None


def _meta(item: etree._Element, name: str) -> etree._Element | None:
    found = [c for c in item if isinstance(c.tag, str) and etree.QName(c).localname == name]
    return found[0] if found else None


def _signals(item_meta: etree._Element | None) -> list[str]:
    if item_meta is None:
        return []
    return [
        s.get("qcode", "").rsplit(":", 1)[-1].lower()
        for s in item_meta
        if isinstance(s.tag, str) and etree.QName(s).localname == "signal"
    ]


def _body(item: etree._Element) -> tuple[str, tuple]:
    for inline in _children(item, "inlineXML"):
        roots = [c for c in inline if isinstance(c.tag, str)]
        for root in roots:
            contents = _children(root, "body.content") or _children(root, "body") or [root]
            blocks = element_blocks(contents[0])
            if blocks:
                return body_and_sections(blocks)
    for inline in _children(item, "inlineData"):
        text = (inline.text or "").strip()
        if text:
            return body_and_sections((None, " ".join(p.split())) for p in text.split("\n\n"))
    return "", ()


def _article(item: etree._Element, origin: str) -> Article:
    guid = item.get("guid")
    if not guid:
        raise ArticleError("newsItem without a guid")
    item_meta, content_meta = _meta(item, "itemMeta"), _meta(item, "contentMeta")
    status_node = _children(item_meta, "pubStatus") if item_meta is not None else []
    status = pubstatus_of(status_node[0].get("qcode") if status_node else None)
    title = _first_text(content_meta, "headline") if content_meta is not None else None
    body, sections = _body(item)
    if status == "usable" and not title:
        raise ArticleError("newsItem without a headline")
    if status == "usable" and not body:
        raise ArticleError("newsItem without an inlineXML body (NITF or XHTML)")
    byline = None
    creator = None
    located = None
    if content_meta is not None:
        byline = _first_text(content_meta, "by")
        for node in _children(content_meta, "creator"):
            creator = creator or _first_text(node, "name") or node.get("literal")
        located = _first_text(content_meta, "located")
    provider = _first_text(item_meta, "provider") if item_meta is not None else None
    if item_meta is not None and provider is None:
        for node in _children(item_meta, "provider"):
            provider = node.get("literal") or (node.get("qcode") or "").rsplit(":", 1)[-1] or None
    signals = _signals(item_meta)
    created = item_meta is not None and _first_text(item_meta, "firstCreated")
    version_created = item_meta is not None and _first_text(item_meta, "versionCreated")
    if "correction" in signals and title and not title.lower().startswith("correction"):
        title = f"Correction: {title}"  # readers should see a corrected item says so
    return Article(
        id=id_from_uri(guid),
        title=title or guid,
        body=body,
        source=provider,
        author=byline or creator,
        published=date_of(created or None, version_created or None),
        sections=sections,
        origin=origin,
        item_version=version_of(item.get("version")),
        pubstatus=status,
        located=located,
    )


def parse_newsml(data: bytes, name: str) -> LoadResult:
    root = safe_xml(data)
    items = [root] if etree.QName(root).localname == "newsItem" else _children(root, "newsItem")
    if not items:
        raise SkipFile(f"NewsML-G2 <{etree.QName(root).localname}> without any newsItem")
    result = LoadResult()
    for position, item in enumerate(items):
        origin = name if len(items) == 1 else f"{name}#item{position + 1}"
        try:
            result.articles.append(_article(item, origin))
        except SkipFile as why:
            result.skipped.append(LoadError(origin, str(why)))
        except ArticleError as err:
            result.errors.append(LoadError(origin, str(err)))
    return result

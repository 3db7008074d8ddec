"""IPTC ninjs (News in JSON) 1.x and 2.x items, read against the IPTC schema (no parser exists).

1.x: `headline`, `body_text` / `body_html`, `byline`, `located` (a string), `copyrightholder`.
2.x: `headlines` / `bodies` / `descriptions` arrays of `{role, contenttype, value}`, `by`,
`located` may be an object, `infosources`. Both: `uri` (our id), `version`, `versioncreated`,
`firstcreated`, `pubstatus` (usable, withheld, canceled), `type` (only text items are articles).

A canceled or withheld item carries its status on the article (the ingest removes or hides it,
see index/ingest.py); no body is needed for those.
"""

from __future__ import annotations

from typing import Any

from index.formats.blocks import body_and_sections, html_fragment_blocks, squash
from index.formats.common import SkipFile, date_of, id_from_uri, pubstatus_of, version_of
from index.formats.loaders import ArticleError
from index.types import Article, Section

_NINJS_KEYS = {"headline", "headlines", "body_text", "body_html", "bodies", "versioncreated"}


def is_ninjs(value: object) -> bool:
    """A ninjs item has a `uri` and at least one ninjs-only field; our records have `body`."""
    return isinstance(value, dict) and "uri" in value and bool(_NINJS_KEYS & value.keys())


def _pick(items: object, *roles: str) -> dict[str, Any] | None:
    """The 2.x array entry with the first matching role (`main`, `default`), else the first."""
    if not isinstance(items, list):
        return None
    entries = [i for i in items if isinstance(i, dict) and isinstance(i.get("value"), str)]
    for role in roles:
        for entry in entries:
            if entry.get("role", "") == role:
                return entry
    return entries[0] if entries else None


def _headline(item: dict[str, Any]) -> str:
    if isinstance(item.get("headline"), str):
        return squash(item["headline"])
    entry = _pick(item.get("headlines"), "main", "default", "")
    return squash(entry["value"]) if entry else ""


def _body(item: dict[str, Any]) -> tuple[str, tuple[Section, ...]]:
    markup: str | None = item.get("body_html") if isinstance(item.get("body_html"), str) else None
    plain: str | None = item.get("body_text") if isinstance(item.get("body_text"), str) else None
    bodies = item.get("bodies")
    if markup is None and plain is None and isinstance(bodies, list):
        entries = [b for b in bodies if isinstance(b, dict) and isinstance(b.get("value"), str)]
        html_entries = [b for b in entries if "html" in str(b.get("contenttype", ""))]
        text_entries = [b for b in entries if b not in html_entries]
        if html_entries:
            markup = (_pick(html_entries, "main", "default", "") or html_entries[0])["value"]
        elif text_entries:
            plain = (_pick(text_entries, "main", "default", "") or text_entries[0])["value"]
    if markup:
        return body_and_sections(html_fragment_blocks(markup))
    text = (plain or "").replace("\r\n", "\n")
    paragraphs = (
        [" ".join(p.split()) for p in text.split("\n\n")]
        if "\n\n" in text
        else [" ".join(line.split()) for line in text.split("\n")]
    )
    return body_and_sections((None, p) for p in paragraphs)


def _byline(item: dict[str, Any]) -> str | None:
    for key in ("byline", "by"):
        if isinstance(item.get(key), str) and item[key].strip():
            return squash(item[key])
    people = item.get("people")
    if isinstance(people, list):
        names = [p.get("name") for p in people if isinstance(p, dict) and p.get("rel") == "author"]
        if names := [n for n in names if isinstance(n, str)]:
            return ", ".join(names)
    return None


def _source(item: dict[str, Any]) -> str | None:
    sources = item.get("infosources")
    if isinstance(sources, list):
        for entry in sources:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                return squash(entry["name"])
    for key in ("copyrightholder", "provider"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value.strip():
            return squash(value)
    return None


def _located(item: dict[str, Any]) -> str | None:
    located = item.get("located")
    if isinstance(located, dict):
        located = located.get("name")
    return squash(located) if isinstance(located, str) and located.strip() else None


def parse_ninjs(item: dict[str, Any], origin: str) -> Article:
    uri = item.get("uri")
    if not isinstance(uri, str) or not uri.strip():
        raise ArticleError("ninjs item without a 'uri'")
    kind = item.get("type", "text")
    if kind not in ("text", None, ""):
        raise SkipFile(f"a ninjs {kind!r} item, not a text article")
    status = pubstatus_of(item.get("pubstatus"))
    version = version_of(item.get("version"))
    title, (body, sections) = _headline(item), _body(item)
    if status == "usable":
        if not title:
            raise ArticleError("ninjs item without a headline")
        if not body:
            raise ArticleError("ninjs item without body_text, body_html or bodies")
    return Article(
        id=id_from_uri(uri),
        title=title or uri,
        body=body,
        source=_source(item),
        author=_byline(item),
        url=item.get("uri") if str(uri).startswith("http") else None,
        published=date_of(item.get("firstcreated"), item.get("versioncreated")),
        sections=sections,
        origin=origin,
        item_version=version,
        pubstatus=status,
        located=_located(item),
    )

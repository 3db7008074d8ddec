"""Helpers the format modules share: ids from wire URIs, dates, pubstatus, safe XML parsing."""

from __future__ import annotations

import hashlib
import re

from lxml import etree

from index.formats.loaders import ArticleError, parse_published

_ID_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_PUBSTATUS = {"usable": "usable", "withheld": "withheld", "canceled": "canceled"}
_PUBSTATUS["cancelled"] = "canceled"


class SkipFile(Exception):
    """The file is in no format we read, or holds no article; the message says why."""


def id_from_uri(uri: str) -> str:
    """Our article id for a wire URI or a feed guid: the URI itself when it is a valid id,
    otherwise a readable slug of it plus a hash (so two URIs never share an id)."""
    uri = uri.strip()
    if _ID_OK.match(uri):
        return uri
    slug = re.sub(r"[^A-Za-z0-9._:-]+", "-", re.sub(r"^[a-z]+://", "", uri)).strip("-.:_")
    digest = hashlib.sha1(uri.encode("utf-8")).hexdigest()[:10]
    return f"{slug[:100].strip('-.:_') or 'item'}-{digest}"


def date_of(*values: object) -> int | None:
    """The first readable date among `values` as yyyymmdd (feeds and wires carry several)."""
    for value in values:
        try:
            published = parse_published(value)
        except ArticleError:
            continue
        if published is not None:
            return published
    return None


def pubstatus_of(value: object) -> str:
    """ninjs `usable|withheld|canceled`, NewsML-G2 `stat:usable` or a full IPTC URI."""
    text = str(value or "usable").strip().lower().rsplit(":", 1)[-1].rsplit("/", 1)[-1]
    if text not in _PUBSTATUS:
        raise ArticleError(f"unknown pubstatus {value!r} (usable, withheld or canceled)")
    return _PUBSTATUS[text]


def version_of(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise ArticleError(f"version {value!r} is not a whole number") from None


def refuse_entity_declarations(data: bytes) -> None:
    """Entity declarations are how XML bombs (billion laughs) and external entities work; no
    feed or wire item needs them, so a file declaring any is refused before any parser runs."""
    head = data[:65536]
    if b"<!DOCTYPE" in head.upper() and _ENTITY_DECL.search(head):
        raise ArticleError(
            "refused: the XML declares entities (<!ENTITY>), as XML bombs and external-entity "
            "attacks do; newsdesk never expands them"
        )


def safe_xml(data: bytes) -> etree._Element:
    """Parse XML without resolving entities, without the network and without huge-tree mode."""
    refuse_entity_declarations(data)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise ArticleError(f"malformed XML ({err})") from None

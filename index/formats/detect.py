"""Which format a file is in: by suffix, and for `.json` and `.xml` by what the file holds."""

from __future__ import annotations

import json
import re
from pathlib import Path

from index.formats.common import SkipFile
from index.formats.loaders import (
    ArticleError,
    LoadError,
    LoadResult,
    decode,
    parse_jsonl,
    parse_record,
    parse_text,
)

# Larger files are refused unread: no news article or feed comes near this, and parsing one
# (or a deliberately huge feed) would hold the ingest for minutes.
MAX_FILE_BYTES = 50_000_000

SUFFIX_FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "xml",
    ".rss": "feed",
    ".atom": "feed",
    ".json": "json",
}

_XML_ROOT = re.compile(
    rb"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*<(?P<root>[A-Za-z_][\w.:-]*)",
    re.DOTALL,
)
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}
_NEWSML_ROOTS = {"newsitem", "packageitem", "newsmessage", "knowledgeitem"}


def sniff_format(data: bytes, name: str) -> str:
    """text, markdown, jsonl, html, feed, newsml, json; SkipFile when no known format fits."""
    suffix = Path(name).suffix.lower()
    fmt = SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        raise SkipFile(f"unknown format ({suffix or 'no suffix'}); newsdesk reads {_known()}")
    if fmt in ("xml", "feed"):
        match = _XML_ROOT.match(data.lstrip(b"\xef\xbb\xbf")[:65536])
        if not match:
            raise SkipFile("not XML (no root element found)")
        root = match.group("root").decode("ascii", "replace").lower()
        local = root.rsplit(":", 1)[-1]
        if root in _FEED_ROOTS or local in _FEED_ROOTS:
            return "feed"
        if local in _NEWSML_ROOTS:
            return "newsml"
        if local in ("html", "xhtml"):
            return "html"
        raise SkipFile(f"XML but neither RSS/Atom nor NewsML-G2 (root element <{root}>)")
    return fmt


def _known() -> str:
    return " ".join(sorted(SUFFIX_FORMATS))


def load_bytes(data: bytes, name: str) -> LoadResult:
    """Every article in one file's bytes; a file that is not an article goes to `skipped`."""
    try:
        if len(data) > MAX_FILE_BYTES:
            raise ArticleError(
                f"refused: {len(data)} bytes is over the limit of {MAX_FILE_BYTES} bytes a file"
            )
        fmt = sniff_format(data, name)  # first: an unknown file is skipped, even when empty
        if not data.strip():
            raise ArticleError("empty file")
        return _parse(fmt, data, name)
    except SkipFile as why:
        return LoadResult(skipped=[LoadError(name, str(why))])
    except ArticleError as err:
        return LoadResult(errors=[LoadError(name, str(err).removeprefix(f"{name}: "))])


def _parse(fmt: str, data: bytes, name: str) -> LoadResult:
    if fmt == "html":
        from index.formats.html import parse_html

        return LoadResult(articles=[parse_html(data, name)])
    if fmt == "feed":
        from index.formats.feeds import parse_feed

        return parse_feed(data, name)
    if fmt == "newsml":
        from index.formats.newsml import parse_newsml

        return parse_newsml(data, name)
    text = decode(data, name)
    if fmt == "json":
        return parse_json(text, name)
    return parse_text(text, name, fmt)


def parse_json(text: str, name: str) -> LoadResult:
    """A `.json` file: ninjs (one object, a list, or JSON Lines) or our own article records."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg != "Extra data":
            raise ArticleError(f"malformed JSON ({err.msg} at line {err.lineno})") from None
        return parse_jsonl(text, name)  # JSON Lines under a .json name
    items = value if isinstance(value, list) else [value]
    result = LoadResult()
    for position, item in enumerate(items):
        origin = f"{name}[{position}]" if isinstance(value, list) else name
        _one_record(item, origin, result)
    if not result.articles and not result.errors and not result.skipped:
        result.skipped.append(LoadError(name, "an empty JSON list"))
    return result


def _one_record(item: object, origin: str, result: LoadResult) -> None:
    from index.formats.ninjs import is_ninjs, parse_ninjs

    try:
        if is_ninjs(item):
            result.articles.append(parse_ninjs(item, origin))  # type: ignore[arg-type]
        elif isinstance(item, dict) and "title" in item and "body" in item:
            result.articles.append(parse_record(item, origin))
        else:
            keys = ", ".join(sorted(item)[:6]) if isinstance(item, dict) else type(item).__name__
            result.skipped.append(
                LoadError(origin, f"JSON but neither ninjs nor an article record ({keys})")
            )
    except SkipFile as why:
        result.skipped.append(LoadError(origin, str(why)))
    except ArticleError as err:
        result.errors.append(LoadError(origin, str(err).removeprefix(f"{origin}: ")))

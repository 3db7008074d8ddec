"""Read articles from plain text (the seed format), Markdown with front matter, and JSON Lines.

Loading never stops at a bad file or record: each problem becomes a `LoadError` that names where it
happened, and everything else is still returned.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from index.news.structure import find_sections
from index.types import Article

SUPPORTED_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".jsonl": "jsonl"}

# "O.Byrne--IP": a name, two hyphens, an outlet, alone on the last line.
_BYLINE = re.compile(r"^(?P<author>[^\s-][^\n]{0,80}?)--(?P<source>[^\s-][^\n]{0,80})$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<meta>.*?)\n---[ \t]*(\n|\Z)", re.DOTALL)
_ID_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


@dataclass(frozen=True)
class LoadError:
    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    skipped: list[LoadError] = field(default_factory=list)  # files that are no article at all

    def extend(self, other: LoadResult) -> None:
        self.articles.extend(other.articles)
        self.errors.extend(other.errors)
        self.skipped.extend(other.skipped)


class ArticleError(ValueError):
    """One article or record cannot be used; the message says why."""


def slugify(text: str, limit: int = 48) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-") or "article"


def derived_id(title: str) -> str:
    """A stable id from the title: readable prefix plus a hash so that similar titles differ."""
    digest = hashlib.sha1(title.strip().encode("utf-8")).hexdigest()[:10]
    return f"{slugify(title, 40)}-{digest}"


def parse_published(value: object) -> int | None:
    """A date as the integer yyyymmdd; None when absent. Raises ArticleError when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 10000101 <= value <= 99991231:
        return value
    if isinstance(value, datetime | date):
        return int(value.strftime("%Y%m%d"))
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{8}", text):
            return int(text)
        try:
            return int(datetime.fromisoformat(text.replace("Z", "+00:00")).strftime("%Y%m%d"))
        except ValueError:
            pass
    raise ArticleError(f"unreadable date {value!r} (use ISO 8601, e.g. 2024-11-29)")


def _clean_id(value: object, origin: str) -> str:
    text = str(value).strip()
    if not _ID_OK.match(text):
        raise ArticleError(f"{origin}: id {text!r} must be 1-128 characters of A-Z a-z 0-9 . _ : -")
    return text


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")


def _require(title: str, body: str, origin: str) -> None:
    if not title.strip():
        raise ArticleError(f"{origin}: no title")
    if not body.strip():
        raise ArticleError(f"{origin}: empty body")


def parse_plain(text: str, name: str) -> Article:
    """The seed format: title line, `- Heading -` section lines, `Name--Outlet` byline last."""
    lines = _normalise(text).strip().split("\n")
    title = lines[0].strip()
    author = source = None
    rest = lines[1:]
    if rest and (byline := _BYLINE.match(rest[-1].strip())):
        author, source = byline.group("author").strip(), byline.group("source").strip()
        rest = rest[:-1]
    body = "\n".join(rest).strip()
    _require(title, body, name)
    return Article(
        id=slugify(Path(name).stem, 64),
        title=title,
        body=body,
        source=source,
        author=author,
        sections=find_sections(body),
        origin=name,
    )


def _front_matter(block: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in block.split("\n"):
        if ":" in line and not line.startswith((" ", "\t", "#")):
            key, _, value = line.partition(":")
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta


def parse_markdown(text: str, name: str) -> Article:
    text = _normalise(text).strip()
    meta: dict[str, str] = {}
    if match := _FRONT_MATTER.match(text):
        meta = _front_matter(match.group("meta"))
        text = text[match.end() :].strip()
    title = meta.get("title", "")
    if not title and (first := re.match(r"#[ \t]+(.+)", text)):  # a leading "# Title" line
        title, text = first.group(1).strip(), text[first.end() :].strip()
    body = text
    _require(title, body, name)
    return Article(
        id=_clean_id(meta["id"], name) if meta.get("id") else slugify(Path(name).stem, 64),
        title=title,
        body=body,
        source=meta.get("source") or None,
        author=meta.get("author") or None,
        url=meta.get("url") or None,
        published=parse_published(meta.get("published") or meta.get("date")),
        sections=find_sections(body),
        origin=name,
    )


def parse_record(record: object, origin: str) -> Article:
    """One JSON Lines record `{id?, title, body, published_at?, source?, url?, author?}`."""
    if not isinstance(record, dict):
        raise ArticleError(f"{origin}: expected a JSON object, got {type(record).__name__}")
    title, body = record.get("title"), record.get("body")
    if not isinstance(title, str) or not isinstance(body, str):
        raise ArticleError(f"{origin}: 'title' and 'body' must be strings")
    title, body = title.strip(), _normalise(body).strip()
    _require(title, body, origin)
    optional = {}
    for key in ("source", "url", "author"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ArticleError(f"{origin}: '{key}' must be a string")
        optional[key] = value.strip() if value and value.strip() else None
    try:
        published = parse_published(record.get("published_at", record.get("published")))
    except ArticleError as err:
        raise ArticleError(f"{origin}: {err}") from None
    raw_id = record.get("id")
    return Article(
        id=_clean_id(raw_id, origin) if raw_id not in (None, "") else derived_id(title),
        title=title,
        body=body,
        published=published,
        sections=find_sections(body),
        origin=origin,
        **optional,
    )


def parse_jsonl(text: str, name: str) -> LoadResult:
    from index.formats.common import SkipFile

    result = LoadResult()
    for number, line in enumerate(_normalise(text).split("\n"), start=1):
        if not line.strip():
            continue
        origin = f"{name}:{number}"
        try:
            record = json.loads(line)
            from index.formats.ninjs import is_ninjs, parse_ninjs  # a wire's JSON Lines

            parse = parse_ninjs if is_ninjs(record) else parse_record
            result.articles.append(parse(record, origin))
        except json.JSONDecodeError as err:
            result.errors.append(LoadError(origin, f"malformed JSON ({err.msg})"))
        except ArticleError as err:
            result.errors.append(LoadError(origin, str(err).removeprefix(f"{origin}: ")))
        except SkipFile as why:  # e.g. a wire's picture item among its text items
            result.skipped.append(LoadError(origin, str(why)))
    return result


def parse_text(text: str, name: str, fmt: str | None = None) -> LoadResult:
    """Parse already-decoded text; `fmt` is text, markdown or jsonl (default: from the name)."""
    fmt = fmt or SUPPORTED_SUFFIXES.get(Path(name).suffix.lower(), "text")
    if fmt == "jsonl":
        return parse_jsonl(text, name)
    try:
        article = parse_markdown(text, name) if fmt == "markdown" else parse_plain(text, name)
    except ArticleError as err:
        return LoadResult(errors=[LoadError(name, str(err).removeprefix(f"{name}: "))])
    return LoadResult(articles=[article])


def decode(data: bytes, name: str) -> str:
    """UTF-8 text, or ArticleError saying why the bytes are not an article."""
    if not data.strip():
        raise ArticleError("empty file")
    if b"\x00" in data[:8192]:
        raise ArticleError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ArticleError(
            f"not UTF-8 (byte {err.start}: {data[err.start : err.start + 1]!r})"
        ) from None


def load_file(path: Path) -> LoadResult:
    """One file in any format of index/formats/ (chosen by suffix and content)."""
    from index.formats import MAX_FILE_BYTES, load_bytes

    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refused unread, however it is built
            message = f"refused: {size} bytes is over the limit of {MAX_FILE_BYTES} bytes a file"
            return LoadResult(errors=[LoadError(name, message)])
        data = path.read_bytes()
    except OSError as err:
        return LoadResult(errors=[LoadError(name, f"unreadable ({err.strerror or err})")])
    return load_bytes(data, name)


DATA_DIR_MARKERS = ("newsdesk.lock", "chroma.sqlite3")  # an index's own files are no articles


def iter_files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            data_dirs = {m.parent for name in DATA_DIR_MARKERS for m in path.rglob(name)}
            yield from sorted(
                p
                for p in path.rglob("*")
                # Every file is yielded, known suffix or not: one in no format we read is
                # reported as skipped, never passed over in silence. Hidden files and a
                # newsdesk data dir inside the folder are not articles.
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not any(d in p.parents for d in data_dirs)
            )
        else:
            yield path


def load_paths(paths: Iterable[Path]) -> LoadResult:
    """Load every supported file under `paths`; a missing path is an error, not an exception."""
    result = LoadResult()
    for path in iter_files(paths):
        if not path.exists():
            result.errors.append(LoadError(str(path), "no such file or directory"))
            continue
        result.extend(load_file(path))
    return result

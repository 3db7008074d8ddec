"""Bodies of the HTTP API and their conversion to and from our own types (qa/types, index/types).

Request bodies carry the configured limits in their schema (so /openapi.json tells a client the
real bounds), which is why `request_models(server)` builds them per app. Response bodies are fixed.
"""

# No `from __future__ import annotations` here: the request models are classes made inside a
# function, and pydantic must see their annotations as objects, not as names to look up later.

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from index.formats.common import SkipFile
from index.formats.loaders import ArticleError, LoadError, LoadResult, parse_published, parse_record
from index.formats.ninjs import parse_ninjs
from index.store.store import ArticleRecord
from qa.settings import ServerSettings, Settings
from qa.types import Filters, Turn

# The rule index/loaders applies to explicit ids, stated here so the schema can show it.
ARTICLE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
ArticleId = Annotated[str, StringConstraints(pattern=ARTICLE_ID_PATTERN)]
Mode = Literal["hybrid", "dense", "bm25"]
# Exactly the backends the settings accept, so the two cannot drift apart.
Backend = Settings.model_fields["backend"].annotation
Role = Literal["user", "assistant"]
# Documented as a date; an ISO date-time or 20241129 is accepted too (as in JSON Lines files).
DateText = Annotated[
    str,
    StringConstraints(max_length=40),
    Field(
        description="ISO 8601 date, e.g. 2024-11-29 (a date-time or 20241129 also works)",
        examples=["2024-11-29"],
        json_schema_extra={"format": "date"},
    ),
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# somewhere a character that is neither space, a byte-order mark nor a control character (NUL...)
VISIBLE = r"[^\s\ufeff\x00-\x1f\x7f-\x9f]"


def _not_a_boolean(value: object) -> object:
    # JSON's true is no count, though Python's int accepts it; 30.0 is an integer in JSON Schema.
    if isinstance(value, bool):
        raise ValueError("Input should be a valid integer, not a boolean")
    return value


def top_k_type(server: ServerSettings) -> Any:
    """How many passages a request may ask for: a whole number within the server's bound."""
    return Annotated[int, Field(ge=1, le=server.max_top_k), BeforeValidator(_not_a_boolean)]


def _date(value: str | None) -> int | None:
    try:
        return parse_published(value)
    except ArticleError as err:
        raise ValueError(str(err)) from None


class FiltersIn(BaseModel):
    """Search only these articles, outlets or publication dates (all given conditions apply)."""

    model_config = ConfigDict(extra="forbid")

    article_ids: list[ArticleId] = Field(default_factory=list, max_length=200)
    sources: list[Name] = Field(default_factory=list, max_length=200)
    published_from: DateText | None = None
    published_to: DateText | None = None

    @field_validator("published_from", "published_to")
    @classmethod
    def _readable(cls, value: str | None) -> str | None:
        _date(value)
        return value

    @model_validator(mode="after")
    def _ordered(self) -> "FiltersIn":
        start, end = _date(self.published_from), _date(self.published_to)
        if start is not None and end is not None and start > end:
            raise ValueError("published_from is after published_to")
        return self

    def to_filters(self) -> Filters:
        return Filters(
            article_ids=tuple(self.article_ids),
            sources=tuple(self.sources),
            published_from=_date(self.published_from),
            published_to=_date(self.published_to),
        )


@dataclass(frozen=True)
class RequestModels:
    ask: type[BaseModel]
    turn: type[BaseModel]
    article: type[BaseModel]
    articles: Any  # one article or a list of them


def question_type(server: ServerSettings) -> Any:
    """A question of a request body, within the configured length."""
    return Annotated[
        str,
        # VISIBLE: the schema says what the engine refuses as empty (spaces, control characters).
        StringConstraints(min_length=1, max_length=server.max_question_chars, pattern=VISIBLE),
        Field(examples=["Why now?"]),
    ]


def request_models(server: ServerSettings) -> RequestModels:
    Question = question_type(server)

    class TurnIn(BaseModel):
        """An earlier message of the conversation, oldest first."""

        model_config = ConfigDict(extra="forbid")

        role: Role
        content: Annotated[str, StringConstraints(max_length=server.max_turn_chars)]

    class AskRequest(BaseModel):
        model_config = ConfigDict(
            extra="forbid", json_schema_extra={"examples": [{"question": "Why now?", "top_k": 5}]}
        )

        question: Question
        top_k: top_k_type(server) | None = None  # type: ignore[valid-type]
        filters: FiltersIn | None = None
        history: list[TurnIn] = Field(default_factory=list, max_length=server.max_history_turns)
        backend: Backend | None = None  # type: ignore[valid-type]
        mode: Mode | None = None

        def engine_args(self) -> dict[str, Any]:
            """Keyword arguments for `Engine.ask` / `Engine.ask_stream`."""
            return {
                "question": self.question,
                "top_k": self.top_k,
                "filters": self.filters.to_filters() if self.filters else None,
                "mode": self.mode,
                "history": tuple(Turn(t.role, t.content) for t in self.history),
                "backend": self.backend,
            }

    class ArticleIn(BaseModel):
        """One article, as in a JSON Lines file. Without `id`, one is derived from the title."""

        model_config = ConfigDict(
            extra="forbid",
            json_schema_extra={
                "examples": [{"id": "my-article", "title": "A title", "body": "Text."}]
            },
        )

        id: ArticleId | None = None
        title: Annotated[str, StringConstraints(max_length=1000, pattern=VISIBLE)]
        body: Annotated[
            str, StringConstraints(max_length=server.max_article_chars, pattern=VISIBLE)
        ]
        published_at: DateText | None = None
        source: Annotated[str, StringConstraints(max_length=200)] | None = None
        url: Annotated[str, StringConstraints(max_length=2000)] | None = None
        author: Annotated[str, StringConstraints(max_length=200)] | None = None

    class NinjsIn(BaseModel):
        """An IPTC ninjs 1.x text item (`uri` is its id; see README, "Article formats"): a headline
        and a plain-text body. Other ninjs fields are accepted; those newsdesk does not use are
        ignored. (Files of ninjs with `body_html`, or any pubstatus, go through `newsdesk ingest` or
        the drop folder.)"""

        model_config = ConfigDict(
            extra="allow",
            json_schema_extra={
                "examples": [
                    {
                        "uri": "urn:newsml:wire.example:1",
                        "version": "1",
                        "headline": "A title",
                        "body_text": "Text.",
                    }
                ]
            },
        )

        uri: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=VISIBLE)]
        headline: Annotated[str, StringConstraints(max_length=1000, pattern=VISIBLE)]
        body_text: Annotated[
            str, StringConstraints(max_length=server.max_article_chars, pattern=VISIBLE)
        ]

    class NinjsValue(BaseModel):
        model_config = ConfigDict(extra="allow")
        value: Annotated[
            str, StringConstraints(max_length=server.max_article_chars, pattern=VISIBLE)
        ]
        role: Annotated[str, StringConstraints(max_length=100)] | None = None

    class Ninjs2In(BaseModel):
        """An IPTC ninjs 2.x text item: `headlines` and plain-text `bodies` as value objects."""

        model_config = ConfigDict(
            extra="allow",
            json_schema_extra={
                "examples": [
                    {
                        "uri": "urn:newsml:wire.example:2",
                        "version": "2",
                        "headlines": [{"role": "main", "value": "A title"}],
                        "bodies": [{"role": "main", "value": "Text."}],
                    }
                ]
            },
        )

        uri: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=VISIBLE)]
        headlines: Annotated[list[NinjsValue], Field(min_length=1, max_length=20)]
        bodies: Annotated[list[NinjsValue], Field(min_length=1, max_length=20)]

    One = ArticleIn | NinjsIn | Ninjs2In
    batch = Annotated[list[One], Field(min_length=1, max_length=server.max_articles_per_request)]
    return RequestModels(AskRequest, TurnIn, ArticleIn, One | batch)


def parse_articles(items: Sequence[BaseModel]) -> LoadResult:
    """Validate each posted article as the JSON Lines loader does; a bad one is reported by its
    position in the request and the others still go in."""
    result = LoadResult()
    for position, item in enumerate(items):
        origin = f"articles[{position}]"
        try:
            record = item.model_dump(exclude_none=True)
            article = (parse_ninjs if "uri" in record else parse_record)(record, origin)
        except SkipFile as why:
            result.skipped.append(LoadError(origin, str(why)))
            continue
        except ArticleError as err:
            result.errors.append(LoadError(origin, str(err).removeprefix(f"{origin}: ")))
        else:
            result.articles.append(replace(article, origin=origin))
    return result


# -- responses ------------------------------------------------------------------------------------


class CitationOut(BaseModel):
    ref: int
    article_id: str
    title: str
    section: str | None
    text: str = Field(description="the cited passage")
    quote: str = Field(description="the supporting sentence: exactly body[start:end]")
    start: int
    end: int
    score: float
    also_published_by: list[str] = Field(
        default_factory=list, description="other outlets that published this story (syndication)"
    )
    published: str | None = Field(None, description="the article's publication date, ISO")


class SentenceOut(BaseModel):
    text: str
    refs: list[int]
    supported: bool
    problems: list[str] = Field(
        default_factory=list,
        description="why it is not supported: reason codes (speaker, ...); on a supported "
        "sentence, notes: codes whose flags alone are not evidence of an error (qa/checks/"
        "calibration.json)",
    )
    reasons: list[str] = Field(default_factory=list, description="the same, for a reader")
    dates: list[str] = Field(
        default_factory=list,
        description="dates the sentence mentions, resolved against its article's publication: "
        "2024-11-27 (a day), 2024-11 (a month), 2024 (a year), 2024-11-18/2024-11-24 (a range)",
    )


class FocusOut(BaseModel):
    """The story the answer was confined to."""

    article_ids: list[str]
    reason: str = Field(
        description="why: the request's filters, the conversation, the one story found"
    )


class AnswerOut(BaseModel):
    """The same JSON as `newsdesk ask --json` (fields added there later pass through)."""

    model_config = ConfigDict(extra="allow")

    answer: str
    refused: bool
    backend: str
    citations: list[CitationOut]
    sentences: list[SentenceOut]
    degraded: str | None
    focus: FocusOut | None = Field(None, description="the articles the answer was focused on")
    needs: str | None = Field(
        None, description='"story": the question names no story and the conversation none yet'
    )


def published_text(published: int | None) -> str | None:
    """20241129 -> "2024-11-29"."""
    if published is None:
        return None
    text = f"{published:08d}"
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return text


class ArticleSummary(BaseModel):
    id: str
    title: str
    published_at: str | None
    source: str | None
    author: str | None
    url: str | None
    chunk_count: int

    @classmethod
    def of(cls, record: ArticleRecord) -> "ArticleSummary":
        return cls(
            id=record.id,
            title=record.title,
            published_at=published_text(record.published),
            source=record.source,
            author=record.author,
            url=record.url,
            chunk_count=record.chunk_count,
        )


class SectionOut(BaseModel):
    heading: str | None
    start: int
    end: int


class ArticleDetail(ArticleSummary):
    version: str
    origin: str
    body: str
    sections: list[SectionOut]
    partial: bool = Field(False, description="a feed item's summary only, not the full article")
    item_version: int | None = Field(None, description="the wire's version (ninjs, NewsML-G2)")
    story_group: str | None = Field(None, description="syndicated copies share one")
    located: str | None = None

    @classmethod
    def of(cls, record: ArticleRecord) -> "ArticleDetail":
        return cls(
            **ArticleSummary.of(record).model_dump(),
            version=record.version,
            origin=record.origin,
            body=record.body or "",
            sections=[
                SectionOut(heading=s.heading, start=s.start, end=s.end) for s in record.sections
            ],
            partial=record.partial,
            item_version=record.item_version,
            story_group=record.story_group,
            located=record.located,
        )


class ArticleList(BaseModel):
    total: int
    offset: int
    articles: list[ArticleSummary]


class IngestFailure(BaseModel):
    origin: str = Field(description="articles[N]: the position in the request")
    error: str


class IngestResult(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    failed: list[IngestFailure]
    chunks: int = Field(description="chunks embedded and written by this request")
    skipped: list[dict[str, str]] = Field(
        default_factory=list, description="items that are no article (a ninjs picture item)"
    )
    withdrawn: list[str] = Field(
        default_factory=list, description="ninjs items canceled or withheld: removed from answers"
    )


class Deleted(BaseModel):
    id: str
    deleted: bool = Field(description="false when there was no such article (nothing to do)")


class Health(BaseModel):
    status: Literal["ok"]


class Ready(BaseModel):
    status: Literal["ready"]
    articles: int
    chunks: int

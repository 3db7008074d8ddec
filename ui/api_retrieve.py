"""POST /v1/retrieve: the passages a question finds, ranked, without composing an answer.

What a caller needs to build on our retrieval from elsewhere (ui/llamaindex.py's `NewsdeskRetriever`
over a running server reads it): each passage with its article, outlet, date, section, story group
and its exact span in the article body (body[start:end] == text).
"""

# No `from __future__ import annotations`: the body type is built per app and FastAPI must see it.

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from index.news.dates import iso_of
from qa.engine import Engine
from qa.settings import ServerSettings
from qa.types import Passage
from ui.api_deps import engine_of, guarded, off_loop
from ui.api_errors import BODY_ERRORS
from ui.schemas import FiltersIn, Mode, question_type, top_k_type


class PassageOut(BaseModel):
    article_id: str
    title: str
    source: str | None = Field(description="the outlet")
    published: str | None = Field(description="the article's publication date, ISO")
    section: str | None
    story_group: str = Field(
        description="syndicated copies of one story share it; else the article's own id"
    )
    text: str = Field(description="the passage: exactly body[start:end] of the article")
    start: int
    end: int
    score: float = Field(description="fused retrieval score, higher is better")


class PassagesOut(BaseModel):
    passages: list[PassageOut]


def story_group_of(engine: Engine, article_id: str) -> str:
    """The story group an article is in: the group of its syndicated copies when it has any
    (qa/retrieval/story_groups.py), else its own id, as ingest assigns it."""
    group = engine.retriever.one_per_story.groups().get(article_id)
    return group.id if group is not None else article_id


def passages_json(engine: Engine, passages: Sequence[Passage]) -> list[dict[str, Any]]:
    return [
        {
            "article_id": p.chunk.article_id,
            "title": p.chunk.title,
            "source": p.source,
            "published": iso_of(p.published),
            "section": p.chunk.section,
            "story_group": story_group_of(engine, p.chunk.article_id),
            "text": p.text,
            "start": p.chunk.start,
            "end": p.chunk.end,
            "score": p.score,
        }
        for p in passages
    ]


def retrieve_router(server: ServerSettings) -> APIRouter:
    router = APIRouter(tags=["questions"])

    class RetrieveRequest(BaseModel):
        model_config = ConfigDict(
            extra="forbid", json_schema_extra={"examples": [{"question": "Why now?", "top_k": 5}]}
        )

        question: question_type(server)  # type: ignore[valid-type]
        top_k: top_k_type(server) | None = None  # type: ignore[valid-type]
        filters: FiltersIn | None = None
        mode: Mode | None = None

    @router.post("/v1/retrieve", response_model=PassagesOut, **guarded("query", *BODY_ERRORS, 503))
    async def retrieve(body: RetrieveRequest, request: Request) -> dict[str, Any]:
        """The passages the question finds, best first (one per story group), without an answer."""
        engine = engine_of(request)

        def run() -> list[dict[str, Any]]:
            filters = body.filters.to_filters() if body.filters else None
            found = engine.retrieve(body.question, body.top_k, filters, body.mode)
            return passages_json(engine, found)

        return {"passages": await off_loop(request, run)}

    return router

"""GET /v1/timeline: a story's dated events, oldest first, grouped by day (qa/dated/timeline.py)."""

# No `from __future__ import annotations`: FastAPI reads the parameter types at run time.

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from qa.types import Filters
from ui.api_deps import engine_of, guarded, off_loop, only_query

# At least one printable character: the story to find.
STORY_PATTERN = r"[^\s\x00-\x1f\x7f]"


def _yyyymmdd(day: date | None) -> int | None:
    return day.year * 10000 + day.month * 100 + day.day if day else None


def timeline_router() -> APIRouter:
    router = APIRouter(tags=["questions"])

    @router.get("/v1/timeline", **guarded("query", 422, 503))
    async def timeline(
        request: Request,
        _: Annotated[
            None, Depends(only_query("q", "article_id", "published_from", "published_to"))
        ],
        q: Annotated[
            str, Query(max_length=2000, pattern=STORY_PATTERN, description="the story to find")
        ] = "",
        article_id: Annotated[
            list[str], Query(description="or: the story's articles", max_length=50)
        ] = [],  # noqa: B006 (FastAPI copies query defaults)
        published_from: Annotated[date | None, Query(description="published on or after")] = None,
        published_to: Annotated[date | None, Query(description="published on or before")] = None,
    ) -> dict[str, Any]:
        """The dated events of a story across its articles, oldest first, grouped by day: each a
        sentence with its article, the article's date, the words that date it and its exact span
        (body[start:end] == quote); duplicates across outlets once. Without `q` or `article_id` the
        timeline is empty."""
        ids = tuple(article_id)
        if not q and not ids:
            return {"query": None, "article_ids": [], "days": []}
        filters = Filters(
            published_from=_yyyymmdd(published_from), published_to=_yyyymmdd(published_to)
        )
        return await off_loop(request, engine_of(request).timeline, q or None, ids, filters)

    return router

"""GET /v1/timeline: a story's dated events, oldest first, grouped by day (qa/timeline.py)."""

# No `from __future__ import annotations`: FastAPI reads the parameter types at run time.

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from index.loaders import ArticleError, parse_published
from qa.types import Filters
from ui.api_deps import engine_of, guarded, off_loop, only_query
from ui.api_errors import ApiError


def timeline_router() -> APIRouter:
    router = APIRouter(tags=["questions"])

    @router.get("/v1/timeline", **guarded("query", 422, 503))
    async def timeline(
        request: Request,
        _: Annotated[
            None, Depends(only_query("q", "article_id", "published_from", "published_to"))
        ],
        q: Annotated[str | None, Query(max_length=2000, description="the story to find")] = None,
        article_id: Annotated[list[str] | None, Query(description="or: these articles")] = None,
        published_from: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
        published_to: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
    ) -> dict[str, Any]:
        """The dated events of a story across its articles: each a sentence with its article, the
        article's date and its exact span (body[start:end] == quote); duplicates shown once."""
        if not (q and q.strip()) and not article_id:
            raise ApiError(422, "invalid_request", "give q (a story) or article_id")
        try:
            filters = Filters(published_from=parse_published(published_from),
                              published_to=parse_published(published_to))  # fmt: skip
        except ArticleError as err:
            raise ApiError(422, "invalid_request", f"bad date: {err}") from None
        engine = engine_of(request)
        return await off_loop(request, engine.timeline, q, tuple(article_id or ()), filters)

    return router

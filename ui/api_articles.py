"""/v1/articles: add, list, read and delete articles, with the CLI's idempotence (an unchanged
article is reported `unchanged` and costs nothing; deleting what is not there is no error)."""

# No `from __future__ import annotations`: the body type is built per app (schemas.py).

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from ui.api_deps import engine_of, guarded, off_loop, only_query
from ui.api_errors import BODY_ERRORS, ApiError, error_json
from ui.schemas import (
    ARTICLE_ID_PATTERN,
    ArticleDetail,
    ArticleList,
    ArticleSummary,
    Deleted,
    IngestResult,
    RequestModels,
    parse_articles,
)

ArticleIdPath = Annotated[str, Path(pattern=ARTICLE_ID_PATTERN, description="the article's id")]


def articles_router(models: RequestModels) -> APIRouter:
    router = APIRouter(prefix="/v1/articles", tags=["articles"])
    ArticlesIn = models.articles

    @router.post(
        "",
        response_model=IngestResult,
        **guarded("ingest", *BODY_ERRORS, 503),
    )
    async def add_articles(body: ArticlesIn, request: Request) -> Any:  # type: ignore[valid-type]
        """Add or replace one article or a list of them. A record that cannot be used is listed
        in `failed` and the others still go in; 422 when none could be used."""
        loaded = parse_articles(body if isinstance(body, list) else [body])
        report = await off_loop(request, engine_of(request).ingest_loaded, loaded)
        result = report.as_dict()
        if report.failed and not (
            report.added or report.updated or report.unchanged or report.withdrawn
        ):
            first = report.failed[0]
            message = f"no article could be used: {first}"
            return error_json(422, "invalid_article", message, **result)
        return result

    @router.get(
        "",
        response_model=ArticleList,
        **guarded("query", 422, 503),
    )
    async def list_articles(
        request: Request,
        _: Annotated[None, Depends(only_query("limit", "offset"))],
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Indexed articles, newest first: ids, titles, dates and chunk counts."""
        records = await off_loop(request, engine_of(request).articles)
        page = [ArticleSummary.of(r) for r in records[offset : offset + limit]]
        return {"total": len(records), "offset": offset, "articles": page}

    @router.get(
        "/{article_id}",
        response_model=ArticleDetail,
        **guarded("query", 404, 422, 503),
    )
    async def get_article(request: Request, article_id: ArticleIdPath) -> ArticleDetail:
        """One article with its body and sections (citation offsets point into `body`)."""
        record = await off_loop(request, engine_of(request).article, article_id)
        if record is None:
            raise ApiError(404, "not_found", f"no article {article_id!r}")
        return ArticleDetail.of(record)

    @router.delete(
        "/{article_id}",
        response_model=Deleted,
        **guarded("admin", 422, 503),
    )
    async def delete_article(request: Request, article_id: ArticleIdPath) -> dict[str, Any]:
        """Remove an article and all its chunks; `deleted` is false when it was not there."""
        found = await off_loop(request, engine_of(request).delete, article_id)
        return {"id": article_id, "deleted": found}

    return router

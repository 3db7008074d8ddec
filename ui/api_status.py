"""GET /v1/status: how fresh the index is. The last ingest (from any route, the CLI's drop
folder watcher or the API) and, with `serve --watch`, the drop folder's backlog, so a stalled
feed shows up here rather than weeks later in stale answers."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request

from ui.api_deps import engine_of, guarded, off_loop


def status_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/v1/status", **guarded("query", 503))
    async def status(request: Request) -> dict[str, Any]:
        """Articles indexed, the last ingest time (UTC) and the drop folder's state."""
        engine = engine_of(request)
        articles = len(await off_loop(request, engine.store.versions))
        at = engine.last_ingest_at
        watch = getattr(request.app.state, "watch", None)
        return {
            "articles": articles,
            "last_ingest_at": datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds")
            if at
            else None,
            "watch": watch.as_dict() if watch is not None else None,
        }

    return router

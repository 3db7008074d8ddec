"""The HTTP API: `create_app(settings)` builds a FastAPI app; nothing lives at module level.

Routes are thin: they check the caller (ui/api_deps.py), call the engine in a worker thread and
return the engine's own JSON. Errors all have the shape of ui/api_errors.py.
"""

# No `from __future__ import annotations`: the routes' body types are built per app (schemas.py)
# and FastAPI must see them as objects.

import logging
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi_offline import FastAPIOffline

from qa.engine import Engine
from qa.settings import Settings
from ui.api_articles import articles_router
from ui.api_deps import engine_of, guarded, off_loop
from ui.api_errors import BODY_ERRORS, ApiError, error_responses, install_error_handlers
from ui.api_limits import BodyLimit, NoSniff
from ui.api_retrieve import retrieve_router
from ui.api_status import status_router
from ui.api_timeline import timeline_router
from ui.auth import load_keys
from ui.openai_compat import chat_router
from ui.ratelimit import RateLimiter
from ui.schemas import AnswerOut, Health, Ready, RequestModels, request_models

log = logging.getLogger("newsdesk.api")

# FastAPI's own OpenTelemetry hooks: off, like every other library's telemetry here.
TELEMETRY_OFF = {"tracing": False, "metrics": False, "logs": False, "auto_configure": False}

Mount = Callable[[FastAPI], None]


def create_app(
    settings: Settings, engine: Engine | None = None, mounts: Sequence[Mount] = ()
) -> FastAPI:
    """The app for `settings`. Without `engine`, one is opened at start-up and closed at shutdown;
    a given engine stays the caller's to close. Each of `mounts` is called with the app once the
    API's routes are in and `app.state` holds `settings`, `engine` (when given) and `keys`, so more
    can be served beside the API: the page, e.g. `lambda app: mount_page(app, engine, app.state.keys)`."""
    server = settings.server
    # The docs pages (/docs, /redoc) load their scripts from the package, not from a CDN.
    app = FastAPIOffline(
        static_url="/docs-static",
        title="newsdesk",
        version=_version(),
        description="Question answering over news articles, with citations. See README.md.",
        lifespan=_lifespan,
        telemetry=TELEMETRY_OFF,  # type: ignore[arg-type]
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.keys = load_keys(server)
    app.state.rate_limiter = RateLimiter(server.rate_limit_per_minute, server.rate_limit_burst)
    app.state.threads = anyio.CapacityLimiter(server.worker_threads)
    app.state.warm = threading.Event()
    app.state.warm_error = None
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=server.max_body_bytes)
    app.add_middleware(NoSniff)
    models = request_models(server)
    app.include_router(_health_router())
    app.include_router(_ask_router(models))
    app.include_router(retrieve_router(server))
    app.include_router(chat_router(server))
    app.include_router(articles_router(models))
    app.include_router(status_router())
    app.include_router(timeline_router())

    for mount in mounts:
        mount(app)

    # After the mounts, so a page mounted there may claim "/" for itself (the first route wins).
    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    state = app.state
    owned = state.engine is None
    if owned:
        state.engine = await anyio.to_thread.run_sync(Engine.from_settings, state.settings)
    # Load the model and the BM25 index in the background: /healthz answers at once and
    # /readyz turns ready when this is done.
    warming = threading.Thread(target=_warm_up, args=(state,), name="warm-up", daemon=True)
    warming.start()
    try:
        yield
    finally:
        # Whoever closes the engine next must not find the warm-up still inside it.
        warming.join(timeout=60)
        if owned:
            state.engine.close()


def _warm_up(state: Any) -> None:
    try:
        state.engine.warm_up()
    except Exception as err:  # reported by /readyz; questions still try on their own
        log.error("warm-up failed: %s", err)
        state.warm_error = str(err)
    finally:
        state.warm.set()


def _version() -> str:
    try:
        return version("newsdesk")
    except PackageNotFoundError:
        return "0"


def _health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model=Health)
    async def healthz() -> dict[str, str]:
        """The process is up (no key needed)."""
        return {"status": "ok"}

    @router.get("/readyz", response_model=Ready, responses=error_responses(503))
    async def readyz(request: Request) -> dict[str, Any]:
        """The index and the model are loaded and the store answers (no key needed)."""
        state = request.app.state
        if not state.warm.is_set() or state.warm_error:
            message = state.warm_error or "still loading the model and the index"
            raise ApiError(503, "not_ready", message, {"Retry-After": "1"})
        store = engine_of(request).store
        try:
            chunks = await off_loop(request, store.chunk_count)
            articles = len(await off_loop(request, store.versions))
        except Exception as err:  # whatever the store raises, the answer is "not ready"
            raise ApiError(503, "store_unavailable", f"the index does not answer: {err}") from err
        return {"status": "ready", "articles": articles, "chunks": chunks}

    return router


def _ask_router(models: RequestModels) -> APIRouter:
    router = APIRouter(tags=["questions"])
    AskRequest = models.ask

    @router.post(
        "/v1/ask",
        response_model=AnswerOut,
        **guarded("query", *BODY_ERRORS, 503),
    )
    async def ask(body: AskRequest, request: Request) -> dict[str, Any]:  # type: ignore[valid-type]
        """Answer a question from the indexed articles: the JSON of `newsdesk ask --json`."""
        answer = await off_loop(request, engine_of(request).ask, **body.engine_args())  # type: ignore[attr-defined]
        return answer.to_json()

    return router

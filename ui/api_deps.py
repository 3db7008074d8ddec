"""What every API route needs: the caller checked (key, scope, rate) and a way to run engine work
off the event loop."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Annotated, Any, TypeVar

import anyio.to_thread
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from qa.engine import Engine
from ui.api_errors import AUTH_ERRORS, ApiError, error_responses
from ui.ratelimit import retry_after

T = TypeVar("T")

# Documents the scheme in /openapi.json (and the "Authorize" button in /docs); the check is ours.
bearer = HTTPBearer(
    auto_error=False,
    description="An API key as `Authorization: Bearer KEY`; needed when the server has keys.",
)


def require(scope: str) -> Callable[..., Any]:
    """A dependency admitting callers whose key has `scope` and who are within their rate."""

    async def check(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Hashable:
        state = request.app.state
        caller: Hashable
        if state.keys.enabled:
            if credentials is None:
                raise _unauthorized("missing API key: send `Authorization: Bearer KEY`")
            key = state.keys.identify(credentials.credentials)
            if key is None:
                raise _unauthorized("unknown API key")
            if not key.allows(scope):
                raise ApiError(403, "forbidden", f"this API key lacks the {scope!r} scope")
            caller = key.digest
        else:  # no keys: loopback only, so callers are told apart by address
            caller = ("address", request.client.host if request.client else "")
        wait = state.rate_limiter.acquire(caller)
        if wait > 0:
            raise ApiError(
                429,
                "rate_limited",
                "too many requests for this API key; retry later",
                {"Retry-After": retry_after(wait)},
            )
        return caller

    return check


def guarded(scope: str, *statuses: int, ok: dict[str, Any] | None = None) -> dict[str, Any]:
    """Route options for a route that needs `scope`: the check, and every error it can return
    (the caller's and `statuses`) documented in the schema; `ok` documents the 200 response."""
    return {
        "dependencies": [Depends(require(scope))],
        "responses": {**({200: ok} if ok else {}), **error_responses(*AUTH_ERRORS, *statuses)},
    }


def only_query(*names: str) -> Callable[..., Any]:
    """A dependency refusing query parameters other than `names`: a misspelt `?limt=5` is an
    error rather than silently the default."""

    async def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - set(names))
        if unknown:
            known = ", ".join(names) or "none"
            raise ApiError(
                422, "invalid_request", f"unknown query parameter {unknown[0]!r} (known: {known})"
            )

    return check


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


def engine_of(request: Request) -> Engine:
    return request.app.state.engine


async def off_loop(request: Request, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking engine work in a worker thread (at most `server.worker_threads` at once), so
    the event loop keeps serving other clients meanwhile."""
    return await anyio.to_thread.run_sync(
        functools.partial(func, *args, **kwargs), limiter=request.app.state.threads
    )

"""Every error the API returns has one shape, `{"error": {"code", "message"}}`, and is documented."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from index.store.store import StoreError, StoreUnavailable
from qa.engine import QuestionError

log = logging.getLogger("newsdesk.api")

STORE_RETRY_SECONDS = 5
MAX_DETAILS = 20  # validation problems listed in one response


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="allow")  # e.g. `details` for validation errors

    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.extra = extra


def error_json(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, **extra}}, status, headers=headers
    )


_DESCRIPTIONS = {
    400: "The body cannot be read (e.g. it is not UTF-8)",
    401: "No API key, or an unknown one",
    403: "The API key lacks the scope this route needs",
    404: "Not found",
    413: "The request body is larger than the configured limit",
    422: "The request is malformed or outside the configured limits",
    429: "Too many requests for this API key; see Retry-After",
    503: "The index cannot be reached right now; see Retry-After",
}
AUTH_ERRORS = (401, 403, 429)
BODY_ERRORS = (400, 413, 422)  # of any route that reads a JSON body


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the given statuses, all with the error shape."""
    return {s: {"model": ErrorResponse, "description": _DESCRIPTIONS[s]} for s in statuses}


_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "request"


# A body that may take several shapes (one article or a list; our JSON or ninjs) fails once per shape.
# The errors that say what is wrong with the value itself come first; "missing field" of another shape,
# and "not an object/list" for the shapes the body plainly is not, last.
_SHAPE_ERRORS = frozenset({"model_attributes_type", "model_type", "dict_type", "list_type"})
_FIELD_ERRORS = frozenset({"missing", "extra_forbidden"})


def _specific_first(error: dict[str, Any]) -> int:
    kind = error.get("type", "")
    return 2 if kind in _SHAPE_ERRORS else 1 if kind in _FIELD_ERRORS else 0


def _validation_message(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    errors = sorted(errors, key=_specific_first)  # stable: the order within each rank is kept
    details = [
        {"loc": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in errors[:MAX_DETAILS]
    ]
    first = "; ".join(f"{_where(tuple(d['loc']))}: {d['message']}" for d in details[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return first + more, details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, err: ApiError) -> JSONResponse:
        return error_json(err.status, err.code, err.message, err.headers, **err.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        # The input itself is never echoed back: it may be large, or hold what a caller pasted.
        message, details = _validation_message(list(err.errors()))
        return error_json(422, "invalid_request", message, details=details)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, err: HTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(err.status_code, f"http_{err.status_code}")
        message = err.detail if isinstance(err.detail, str) else code.replace("_", " ")
        return error_json(err.status_code, code, message, dict(err.headers or {}))

    async def engine_error(request: Request, err: Exception) -> JSONResponse:
        status, code, message = engine_error_of(err)
        if status == 500:
            log.error("%s %s failed", request.method, request.url.path, exc_info=err)
        retry = {"Retry-After": str(STORE_RETRY_SECONDS)} if status == 503 else None
        return error_json(status, code, message, retry)

    for kind in (QuestionError, StoreError, Exception):
        app.add_exception_handler(kind, engine_error)


def engine_error_of(err: Exception) -> tuple[int, str, str]:
    """Status, code and message for an exception from the engine (or anything unexpected)."""
    if isinstance(err, QuestionError):
        return 422, "invalid_question", str(err)
    if isinstance(err, StoreError):
        log.warning("store error: %s", err)
        code = "store_unavailable" if isinstance(err, StoreUnavailable) else "store_error"
        return 503, code, f"the index cannot be used right now: {err}"
    return 500, "internal_error", "internal error; the server log has the details"

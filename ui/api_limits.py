"""The request body limit, answered with the API's JSON error shape.

FastAPI's own `max_body_size` answers a declared oversize body with a plain-text 413 whatever the
app sends, so the limit is enforced here instead: a declared Content-Length over the limit is
refused before the app runs, and a body sent without one is counted as it arrives.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.api_errors import error_json


def too_large_message(limit: int) -> str:
    return f"the request body is larger than the limit of {limit} bytes"


# A client that sends its whole body before reading the answer (Python's urllib, many HTTP
# libraries) gets a connection reset instead of the 413 if the server answers and closes while
# the body is still coming. So the rest of an oversize body is read and thrown away first, up
# to this many bytes (past that, the client is cut off as before).
DRAIN_BYTES = 64_000_000


async def drain(receive: Receive, limit: int = DRAIN_BYTES) -> None:
    """Read and discard the rest of the request body (or until the client goes away)."""
    read = 0
    while read <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        read += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await drain(receive)
            response = error_json(413, "too_large", too_large_message(self.max_bytes))
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    if message.get("more_body", False):
                        await drain(receive)
                    # FastAPI passes an HTTPException from reading the body on to the handlers.
                    raise HTTPException(413, too_large_message(self.max_bytes))
            return message

        await self.app(scope, counted, send)


class NoSniff:
    """`X-Content-Type-Options: nosniff` on every response: a JSON body carrying an article's
    `<script>` stays JSON in a browser, never sniffed into HTML."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    h
                    for h in message.get("headers", [])
                    if h[0].lower() != b"x-content-type-options"
                ]
                message = {
                    **message,
                    "headers": [*headers, (b"x-content-type-options", b"nosniff")],
                }
            await send(message)

        await self.app(scope, receive, with_header)

"""Request guards run before routing: the body size limit and JSON-only bodies."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from litmash.service.problems import problem


class BodyGuard:
    """Refuse bodies over ``max_bytes`` (413) and non-JSON bodies on /api (415), as problem+json.

    The size is checked on the declared Content-Length and again while a chunked body streams in,
    so a client cannot get past it by leaving the length out.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(scope, receive, send, 413, "Content Too Large",
                               f"body: larger than the {self.max_bytes}-byte limit")
            return
        has_body = (length not in (None, "0")) or "transfer-encoding" in request.headers
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if has_body and scope["path"].startswith("/api/") and kind != "application/json" \
                and not kind.endswith("+json"):
            await self._refuse(scope, receive, send, 415, "Unsupported Media Type",
                               f"Content-Type: expected application/json, got {kind or 'none'!r}")
            return
        seen = 0
        too_large = False

        async def counted() -> Message:
            nonlocal seen, too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    too_large = True
                    raise TooLargeBody(self.max_bytes)
            return message

        try:
            await self.app(scope, counted, send)
        except TooLargeBody:
            await self._refuse(scope, receive, send, 413, "Content Too Large",
                               f"body: larger than the {self.max_bytes}-byte limit")

    async def _refuse(self, scope, receive, send, status: int, title: str, detail: str) -> None:
        await problem(Request(scope, receive), status, title, detail, {"Connection": "close"})(scope, receive, send)


class TooLargeBody(HTTPException):
    """Raised while reading an oversized body; an HTTPException so FastAPI's body parsing re-raises it."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"body: larger than the {limit}-byte limit", {"Connection": "close"})

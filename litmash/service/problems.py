"""RFC 9457 problem details: every error the API returns, one line naming the field."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from litmash.service.errors import BadRequest, JobNotFound, ServiceError, Unavailable
from litmash.store.errors import InvalidArgument, NotFound, StoreUnavailable

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


class Problem(BaseModel):
    """An RFC 9457 problem: ``detail`` is one line that names the field at fault."""

    type: str = Field("about:blank", description="A URI naming the problem type.")
    title: str = Field(description="The HTTP status's short name.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong, in one line, naming the field.")
    instance: str | None = Field(None, description="The request path.")


def problem(request: Request, status: int, title: str, detail: str, headers: dict | None = None) -> JSONResponse:
    """A problem+json response."""
    body = Problem(title=title, status=status, detail=" ".join(detail.split()), instance=request.url.path)
    return JSONResponse(body.model_dump(), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def describe(errors: list[dict]) -> str:
    """FastAPI validation errors as one line: 'body.user_prompt: String should have ...'."""
    parts = []
    for err in errors[:3]:
        loc = [str(p) for p in err.get("loc", ())]
        if err.get("type") == "json_invalid":
            return f"body: malformed JSON ({err.get('ctx', {}).get('error', 'invalid')})"
        if loc and loc[0] in ("body", "query", "header", "path"):
            loc = loc[1:] if len(loc) > 1 else loc
        field = ".".join(loc) or "body"
        got = err.get("input")
        shown = f" (got {got!r})" if isinstance(got, (str, int, float)) and len(repr(got)) < 40 else ""
        parts.append(f"{field}: {err.get('msg', 'invalid')}{shown}")
    more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem+json response."""

    @app.exception_handler(ServiceError)
    async def _service(request: Request, exc: ServiceError):
        return problem(request, exc.status, exc.title, str(exc), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = list(exc.errors())
        malformed = any(e.get("type") == "json_invalid" for e in errors)
        status, title = (400, "Bad Request") if malformed else (422, "Unprocessable Content")
        return problem(request, status, title, describe(errors))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404:
            detail = f"path: no route {request.url.path}"
        elif exc.status_code == 405:
            detail = f"method: {request.method} is not allowed on {request.url.path}"
        return problem(request, exc.status_code, _title(exc.status_code), detail, exc.headers)

    @app.exception_handler(InvalidArgument)
    async def _argument(request: Request, exc: InvalidArgument):
        return await _service(request, BadRequest(str(exc)))

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return await _service(request, JobNotFound(f"id: {exc}"))

    @app.exception_handler(StoreUnavailable)
    async def _unavailable(request: Request, exc: StoreUnavailable):
        return await _service(request, Unavailable(f"database: {exc}"))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(request, 500, "Internal Server Error", f"server: {type(exc).__name__} (see the server log)")


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"

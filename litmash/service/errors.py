"""Service errors: each maps to an HTTP status and a one-line RFC 9457 ``detail``."""

from __future__ import annotations

from litmash.errors import LitmashError


class ServiceError(LitmashError):
    """Base class: ``status`` is the HTTP status, ``title`` the problem type's short name."""

    status = 500
    title = "Internal Server Error"
    headers: dict[str, str] = {}


class BadRequest(ServiceError):
    """A parameter or the body is malformed; the message names it."""

    status, title = 400, "Bad Request"


class Unauthorized(ServiceError):
    """No key, or a key that is unknown or revoked."""

    status, title = 401, "Unauthorized"
    headers = {"WWW-Authenticate": "Bearer"}


class JobNotFound(ServiceError, LookupError):
    """No job or evaluation with this id is visible to the caller."""

    status, title = 404, "Not Found"


class Conflict(ServiceError):
    """The request contradicts the resource's state (an Idempotency-Key reused with another body)."""

    status, title = 409, "Conflict"


class Invalid(ServiceError):
    """A well-formed body whose value cannot be used (an unknown dataset name)."""

    status, title = 422, "Unprocessable Content"


class QuotaExceeded(ServiceError):
    """The caller already has as many queued and running jobs as the quota allows."""

    status, title = 429, "Too Many Requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class Unavailable(ServiceError):
    """The queue or the database cannot take the request now."""

    status, title = 503, "Service Unavailable"

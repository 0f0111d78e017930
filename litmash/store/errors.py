"""Store errors: each ``str(error)`` is one line that names what went wrong."""

from __future__ import annotations

from litmash.errors import LitmashError


class StoreError(LitmashError):
    """Base class for persistence errors."""


class StoreUnavailable(StoreError):
    """The PostgreSQL server cannot be reached (or the embedded one cannot start)."""


class InvalidArgument(StoreError, ValueError):
    """A filter or argument has a value the store does not accept; the message names the field."""


class InvalidId(InvalidArgument):
    """An id is neither a UUID nor a prefix of at least 8 hex digits."""


class NotFound(StoreError, LookupError):
    """No session (or no mashup) has this id."""


class AmbiguousId(StoreError, LookupError):
    """An id prefix matches more than one session."""

"""PostgreSQL persistence: the embedded server or an external URL, migrations, and the Store.

Typical use::

    store = Store()                      # Settings from LITMASH_* env; embedded server if no URL
    sid = store.start_session(request, backend="ollama", model="llama3.1", seed=42)
    store.record_agent_run(sid, run, prompt_text)
    store.complete_session(sid, mashup)  # or store.fail_session(sid, exc)
    store.history(genre="jazz")          # pandas DataFrame
"""

from litmash.store.engine import (
    create_database,
    database_url,
    dispose_engines,
    drop_database,
    get_engine,
    psycopg_url,
    redact,
    stop_embedded,
    upgrade,
)
from litmash.store.errors import (
    AmbiguousId,
    InvalidArgument,
    InvalidId,
    NotFound,
    StoreError,
    StoreUnavailable,
)
from litmash.store.queries import SessionSummary
from litmash.store.repository import Store, current_user

__all__ = [
    "AmbiguousId",
    "InvalidArgument",
    "InvalidId",
    "NotFound",
    "SessionSummary",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "create_database",
    "current_user",
    "database_url",
    "dispose_engines",
    "drop_database",
    "get_engine",
    "psycopg_url",
    "redact",
    "stop_embedded",
    "upgrade",
]

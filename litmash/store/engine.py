"""Where the database lives (an external URL or the embedded pgserver), engines and migrations."""

from __future__ import annotations

import atexit
import json
import os
import re
import threading
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from filelock import FileLock
from filelock import Timeout as LockTimeout
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import NullPool

from litmash.config import Settings
from litmash.store.errors import StoreError, StoreUnavailable

EMBEDDED_DATABASE = "litmash"
DRIVER = "postgresql+psycopg2"
MIGRATIONS = Path(__file__).parent / "migrations"
# Arbitrary constant: every process upgrading the same database serialises on it.
_MIGRATION_LOCK_KEY = 0x6C69746D617368  # "litmash"
_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

_lock = threading.RLock()
_engines: dict[str, Engine] = {}
_embedded: dict[Path, str] = {}  # pgdata -> URL of the litmash database on it
_embedded_hosts: set[str] = set()  # socket folders of embedded servers this process started


def _dumps(value: object) -> str:
    # Keep emoji and RTL text readable in psql instead of \u escapes.
    return json.dumps(value, ensure_ascii=False)


def normalise_url(url: str | URL) -> str:
    """Return ``url`` as a psycopg2 SQLAlchemy URL string; reject anything but PostgreSQL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"database_url is not a valid URL: {redact(url)!r}") from None
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        raise StoreError(f"database_url must be a PostgreSQL URL, got {parsed.get_backend_name()!r}")
    return parsed.set(drivername=DRIVER).render_as_string(hide_password=False)


def redact(url: str | URL) -> str:
    """The URL with its password replaced by ``***`` (safe for messages and logs)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", str(url))


def where(url: str | URL) -> str:
    """A short description of the server: ``host:port/db`` or the socket folder."""
    u = make_url(url)
    host = u.host or u.query.get("host") or "localhost"
    port = f":{u.port}" if u.port else ""
    return f"{host}{port}/{u.database or ''}"


# --------------------------------------------------------------------------- embedded server


def _pgdata(data_dir: Path) -> Path:
    return Path(data_dir).expanduser().resolve() / "pg"


def _import_pgserver():
    # Imported only when embedded (psutil, binaries). platformdirs warns at import when
    # XDG_RUNTIME_DIR is unset; its /tmp fallback is fine for pgserver's lock file.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
        import pgserver
        import pgserver.utils
    return pgserver


def embedded_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL in ``data_dir/pg``; return its litmash database URL.

    The server is left running when this process exits (``cleanup_mode=None``) so later runs
    and other processes reuse it. A file lock guards the first start: two processes initialising
    a new data folder at once otherwise race inside pgserver.
    """
    pgdata = _pgdata(data_dir)
    with _lock:
        if pgdata in _embedded:
            return _embedded[pgdata]
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(str(pgdata.parent / "pg.lock"), timeout=120):
                pgserver = _import_pgserver()
                server = pgserver.get_server(pgdata, cleanup_mode=None)
                socket_dir = str(server.get_postmaster_info().socket_dir)
                _create_litmash_database(socket_dir)
        except LockTimeout:
            raise StoreUnavailable(f"timed out waiting for the lock on {pgdata.parent / 'pg.lock'}") from None
        except StoreError:
            raise
        except Exception as exc:  # pgserver raises bare CalledProcessError/OSError/AssertionError
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreUnavailable(
                f"cannot start the embedded PostgreSQL in {pgdata}: {reason} (log: {pgdata / 'log'})"
            ) from None
        url = URL.create(DRIVER, username="postgres", database=EMBEDDED_DATABASE, query={"host": socket_dir})
        _embedded[pgdata] = url.render_as_string(hide_password=False)
        _embedded_hosts.add(socket_dir)
        return _embedded[pgdata]


def _create_litmash_database(socket_dir: str) -> None:
    admin = URL.create(DRIVER, username="postgres", database="postgres", query={"host": socket_dir})
    engine = create_engine(admin, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": EMBEDDED_DATABASE}
            ).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{EMBEDDED_DATABASE}"'))
    finally:
        engine.dispose()


def stop_embedded(data_dir: Path) -> bool:
    """Stop the embedded server of ``data_dir`` if it runs; return whether one was stopped."""
    _import_pgserver()
    from pgserver._commands import pg_ctl
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import PostmasterInfo

    pgdata = _pgdata(data_dir)
    with _lock:
        url = _embedded.pop(pgdata, None)
        if url is not None:
            host = make_url(url).query.get("host")
            for key in [u for u in _engines if make_url(u).query.get("host") == host]:
                _engines.pop(key).dispose()
        instance = PostgresServer._instances.pop(pgdata, None)  # so a later start really restarts it
        if instance is not None:
            atexit.unregister(instance._cleanup)  # it would look itself up in _instances at exit
        info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
        if info is None or not info.is_running():
            return False
        if info.socket_dir is not None:
            _embedded_hosts.discard(str(info.socket_dir))
        # pgserver runs postgres as the 'pgserver' user when we are root.
        user = "pgserver" if os.name == "posix" and os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
        return True


def is_embedded(url: str | URL) -> bool:
    """Whether ``url`` points at an embedded server started by this process."""
    return make_url(url).query.get("host") in _embedded_hosts


def database_url(settings: Settings | None = None) -> str:
    """``settings.database_url`` if set, else the URL of the embedded server in ``settings.data_dir``."""
    settings = settings or Settings()
    if settings.database_url:
        return normalise_url(settings.database_url)
    return embedded_url(settings.data_dir)


def psycopg_url(source: Settings | str | None = None) -> str:
    """A libpq URI for psycopg 3 (e.g. LangGraph's ``PostgresSaver.from_conn_string``)."""
    url = source if isinstance(source, str) else database_url(source)
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# --------------------------------------------------------------------------- engines


@contextmanager
def connect(engine: Engine) -> Iterator[Connection]:
    """``engine.connect()`` that turns a refused or failed connection into ``StoreUnavailable``."""
    try:
        conn = engine.connect()
    except OperationalError as exc:
        reason = (str(exc.orig).strip().splitlines() or ["connection failed"])[0]
        raise StoreUnavailable(f"PostgreSQL unreachable at {redact(engine.url)}: {reason}") from None
    with conn:
        yield conn


def _new_engine(url: str, **kwargs) -> Engine:
    connect_args = {} if "connect_timeout" in make_url(url).query else {"connect_timeout": 10}
    return create_engine(url, pool_pre_ping=True, json_serializer=_dumps, connect_args=connect_args, **kwargs)


def get_engine(source: Settings | str | None = None) -> Engine:
    """The process-wide engine for the configured database; the schema is upgraded to head on first use."""
    url = normalise_url(source) if isinstance(source, str) else database_url(source)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _new_engine(url)
            try:
                upgrade(engine)
            except BaseException:
                engine.dispose()
                raise
            _engines[url] = engine
        return engine


def dispose_engines(prefix: str | None = None) -> None:
    """Close the cached engines (all, or those whose URL starts with ``prefix``)."""
    with _lock:
        for url in [u for u in _engines if prefix is None or u.startswith(prefix)]:
            _engines.pop(url).dispose()


def _forget_engines_after_fork() -> None:
    # A forked child must not reuse the parent's sockets; it opens its own on demand.
    for engine in _engines.values():
        engine.dispose(close=False)
    _engines.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_engines_after_fork)


# --------------------------------------------------------------------------- migrations


@dataclass(frozen=True)
class Migrations:
    """One Alembic migration chain: the store's, or another room's kept in the same database.

    ``folder`` holds the chain's ``env.py`` and versions; ``lock_key`` is the advisory lock that
    serialises the processes upgrading it; ``schema`` is where its version table lives (created
    before the first revision; None: the search path's); ``kind`` names its revisions in messages.
    """

    folder: Path
    lock_key: int
    schema: str | None = None
    kind: str = "schema"

    def config(self) -> Config:
        """Alembic configuration pointing at the chain's folder."""
        cfg = Config()
        cfg.set_main_option("script_location", str(self.folder))
        return cfg

    def head(self) -> str:
        """The newest revision of the chain shipped with litmash."""
        head = ScriptDirectory.from_config(self.config()).get_current_head()
        assert head is not None
        return head

    def current(self, engine: Engine) -> str | None:
        """The revision the database is at (``None`` before the chain's first migration)."""
        with connect(engine) as conn:
            return self._current(conn)

    def _current(self, conn: Connection) -> str | None:
        return MigrationContext.configure(conn, opts={"version_table_schema": self.schema}).get_current_revision()

    def upgrade(self, target: Engine | str, revision: str = "head") -> None:
        """Migrate up to ``revision``; safe from many processes at once.

        A database at a revision this litmash does not know (made by a newer one) is refused with
        a one-line StoreError naming the revision, before anything runs.
        """
        with self._locked(target) as (engine, conn, cfg):
            if self.schema is not None:
                # Alembic writes its version table before the first revision runs: the schema must exist.
                conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {self.schema}"))
            current = self._current(conn)
            if current is not None and not _known_revision(cfg, current):
                raise StoreError(
                    f"the database at {redact(engine.url)} is at {self.kind} revision {current}, newer than this "
                    f"litmash knows (head {self.head()}): upgrade litmash or use another LITMASH_DATABASE_URL"
                )
            command.upgrade(cfg, revision)

    def downgrade(self, target: Engine | str, revision: str = "base") -> None:
        """Migrate down to ``revision`` (tests and manual repair only)."""
        with self._locked(target) as (_, _conn, cfg):
            command.downgrade(cfg, revision)

    @contextmanager
    def _locked(self, target: Engine | str) -> Iterator[tuple[Engine, Connection, Config]]:
        """A transaction holding the chain's lock, and the Alembic config that runs on it."""
        engine = _new_engine(normalise_url(target), poolclass=NullPool) if isinstance(target, str) else target
        try:
            with connect(engine) as conn, conn.begin():
                # Transaction-scoped advisory lock: concurrent first runs migrate one after the other.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": self.lock_key})
                cfg = self.config()
                cfg.attributes["connection"] = conn
                yield engine, conn, cfg
        finally:
            if isinstance(target, str):
                engine.dispose()


def _known_revision(cfg: Config, revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(cfg).get_revision(revision) is not None
    except CommandError:  # alembic: "no such revision"
        return False


STORE_MIGRATIONS = Migrations(MIGRATIONS, _MIGRATION_LOCK_KEY)


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped in this package."""
    return STORE_MIGRATIONS.config()


def head_revision() -> str:
    """The newest migration revision shipped with litmash."""
    return STORE_MIGRATIONS.head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None`` for an empty database)."""
    return STORE_MIGRATIONS.current(engine)


def upgrade(target: Engine | str, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision``; safe to call from many processes at once."""
    STORE_MIGRATIONS.upgrade(target, revision)


def downgrade(target: Engine | str, revision: str = "base") -> None:
    """Run the Alembic migrations down to ``revision`` (tests and manual repair only)."""
    STORE_MIGRATIONS.downgrade(target, revision)


# --------------------------------------------------------------------------- throwaway databases


def create_database(server_url: str, name: str | None = None) -> str:
    """Create database ``name`` (default ``litmash_tmp_<random>``) on the server; return its URL."""
    name = name or f"litmash_tmp_{uuid.uuid4().hex[:12]}"
    if not _DB_NAME.match(name):
        raise StoreError(f"database name must match {_DB_NAME.pattern}, got {name!r}")
    admin = _new_engine(normalise_url(server_url), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with connect(admin) as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(normalise_url(server_url)).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop the database ``url`` names (closing this process's engines and other sessions on it)."""
    url = normalise_url(url)
    name = make_url(url).database or ""
    if not _DB_NAME.match(name):
        raise StoreError(f"refusing to drop database {name!r}")
    dispose_engines(prefix=url)
    admin_url = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    admin = _new_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with connect(admin) as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()

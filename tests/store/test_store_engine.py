"""Engine: URL choice, the embedded server, unreachable servers, and the psycopg 3 URL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from litmash.config import Settings
from litmash.errors import LitmashError
from litmash.store import Store, StoreError, StoreUnavailable, database_url, get_engine, psycopg_url, redact
from litmash.store import engine as eng


def _python(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter that can import litmash from this checkout."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)


def _closed_port() -> int:
    with socket.socket() as s:  # bound then closed: nothing listens there afterwards
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_is_one_line_store_unavailable_without_password():
    port = _closed_port()
    url = f"postgresql://litmash:s3cret@127.0.0.1:{port}/litmash"
    with pytest.raises(StoreUnavailable) as info:
        Store(url)
    message = str(info.value)
    assert isinstance(info.value, LitmashError)
    assert "\n" not in message
    assert f"127.0.0.1:{port}" in message and "s3cret" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert url not in eng._engines and eng.normalise_url(url) not in eng._engines


def test_unreachable_server_from_the_command_line_prints_no_traceback():
    port = _closed_port()
    code = (
        "from litmash.store import Store, StoreUnavailable\n"
        f"try: Store('postgresql://u:pw@127.0.0.1:{port}/x')\n"
        "except StoreUnavailable as e: print(e)\n"
    )
    out = _python(code)
    assert out.stdout.count("\n") == 1 and "Traceback" not in out.stdout + out.stderr


@pytest.mark.parametrize("url", ["sqlite:///litmash.db", "mysql://u@h/db", "not a url"])
def test_only_postgresql_urls_are_accepted(url):
    with pytest.raises(StoreError):
        get_engine(url)


def test_settings_url_wins_over_the_embedded_server(tmp_path):
    settings = Settings(database_url="postgresql://u:p@db.example:5433/lit", data_dir=tmp_path)
    assert database_url(settings) == "postgresql+psycopg2://u:p@db.example:5433/lit"
    assert psycopg_url(settings) == "postgresql://u:p@db.example:5433/lit"
    assert not (tmp_path / "pg").exists()


def test_redact_hides_the_password():
    assert redact("postgresql+psycopg2://u:p%40ss@h:1/db") == "postgresql+psycopg2://u:***@h:1/db"
    assert "pw" not in redact("postgresql://u:pw@h/db")


def test_embedded_server_from_settings_is_reused_across_processes(embedded_server):
    settings = Settings(database_url=None, data_dir=embedded_server.data_dir)
    url = database_url(settings)
    assert url == embedded_server.url == database_url(settings)
    store = Store(settings)
    assert store.info()["server"] == "embedded"
    with store.engine.connect() as conn:
        started = conn.execute(text("SELECT pg_postmaster_start_time()::text")).scalar_one()
    code = (
        "from pathlib import Path; from sqlalchemy import create_engine, text\n"
        "from litmash.store.engine import embedded_url\n"
        f"e = create_engine(embedded_url(Path({str(embedded_server.data_dir)!r})))\n"
        "with e.connect() as c:\n"
        "    print(c.execute(text('SELECT pg_postmaster_start_time()::text')).scalar_one())\n"
    )
    out = _python(code)
    assert out.stdout.strip() == started


def test_psycopg_url_serves_langgraph_postgres_saver(db_url):
    saver_module = pytest.importorskip("langgraph.checkpoint.postgres")
    with saver_module.PostgresSaver.from_conn_string(psycopg_url(db_url)) as saver:
        saver.setup()
        assert saver.get_tuple({"configurable": {"thread_id": "nothing-yet"}}) is None
    with get_engine(db_url).connect() as conn:
        tables = set(
            conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
        )
    assert {"checkpoints", "sessions", "mashups"} <= tables

"""``litmash serve``, ``litmash worker``, ``litmash users`` and ``litmash keys``: the HTTP service."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from litmash.cli.common import Debug, err, errors_as_lines, out
from litmash.config import Settings

users_app = typer.Typer(help="Users of the HTTP API.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys (each shown once, stored hashed).", no_args_is_help=True)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8765).")] = None,
    auth: Annotated[str | None, typer.Option(help="API keys: auto | on | off (auto: off only on loopback).")] = None,
    debug: Debug = False,
) -> None:
    """Serve the HTTP API (start `litmash worker` too: it runs the generations)."""
    from litmash.service.server import serve as run
    from litmash.service.settings import ServiceSettings

    with errors_as_lines(debug):
        service = ServiceSettings(**{k: v for k, v in {"host": host, "port": port, "auth": auth}.items() if v})
        mode = "on" if service.auth_enabled() else "off (loopback only)"
        err.print(f"litmash API on http://{service.host}:{service.port}  docs: /docs  API keys: {mode}")
        run(Settings(), service)


def worker(
    concurrency: Annotated[int | None, typer.Option(help="Jobs this process runs at once (default 1).")] = None,
    debug: Debug = False,
) -> None:
    """Run generation jobs from the queue; start one per machine (or more) with the database URL."""
    import asyncio
    import logging

    from litmash.service.queue import run_worker
    from litmash.service.settings import ServiceSettings

    with errors_as_lines(debug):
        logging.getLogger("procrastinate").setLevel(logging.DEBUG if debug else logging.INFO)
        logging.getLogger("litmash.service").setLevel(logging.INFO)
        service = ServiceSettings(**({"worker_concurrency": concurrency} if concurrency else {}))
        err.print(f"litmash worker on queue {service.queue!r}, {service.worker_concurrency} job(s) at once")
        asyncio.run(run_worker(Settings(), service))


def _engine():
    from litmash.service.db import get_engine

    return get_engine(Settings())


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user's name (unique).")],
    email: Annotated[str | None, typer.Option(help="Contact address.")] = None,
    debug: Debug = False,
) -> None:
    """Create a user of the API."""
    from litmash.service.auth import add_user

    with errors_as_lines(debug):
        add_user(_engine(), name, email)
        err.print(f"user {name!r} added; give them a key with `litmash keys create {name}`")


@users_app.command("list")
def users_list(debug: Debug = False) -> None:
    """Every user and their number of live keys."""
    from litmash.service.auth import list_users

    with errors_as_lines(debug):
        table = Table("user", "keys")
        for name, keys in list_users(_engine()):
            table.add_row(name, str(keys))
        out.print(table)


@keys_app.command("create")
def keys_create(
    user: Annotated[str, typer.Argument(help="The user the key acts as.")],
    debug: Debug = False,
) -> None:
    """Create an API key; it is printed once (stdout) and only its hash is stored."""
    from litmash.service.auth import create_key

    with errors_as_lines(debug):
        key = create_key(_engine(), user)
        out.print(key, highlight=False, soft_wrap=True)
        err.print("store it now: it cannot be shown again (send it as 'Authorization: Bearer KEY')")


@keys_app.command("revoke")
def keys_revoke(
    prefix: Annotated[str, typer.Argument(help="The key, or its first 8+ characters.")],
    debug: Debug = False,
) -> None:
    """Revoke a key."""
    from litmash.service.auth import revoke_key

    with errors_as_lines(debug):
        count = revoke_key(_engine(), prefix)
        if not count:
            raise ValueError(f"prefix: no live key starts with {prefix[:12]!r}")
        err.print(f"revoked {count} key(s)")

"""Store benchmark: p50/p95 latency of create, get-by-id, filtered list and text search.

Inserts ``--n`` mashups (default 1,000) into a throwaway database on the embedded server (a
fresh one in a temporary folder) and, when ``--url`` or LITMASH_TEST_DATABASE_URL is given,
on that external server too; prints a table and drops the databases afterwards.

    python benchmarks/store.py [--n 1000] [--queries 200] [--url postgresql://postgres@127.0.0.1/postgres]

The design target (§9.3) is < 1 s per CRUD call and < 5 s per retrieval.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # litmash, and the hand-made model factories of tests/support

from litmash.domain.mashup import Mashup  # noqa: E402
from litmash.store import Store, create_database, drop_database  # noqa: E402
from litmash.store import engine as eng  # noqa: E402
from tests.support.factories import make_mashup  # noqa: E402

GENRES = ["Jazz", "Hip-Hop", "Rock", "Folk", "Funk", "Reggae", "Blues", "Salsa", "K-Pop", "Afrobeat"]
LEVELS = ["beginner", "intermediate", "advanced"]
CONTEXTS = ["classroom", "workshop", "individual_study", "online"]
WORDS = ["river", "neon", "thunder", "cipher", "velvet", "orbit", "ember", "harbor", "prism", "meadow"]


def _ms(fn: Callable[..., object], *args: object, **kwargs: object) -> float:
    t0 = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - t0) * 1000


def run(server_url: str, n: int, queries: int, rng: random.Random) -> dict[str, list[float]]:
    """Time each operation on a new database on ``server_url``; the database is dropped after."""
    url = create_database(server_url, f"litmash_bench_{rng.getrandbits(48):012x}")
    try:
        store = Store(url)  # migrates the empty database before any timing
        times: dict[str, list[float]] = {
            "create": [],
            "get by id": [],
            "list + filter": [],
            "text search": [],
        }
        ids = []

        def create(mashup: Mashup, seed: int) -> None:
            sid = store.start_session(mashup.request, "embedded", "smollm2", seed)
            store.complete_session(sid, mashup)
            ids.append(sid)

        for i in range(n):
            a, b = rng.sample(WORDS, 2)
            mashup = make_mashup(
                title=f"{a.title()} {b.title()} {i}",
                genres=tuple(rng.sample(GENRES, 2)),
                level=rng.choice(LEVELS),
                context=rng.choice(CONTEXTS),
                lines=(f"We ride the {a} through the night", f"Sing it like the {b} is bright"),
            )
            times["create"].append(_ms(create, mashup, i))
        for _ in range(queries):
            times["get by id"].append(_ms(store.get_mashup, rng.choice(ids)))
            filters = {"genre": rng.choice(GENRES), "level": rng.choice(LEVELS)}
            times["list + filter"].append(_ms(store.list_sessions, **filters))
            times["text search"].append(_ms(store.list_sessions, text=rng.choice(WORDS)))
        return times
    finally:
        drop_database(url)


def main() -> None:
    """Parse arguments, benchmark each server, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="mashups to insert (default 1000)")
    parser.add_argument("--queries", type=int, default=200, help="timed reads of each kind (default 200)")
    parser.add_argument(
        "--url", default=os.environ.get("LITMASH_TEST_DATABASE_URL"), help="external server URL"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    console = Console()

    results: dict[str, dict[str, list[float]]] = {}
    data_dir = Path(tempfile.mkdtemp(prefix="litmash-bench-"))
    try:
        t0 = time.perf_counter()
        embedded = eng.embedded_url(data_dir)
        console.print(f"embedded server: initdb + start in {time.perf_counter() - t0:.1f} s")
        with console.status(f"embedded: inserting {args.n} mashups"):
            results["embedded"] = run(embedded, args.n, args.queries, random.Random(args.seed))
    finally:
        eng.stop_embedded(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
    if args.url:
        console.print(f"external server: {eng.where(args.url)}")
        with console.status(f"external: inserting {args.n} mashups"):
            results["external"] = run(args.url, args.n, args.queries, random.Random(args.seed))

    table = Table(title=f"litmash store: {args.n} mashups, {args.queries} reads of each kind")
    for column in ("server", "operation", "count", "p50 ms", "p95 ms", "max ms"):
        table.add_column(column, justify="right" if column.endswith(("ms", "count")) else "left")
    for server, times in results.items():
        for op, samples in times.items():
            cuts = statistics.quantiles(samples, n=100)
            table.add_row(
                server, op, str(len(samples)), f"{cuts[49]:.2f}", f"{cuts[94]:.2f}", f"{max(samples):.2f}"
            )
    console.print(table)


if __name__ == "__main__":
    main()

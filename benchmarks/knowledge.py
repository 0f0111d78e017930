"""Genre base benchmark: first load (parse + validate), cached load, and request resolution.

    python benchmarks/knowledge.py

Targets (issue): a cached load within 50 ms, resolving one request's genres within 1 ms.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from litmash.evaluation.datasets import load_dataset
from litmash.knowledge import knowledge, resolve

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, repeat: int) -> list[float]:
    """Milliseconds per call of ``fn``, ``repeat`` times."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    """Print the figures."""
    t0 = time.perf_counter()
    kb = knowledge()
    first = (time.perf_counter() - t0) * 1000
    cached = timed(knowledge, 1000)
    requests = [c.request for p in sorted((ROOT / "evals" / "datasets").glob("*.yaml")) for c in load_dataset(p).cases]
    resolve(requests[0].user_prompt, requests[0].genres)  # the name index is built on first use
    per_request = [t for r in requests for t in timed(lambda r=r: resolve(r.user_prompt, r.genres), 20)]
    table = Table("measure", "median", "p95", "max", title=f"genre base: {len(kb.genres)} genres, {len(kb.names)} names")
    table.add_row("first load (parse + validate all files)", f"{first:.0f} ms", "", "")
    table.add_row("cached load", *(f"{v * 1000:.2f} µs" for v in _stats(cached)))
    table.add_row(f"resolve one request ({len(requests)} eval requests × 20)", *(f"{v:.3f} ms" for v in _stats(per_request)))
    Console().print(table)


def _stats(values: list[float]) -> tuple[float, float, float]:
    values = sorted(values)
    return statistics.median(values), values[int(0.95 * (len(values) - 1))], values[-1]


if __name__ == "__main__":
    main()

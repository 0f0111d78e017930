"""Music benchmark: computing the music block, then rendering one mashup in every format.

    python benchmarks/music.py

Targets (issue): rendering one mashup in all formats within 3 s on this machine (a first,
uncached render: the cache is a fresh temporary folder).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from litmash.music.compose import compose, set_hook
from litmash.present.files import formats, music_file, music_files

BLENDS = [["jazz", "hip_hop"], ["reggae", "salsa"], ["blues", "country"], ["celtic", "samba"], ["drum_and_bass", "hip_hop"]]
HOOK = "Swing the beat and feel the rhythm flow"


def main() -> None:
    """Print the figures."""
    compose(["jazz", "hip_hop"], "intermediate", 0)  # music21 and the base load once
    compute = []
    blocks = []
    for i, blend in enumerate(BLENDS):
        t0 = time.perf_counter()
        blocks.append(set_hook(compose(blend, "intermediate", i), HOOK, "intermediate"))
        compute.append((time.perf_counter() - t0) * 1000)
    table = Table(title="one mashup's music, per format (first render, no cache)")
    table.add_column("format")
    table.add_column("median ms", justify="right")
    table.add_column("max ms", justify="right")
    table.add_column("size KB", justify="right")
    totals = [0.0] * len(blocks)
    for fmt in formats():
        times, sizes = [], []
        for i, music in enumerate(blocks):
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                path = music_file(music, fmt, "Benchmark", Path(tmp))
                ms = (time.perf_counter() - t0) * 1000
                sizes.append(path.stat().st_size / 1024)
            times.append(ms)
            totals[i] += ms
        table.add_row(fmt, f"{statistics.median(times):.0f}", f"{max(times):.0f}", f"{statistics.median(sizes):.0f}")
    together = []
    for music in blocks:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            music_files(music, "Benchmark", Path(tmp))
            together.append(time.perf_counter() - t0)
    console = Console()
    console.print(f"music block (compose + hook melody): median {statistics.median(compute):.0f} ms, "
                  f"max {max(compute):.0f} ms over {len(BLENDS)} blends")
    console.print(table)
    console.print(f"all formats one after another: median {statistics.median(totals) / 1000:.2f} s, "
                  f"max {max(totals) / 1000:.2f} s")
    console.print(f"all formats for one mashup (music_files, audio in parallel): median "
                  f"{statistics.median(together):.2f} s, max {max(together):.2f} s (target ≤ 3 s)")


if __name__ == "__main__":
    main()

"""Run by the concurrency tests as a separate OS process (``python worker.py MODE ...``).

write URL TAG N             -> N sessions (with an agent run and a mashup) by user TAG; prints their ids
start DATA_DIR BARRIER I    -> waits for BARRIER/go, starts/reuses the embedded server, prints its start time
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from litmash.store import Store
from litmash.store import engine as eng
from tests.support.factories import PROMPT_TEXT, make_agent_run, make_mashup  # the repository is on PYTHONPATH


def write(url: str, tag: str, n: int) -> None:
    store = Store(url)  # the first use migrates: both workers do it at once on an empty database
    for i in range(n):
        mashup = make_mashup(title=f"{tag} song {i}")
        sid = store.start_session(mashup.request, "embedded", "smollm2", i, user=tag)
        store.record_agent_run(sid, make_agent_run(), PROMPT_TEXT)  # same prompt version in both
        store.complete_session(sid, mashup)
        print(sid, flush=True)


def start(data_dir: str, barrier: str, index: str) -> None:
    (Path(barrier) / f"ready-{index}").touch()
    deadline = time.monotonic() + 60
    while not (Path(barrier) / "go").exists():  # release both at the same moment
        if time.monotonic() > deadline:
            sys.exit("barrier never opened")
        time.sleep(0.005)
    store = Store(eng.embedded_url(Path(data_dir)))
    with store.engine.connect() as conn:
        print(conn.exec_driver_sql("SELECT pg_postmaster_start_time()").scalar_one(), flush=True)


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "write":
        write(args[0], args[1], int(args[2]))
    else:
        start(*args)

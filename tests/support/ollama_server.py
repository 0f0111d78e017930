"""A stand-in Ollama server on a loopback port, answering with recorded replies.

``GET /api/tags`` lists ``models``; ``POST /api/chat`` streams the NDJSON chunks recorded in
``fixtures/ollama/chat_<Schema>.json``, picking the file by the title of the JSON schema the
client sent as ``format`` (so each agent gets its own reply). ``mode`` switches /api/chat to
a 404 ``model not found``, to stalling before the first byte, or to trickling the chunks
out ``trickle_delay`` seconds apart (to exercise timeouts). A chat without ``format`` gets the
recorded lines of its agent (told by ``tests.support.routing`` from the system message, as the
scripted fake does) when that agent writes plain text, else (the one-token probe of ``litmash
models check``) a one-word reply. ``POST /api/pull`` streams
progress events the way Ollama does (manifest, each layer's bytes, verify, write, success) for a
name in ``pullable`` and adds it to the tags; a name in ``pull_errors`` streams that error line
after the manifest step (Ollama's answer for an unknown tag or a lost network), one in
``pull_drops`` closes the connection after the first layer event. Every request is recorded.
``chat_HookLines.json`` and ``chat_SongLines.json`` hold the lines of the recorded HookSet and
Lyrics replies as plain text, one per line, with those replies' token counts (the hook generator
and the lyrics composer ask for plain text). ``chat_GenreRoles.json`` is written in the recorded
files' stream format for the genre analyzer's current reply shape (one role per genre id), from an earlier recorded reply's roles.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal

from .routing import AgentRouter

FIXTURES = Path(__file__).parent / "fixtures" / "ollama"


def fixture(name: str):
    """A recorded Ollama reply, parsed."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def recorded_content(schema_name: str) -> str:
    """The assistant text a recorded /api/chat stream adds up to."""
    return "".join(c["message"]["content"] for c in fixture(f"chat_{schema_name}.json"))


class FakeOllama:
    """Start with ``FakeOllama()``; ``url`` is its base URL; ``close()`` when done."""

    def __init__(self) -> None:
        self.models: list[dict] = fixture("tags.json")["models"]
        self.mode: Literal["replay", "not_found", "stall", "trickle"] = "replay"
        self.trickle_delay = 0.02
        # name -> layer sizes in bytes; each layer streams five progress events
        self.pullable: dict[str, list[int]] = {"smollm2:135m": [91_000_000, 1_200, 420]}
        self.pull_errors: dict[str, str] = {"nosuch:7b": "pull model manifest: file does not exist"}
        self.pull_drops: set[str] = set()
        self.requests: list[tuple[str, str, dict | None]] = []
        self.router = AgentRouter()  # tells a plain-text chat's agent
        self.release = threading.Event()  # ends a stall early at teardown
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def pulls(self) -> list[str]:
        """The model names of every /api/pull request."""
        return [body["model"] for method, path, body in self.requests if path == "/api/pull"]

    def chats(self) -> list[dict]:
        """The JSON bodies of every /api/chat request."""
        return [body for method, path, body in self.requests if path == "/api/chat"]

    def close(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output clean
                pass

            def _send(self, status: int, body: bytes, ctype: str = "application/json; charset=utf-8") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                fake.requests.append(("GET", self.path, None))
                if self.path == "/api/tags":
                    self._send(200, json.dumps({"models": fake.models}).encode())
                else:
                    self._send(404, b"404 page not found", "text/plain")

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(("POST", self.path, body))
                if self.path == "/api/pull":
                    self._pull(body["model"])
                elif self.path != "/api/chat":
                    self._send(404, b"404 page not found", "text/plain")
                elif fake.mode == "not_found":
                    self._send(404, json.dumps(fixture("chat_model_not_found.json")).encode())
                else:
                    if fake.mode == "stall":
                        fake.release.wait(10)
                    name = body["format"]["title"] if "format" in body else _text_ask(body["messages"], fake.router)
                    if name is None:
                        self._send(200, json.dumps(_one_word(body["model"])).encode())
                        return
                    chunks = fixture(f"chat_{name}.json")
                    if fake.mode == "trickle":
                        self._trickle(chunks)
                        return
                    ndjson = "".join(json.dumps(c) + "\n" for c in chunks).encode()
                    self._send(200, ndjson, "application/x-ndjson")

            def _pull(self, name: str) -> None:
                # Ollama answers 200 and streams; failures arrive as an {"error": ...} line.
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                lines: list[dict] = [{"status": "pulling manifest"}]
                if name in fake.pull_errors:
                    lines.append({"error": fake.pull_errors[name]})
                elif name not in fake.pullable:
                    lines.append({"error": "pull model manifest: file does not exist"})
                else:
                    for n, size in enumerate(fake.pullable[name]):
                        digest = f"sha256:{n:012x}{n:052x}"
                        lines += [{"status": f"pulling {digest[7:19]}", "digest": digest, "total": size,
                                   "completed": size * k // 4} for k in range(5)]
                    if name in fake.pull_drops:
                        lines = lines[:2]
                    else:
                        lines += [{"status": "verifying sha256 digest"}, {"status": "writing manifest"},
                                  {"status": "success"}]
                        fake.models = [*fake.models, {"name": name, "model": name, "size": sum(fake.pullable[name]),
                                                      "details": {"family": "llama", "parameter_size": "135M",
                                                                  "quantization_level": "Q8_0"}}]
                for line in lines:
                    self.wfile.write((json.dumps(line) + "\n").encode())
                    self.wfile.flush()

            def _trickle(self, chunks: list[dict]) -> None:
                # no Content-Length: HTTP/1.0 ends the body when the connection closes
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                for c in chunks:
                    if fake.release.wait(fake.trickle_delay):
                        return
                    self.wfile.write((json.dumps(c) + "\n").encode())
                    self.wfile.flush()

        return Handler


# The recorded plain-text replies of the agents that write plain text.
TEXT_FIXTURES = {"hook_generator": "HookLines", "lyrics_composer": "SongLines"}


def _text_ask(messages: list[dict], router: AgentRouter) -> str | None:
    """The recorded plain-text reply for a chat without ``format``: the hook generator's and the
    lyrics composer's asks get lines, anything else (a health check) one word."""
    first = messages[0] if messages else {}
    system = first.get("content") if first.get("role") == "system" else None
    return TEXT_FIXTURES.get(router.identify(system) or "")


def _one_word(model: str) -> dict:
    """A non-streamed /api/chat reply of one token."""
    return {"model": model, "created_at": "2025-05-02T17:41:09Z", "done": True, "done_reason": "length",
            "message": {"role": "assistant", "content": "OK"}, "eval_count": 1, "prompt_eval_count": 12}

"""A stand-in OpenAI-compatible server on a loopback port, answering with scripted replies.

``POST /v1/chat/completions`` pops the next ``(content, finish_reason)`` from ``replies`` and
answers with a chat completion carrying it; every request body is kept in ``requests``.
``GET /v1/models`` lists ``models`` (an OpenAI model list), or answers ``models_status`` when
that is set (404 for a server without the endpoint).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    """Start with ``FakeOpenAI()``; ``url`` is its ``/v1`` base URL; ``close()`` when done."""

    def __init__(self) -> None:
        self.replies: deque[tuple[str, str]] = deque()
        self.requests: list[dict] = []
        self.models: list[str] = ["qwen2.5-7b-instruct", "default"]
        self.models_status: int | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def enqueue(self, content: str, finish_reason: str = "stop") -> FakeOpenAI:
        """Queue one reply."""
        self.replies.append((content, finish_reason))
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output clean
                pass

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self.path != "/v1/models":
                    self._send(404, b'{"error": {"message": "not found"}}')
                elif fake.models_status is not None:
                    self._send(fake.models_status, b'{"error": {"message": "models unavailable"}}')
                else:
                    data = [{"id": m, "object": "model", "created": 1746200469, "owned_by": "llamacpp"}
                            for m in fake.models]
                    self._send(200, json.dumps({"object": "list", "data": data}).encode())

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                content, finish = fake.replies.popleft()
                reply = json.dumps({
                    "id": f"chatcmpl-{len(fake.requests)}", "object": "chat.completion", "created": 0,
                    "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": finish,
                                 "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 300, "completion_tokens": 50, "total_tokens": 350},
                }).encode()
                self._send(200, reply)

        return Handler

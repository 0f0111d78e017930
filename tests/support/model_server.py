"""A loopback OpenAI-compatible server whose replies come from the scripted fake model's defaults.

Workers are separate processes, so the in-process ``FakeChatModel`` cannot reach them; this
server answers each structured call with the default output for the schema it names, the way
``tests/support/fakes.py`` does, and each plain-text ask with its agent's default lines (hook
lines, song lines, a rhyme). It tells a call's agent as the fake does (``tests.support.routing``:
the system message's ``name``, else the system message matched exactly to an agent prompt file);
a plain-text call that is no agent's (a readiness probe) gets "ok". ``delay`` slows every call (to
catch a run mid-way), ``failures`` answers the next N calls with HTTP 500, ``invalid`` the next N
with text that is not JSON, ``missing`` the next N with HTTP 404 (the model is not there: a
permanent error), and ``calls`` counts calls per agent (per schema name for a structured call
that is no agent's, "text" for a plain-text one).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .fakes import DYNAMIC, default_output, default_text
from .routing import AgentRouter


class _Schema:
    """Just enough of a pydantic class (field names, JSON schema) for the fakes' dynamic replies."""

    def __init__(self, schema: dict) -> None:
        self._schema = schema
        self.model_fields = dict.fromkeys(schema.get("properties", {}))

    def model_json_schema(self) -> dict:
        return self._schema


class _Message:
    """Just enough of a LangChain message (``text``) for the fakes' replies that read the prompt."""

    def __init__(self, message: dict) -> None:
        content = message.get("content") or ""
        self.text = content if isinstance(content, str) else " ".join(
            part.get("text", "") for part in content if isinstance(part, dict))


def reply_for(response_format: dict, messages: list[dict] | None = None) -> str:
    """The scripted reply for a ``json_schema`` response format (and the conversation so far)."""
    spec = response_format["json_schema"]
    name = spec["name"]
    if name not in DYNAMIC:
        return default_output(name).model_dump_json()
    reply = DYNAMIC[name](_Schema(spec["schema"]))
    if callable(reply):  # a reply that depends on what the prompt asks, as the in-process fake allows
        reply = reply([_Message(m) for m in messages or []])
    return json.dumps(reply)


class ScriptedModelServer:
    """Start with ``ScriptedModelServer()``; ``url`` is its ``/v1`` base URL; ``close()`` when done."""

    def __init__(self, delay: float = 0.0, router: AgentRouter | None = None) -> None:
        self.delay = delay
        self.router = router or AgentRouter()  # the agent prompts the workers load
        self.failures = 0
        self.invalid = 0
        self.missing = 0
        self.calls: Counter[str] = Counter()
        self._given = 0  # couplets the song-line replies have handed out
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def agent_of(self, messages: list[dict]) -> str | None:
        """The call's agent: its system message's ``name``, else the agent prompt the system message is from."""
        first = messages[0] if messages else {}
        system = _Message(first).text if first.get("role") == "system" else None
        return self.router.identify(system, (first.get("name"),))

    def _answer(self, body: dict) -> tuple[int, dict]:
        schema = body.get("response_format", {}).get("json_schema", {}).get("name")
        agent = self.agent_of(body.get("messages") or [])
        with self._lock:
            self.calls[agent or schema or "text"] += 1
            failing = self.failures > 0
            self.failures -= failing
            garbage = self.invalid > 0 and not failing
            self.invalid -= garbage
            absent = self.missing > 0
            self.missing -= absent
        time.sleep(self.delay)
        if absent:
            return 404, {"error": {"message": f"model {body.get('model')!r} not found", "type": "not_found_error"}}
        if failing:
            return 500, {"error": {"message": "scripted failure", "type": "server_error"}}
        if garbage:
            content = "this is not JSON"
        elif schema is not None:
            content = reply_for(body["response_format"], body.get("messages"))
        else:
            content = self._text(agent, body.get("messages") or [])
        return 200, {
            "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 300, "completion_tokens": 50, "total_tokens": 350},
        }

    def _text(self, agent: str | None, messages: list[dict]) -> str:
        """A plain-text ask: the agent's default lines (else, a probe, 'ok')."""
        if agent is None:
            return "ok"
        with self._lock:  # each batch hands out the next couplets, as the in-process fake does
            reply, handed_out = default_text(agent, [_Message(m) for m in messages], self._given)
            self._given += handed_out
        return reply

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output clean
                pass

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # /v1/models: what readiness checks ask
                self._send(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                self._send(*owner._answer(body))

        return Handler

"""What every screen shares: settings from the form, one-line errors, busy buttons, progress."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

import ipywidgets as w
from pydantic import ValidationError

from litmash.config import Settings
from litmash.errors import LitmashError, one_line
from litmash.ui.render import download_link, error_html  # noqa: F401 - download_link lives in render (no cycle)
from litmash.workflow.api import Event
from litmash.workflow.graph import AGENTS


def make_settings(**overrides) -> Settings:
    """Settings from the environment with the screen's non-empty overrides on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None and v != ""})


def error_line(exc: BaseException) -> str:
    """What went wrong, as one line a curriculum designer can act on."""
    if isinstance(exc, ValidationError):
        return one_line(exc)
    if isinstance(exc, (LitmashError, ValueError, LookupError)):
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


class Status(w.HTML):
    """A one-line status: progress notes, success, or a readable error."""

    def note(self, text: str) -> None:
        """Show a neutral message."""
        self.value = f"<span>{escape(text)}</span>"

    def fail(self, exc: BaseException | str) -> None:
        """Show an error as one line."""
        self.value = error_html(exc if isinstance(exc, str) else error_line(exc))

    @property
    def failed(self) -> bool:
        """Whether the last message was an error."""
        return "litmash-error" in self.value


@contextmanager
def busy(*controls: w.Widget) -> Iterator[None]:
    """Disable the controls while long work runs, so nothing is started twice."""
    before = [c.disabled for c in controls]
    for c in controls:
        c.disabled = True
    try:
        yield
    finally:
        for c, was in zip(controls, before, strict=True):
            c.disabled = was


class AgentProgress(w.VBox):
    """A progress bar over the workflow's agents plus one line per agent, fed by Events."""

    def __init__(self) -> None:
        self.bar = w.IntProgress(value=0, min=0, max=len(AGENTS), description="agents",
                                 bar_style="info", layout=w.Layout(width="32em"))
        self.table = w.HTML()
        self.rows: dict[str, str] = {}
        self.header = ""
        self.t0 = time.perf_counter()
        super().__init__([self.bar, self.table])
        self.add_class("litmash-agent-progress")
        self.reset()

    def reset(self) -> None:
        """Back to 'nothing has run'."""
        self.bar.value, self.bar.max, self.bar.bar_style = 0, len(AGENTS), "info"
        self.rows = {a: "waiting" for a in AGENTS}
        self.header, self.t0 = "", time.perf_counter()
        self.notices: list[str] = []
        self._draw()

    def update(self, event: Event) -> None:
        """Apply one generation Event."""
        if event.kind == "backend":
            self.header = event.message
        elif event.kind == "session":
            self.header += f" · session {event.message[:8]}"
        elif event.kind == "notice":
            self.notices.append(event.message)
        elif event.kind == "started":
            if self.rows.get(event.agent, "").startswith("done"):
                self.bar.max += 1  # a repair round re-runs this agent: one more step to wait for
            self.rows[event.agent] = f"running (round {event.round})"
        elif event.kind == "finished":
            self.rows[event.agent] = f"done in {event.seconds:.1f} s · {event.message}"
            self.bar.value = min(self.bar.value + 1, self.bar.max)
        elif event.kind == "completed":
            self.bar.value, self.bar.bar_style = self.bar.max, "success"
        self._draw()

    def failed(self) -> None:
        """Mark the run as failed."""
        self.bar.bar_style = "danger"
        self._draw()

    def _draw(self) -> None:
        lines = "".join(f"<tr><td>{escape(a)}</td><td>{escape(s)}</td></tr>" for a, s in self.rows.items())
        elapsed = time.perf_counter() - self.t0
        notes = "".join(f"<div class='notice'>notice: {escape(n)}</div>" for n in self.notices)
        self.table.value = (f"<div class='meta'>{escape(self.header)} · {elapsed:.1f} s</div>{notes}"
                            f"<table class='litmash-progress'>{lines}</table>")

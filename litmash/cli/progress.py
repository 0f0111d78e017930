"""A live per-agent progress table for the terminal, fed by generation Events."""

from __future__ import annotations

import time

from rich.spinner import Spinner
from rich.table import Table

from litmash.workflow.api import Event
from litmash.workflow.graph import AGENTS


class ProgressView:
    """Renders one row per agent: state, repair round, seconds and a short summary."""

    def __init__(self) -> None:
        self.rows: dict[str, dict] = {a: {"state": "waiting"} for a in AGENTS}
        self.header = "starting…"
        self.notices: list[str] = []
        self.t0 = time.perf_counter()

    def update(self, event: Event) -> None:
        """Apply one Event."""
        if event.kind in ("backend", "session"):
            self.header = event.message if event.kind == "backend" else f"{self.header} · session {event.message[:8]}"
        elif event.kind == "notice":
            self.notices.append(event.message)
        elif event.kind == "started":
            self.rows[event.agent] = {"state": "running", "round": event.round, "t": time.perf_counter()}
        elif event.kind == "finished":
            self.rows[event.agent] = {
                "state": "done", "round": event.round, "seconds": event.seconds, "detail": event.message,
            }

    def __rich__(self) -> Table:
        table = Table(title=self.header, title_justify="left", expand=False, box=None, padding=(0, 1))
        for col, justify in (("", "left"), ("agent", "left"), ("round", "right"), ("s", "right"), ("", "left")):
            table.add_column(col, justify=justify)
        for agent, row in self.rows.items():
            state = row["state"]
            icon = Spinner("dots") if state == "running" else ("[green]✓[/]" if state == "done" else "[dim]·[/]")
            seconds = row.get("seconds") or (time.perf_counter() - row["t"] if "t" in row else None)
            table.add_row(
                icon, agent if state != "waiting" else f"[dim]{agent}[/]", str(row.get("round", "")),
                f"{seconds:.1f}" if seconds is not None else "", row.get("detail", ""),
            )
        notes = "".join(f"\n[yellow]notice:[/] {n}" for n in self.notices)
        table.caption = f"{time.perf_counter() - self.t0:.1f} s elapsed{notes}"
        return table

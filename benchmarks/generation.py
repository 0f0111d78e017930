"""Generation benchmark: N mashups on one backend; prints wall time, per-agent time,
tokens per second and orchestration overhead (wall time not spent inside LLM calls).

    python benchmarks/generation.py -n 5                   # embedded model, no database
    python benchmarks/generation.py -n 5 --store           # also store every run
"""

from __future__ import annotations

import statistics
from datetime import timedelta

import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

from litmash import MashupRequest, Settings, generate
from litmash.domain.mashup import Mashup
from litmash.workflow.graph import AGENTS

PROMPTS = [
    ("Blend jazz and hip-hop for a high-school class", ["Understand syncopation"]),
    ("Mix reggae and bluegrass to teach off-beat rhythm", ["Identify the off-beat"]),
    ("Combine gamelan and techno for a workshop on layered patterns", ["Hear interlocking parts"]),
    ("Fuse flamenco and funk for beginners", ["Clap a 12-beat compás"]),
    ("Blend K-pop and gospel to explore call and response", ["Sing a call and response"]),
]


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation."""
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def busy_seconds(m: Mashup) -> float:
    """Wall time covered by at least one agent (parallel agents overlap)."""
    spans = sorted((r.started_at, r.started_at + timedelta(milliseconds=r.wall_ms)) for r in m.metadata.agent_runs)
    total, (start, end) = 0.0, spans[0]
    for s, e in spans[1:]:
        if s > end:
            total += (end - start).total_seconds()
            start, end = s, e
        else:
            end = max(end, e)
    return total + (end - start).total_seconds()


def main(
    n: int = typer.Option(5, "-n", help="Number of generations."),
    backend: str = typer.Option("embedded", help="auto | ollama | openai | embedded"),
    model: str = typer.Option(None, help="Model name for the backend."),
    store: bool = typer.Option(False, help="Store every run in PostgreSQL as users do."),
    repairs: int = typer.Option(None, help="Override LITMASH_MAX_REPAIR_ROUNDS."),
) -> None:
    """Run the benchmark and print its figures."""
    overrides = {"backend": backend, "model": model, "max_repair_rounds": repairs}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    console = Console()
    mashups: list[Mashup] = []
    for i in track(range(n), description="generating", console=console):
        prompt, objectives = PROMPTS[i % len(PROMPTS)]
        req = MashupRequest(user_prompt=prompt, learning_objectives=objectives)
        mashups.append(generate(req, settings.model_copy(update={"seed": 1000 + i}), persist=store))

    walls = [m.metadata.total_seconds for m in mashups]
    in_llm = [sum(r.llm_ms for r in m.metadata.agent_runs) / 1000 for m in mashups]
    outside_agents = [m.metadata.total_seconds - busy_seconds(m) for m in mashups]
    agent_non_llm = [sum(r.wall_ms - r.llm_ms for r in m.metadata.agent_runs) / 1000 for m in mashups]
    overhead = [a + b for a, b in zip(outside_agents, agent_non_llm, strict=True)]
    tokens = sum(r.completion_tokens for m in mashups for r in m.metadata.agent_runs)
    llm_s = sum(in_llm)

    meta = mashups[0].metadata
    summary = Table(title=f"{n} generations · {meta.backend} · {meta.model}", show_header=False)
    summary.add_row("wall time median / p95 / max", f"{statistics.median(walls):.1f} s / {pct(walls, .95):.1f} s / {max(walls):.1f} s")
    summary.add_row("under the 2-minute bar", f"{sum(w < 120 for w in walls)}/{n}")
    summary.add_row("repair rounds (mean)", f"{statistics.mean(m.metadata.repair_rounds for m in mashups):.2f}")
    summary.add_row("open validation problems (mean)", f"{statistics.mean(len(m.validation) for m in mashups):.1f}")
    summary.add_row("completion tokens / s inside LLM calls", f"{tokens / llm_s:.0f} (per call; parallel calls overlap)")
    summary.add_row("completion tokens / s of wall time", f"{tokens / sum(walls):.0f}")
    summary.add_row(
        "orchestration overhead (median)",
        f"{statistics.median(overhead):.2f} s = {100 * statistics.median(o / w for o, w in zip(overhead, walls, strict=True)):.1f} % of wall time",
    )
    console.print(summary)

    per_agent = Table("agent", "runs", "median s", "p95 s", "median tokens", "attempts (mean)", title="per agent")
    for agent in AGENTS[:-1]:
        runs = [r for m in mashups for r in m.metadata.agent_runs if r.agent == agent]
        secs = [r.wall_ms / 1000 for r in runs]
        if not runs:  # the teaching guide makes no model call when the templates word the lesson
            per_agent.add_row(agent, "0", "-", "-", "-", "-")
            continue
        per_agent.add_row(
            agent, str(len(runs)), f"{statistics.median(secs):.1f}", f"{pct(secs, .95):.1f}",
            f"{statistics.median(r.completion_tokens for r in runs):.0f}",
            f"{statistics.mean(r.attempts for r in runs):.2f}",
        )
    console.print(per_agent)


if __name__ == "__main__":
    typer.run(main)

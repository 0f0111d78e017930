"""Tokens per agent on the smoke set: prompt plus reply, per mashup, against the figures measured
before the genre base (commit 6099828, same set, embedded SmolLM2-135M, one repair round).

    python benchmarks/agent_tokens.py                    # embedded model, no database
    python benchmarks/agent_tokens.py --dataset core     # any dataset

Per mashup means every run of the agent in that generation (attempts and repair rounds included),
summed, then averaged over the set's cases.
"""

from __future__ import annotations

import statistics

import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

from litmash import Settings, generate
from litmash.evaluation.datasets import load_dataset

# Prompt + reply tokens per mashup on the smoke set before the genre base, from the stored
# agent_runs of `litmash eval smoke` at commit 6099828 (3 cases; 5,450 genre-analyzer tokens).
BEFORE = {
    "educational_context": 406,
    "genre_analyzer": 1816,
    "hook_generator": 1090,
    "lyrics_composer": 1332,
    "theory_integrator": 1874,
    "teaching_guide": 2816,
}
# The genre analyzer is now two prompts: the pick (only when fewer than 2 genres are named) and the roles.
GROUPS = {"genre_picker": "genre_analyzer"}


def main(
    dataset: str = typer.Option("smoke", help="Dataset name or path."),
    backend: str = typer.Option("embedded", help="auto | ollama | openai | embedded"),
    model: str = typer.Option(None, help="Model name for the backend."),
) -> None:
    """Generate every case of the dataset and print tokens per agent per mashup."""
    settings = Settings(**{k: v for k, v in {"backend": backend, "model": model}.items() if v is not None})
    cases = load_dataset(dataset).cases
    console = Console()
    totals: dict[str, list[int]] = {}
    for case in track(cases, description="generating", console=console):
        m = generate(case.request, settings.model_copy(update={"seed": 42}), persist=False)
        per: dict[str, int] = {}
        for r in m.metadata.agent_runs:
            agent = GROUPS.get(r.agent, r.agent)
            per[agent] = per.get(agent, 0) + r.prompt_tokens + r.completion_tokens
        for agent, tokens in per.items():
            totals.setdefault(agent, []).append(tokens)
    table = Table("agent", "tokens / mashup now", "before", "now / before",
                  title=f"prompt + reply tokens · {dataset} ({len(cases)} cases) · {backend}")
    for agent, before in BEFORE.items():
        now = statistics.mean(totals.get(agent, [0]))
        table.add_row(agent, f"{now:.0f}", str(before), f"{now / before:.2f}")
    console.print(table)


if __name__ == "__main__":
    typer.run(main)

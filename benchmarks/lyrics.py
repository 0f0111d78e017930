"""Hooks plus lyrics on a dataset's requests: seconds per song (median printed), calls, and the five
lyric scorers. The blend and the music are built by code as the workflow does; only the hook
generator and the lyrics composer call the model.

    flock /tmp/litmash-model.lock python benchmarks/lyrics.py              # smoke set, embedded model
    flock /tmp/litmash-model.lock python benchmarks/lyrics.py --dataset core --limit 8 --show
    python benchmarks/lyrics.py --no-penalties                              # DRY and repeat penalty off
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

import typer
from langgraph.runtime import Runtime
from rich.console import Console
from rich.table import Table

from litmash import Settings
from litmash.domain.mashup import GenreAnalysis, GenreBlendItem, GenreStudy, Mashup
from litmash.evaluation.datasets import load_dataset
from litmash.evaluation.scorers import RunInfo, registry
from litmash.evaluation.scorers.lyrics import LYRIC_SCORERS
from litmash.knowledge import complete, knowledge
from litmash.llm.backends import create_backend
from litmash.lyrics.words import word_report
from litmash.music.compose import compose
from litmash.workflow.agents import hook_generator, lyrics_composer
from litmash.workflow.agents.base import AgentContext
from litmash.workflow.checks import requested_genres


def blend_state(request, seed: int) -> dict:
    """The state the two lyric agents read: the request, the blend (base facts) and the music."""
    kb = knowledge()
    ids = list(requested_genres(request))
    if len(ids) < 2:
        ids = complete(ids, request.user_prompt)
    genres = GenreAnalysis(genres=[
        GenreStudy(genre_id=g, name=kb.get(g).name, role_in_blend=f"{kb.get(g).name} brings its own sound.",
                   signature_elements=list(kb.get(g).signature_elements[:4]), role_source="base")
        for g in ids[:3]])
    return {"request": request, "genres": genres, "music": compose(ids[:3], request.skill_level, seed),
            "repair_round": 0, "agent_runs": []}


def main(
    dataset: str = typer.Option("smoke", help="Dataset name or path."),
    limit: int = typer.Option(0, help="At most this many cases (0: all)."),
    backend: str = typer.Option("embedded", help="auto | ollama | openai | embedded"),
    penalties: bool = typer.Option(True, help="Keep the embedded model's DRY and repeat penalties."),
    show: bool = typer.Option(False, help="Print each song."),
    seed: int = typer.Option(42),
) -> None:
    """Write hooks and lyrics for every case; print seconds, calls and scorer results."""
    settings = Settings(backend=backend, seed=seed, persist=False)
    chat = create_backend(settings)
    if not penalties:  # the same server, asked without DRY and with a neutral repeat penalty
        chat.chat_model.extra_body = {"dry_multiplier": 0.0, "repeat_penalty": 1.0}
    runtime = Runtime(context=AgentContext(backend=chat, settings=settings))
    cases = load_dataset(dataset).cases[: limit or None]
    console = Console()
    table = Table("case", "seconds", "calls", "tokens", *LYRIC_SCORERS, title=f"hooks + lyrics · {dataset} · "
                  f"{backend}{'' if penalties else ' (no penalties)'}")
    seconds, passes, raw_words = [], {n: 0 for n in LYRIC_SCORERS}, []
    for case in cases:
        state = blend_state(case.request, seed)
        t0 = time.perf_counter()
        state |= hook_generator(state, runtime)
        out = lyrics_composer(state, runtime)
        took = time.perf_counter() - t0
        seconds.append(took)
        runs = state["agent_runs"] + out["agent_runs"]
        m = Mashup.model_construct(request=case.request, title=state["hooks"].title, hooks=state["hooks"].hooks,
                                   lyrics=out["lyrics"].sections, music=state["music"],
                                   genre_blend=[GenreBlendItem(name=g.name, role_in_blend=g.role_in_blend,
                                                               signature_elements=g.signature_elements,
                                                               genre_id=g.genre_id) for g in state["genres"].genres],
                                   metadata=None, started=datetime.now(UTC))
        scores = {n: registry[n].fn(case, m, RunInfo(seconds=took)) for n in LYRIC_SCORERS}
        for n, s in scores.items():
            passes[n] += s.passed
        # what the model wrote before any check: its share of real words (the penalties' effect)
        report = word_report("\n".join(r.raw_output or "" for r in runs), [g.name for g in state["genres"].genres])
        raw_words.append((report.real, report.total))
        table.add_row(case.id, f"{took:.1f}", str(len(runs)), str(sum(r.prompt_tokens + r.completion_tokens for r in runs)),
                      *("pass" if s.passed else f"FAIL {s.detail[:40]}" for s in scores.values()))
        if show:
            console.print(f"[bold]{case.id}[/] hooks: {[h.text for h in state['hooks'].hooks]}")
            for s in out["lyrics"].sections:
                console.print(f"  [{s.label}{' (repeat)' if s.repeated else ''}] {s.syllables} {s.rhymes}")
                for line in s.lines:
                    console.print(f"      {line}")
                for note in s.notes:
                    console.print(f"      [yellow]{note}[/]")
    console.print(table)
    real, total = (sum(x) for x in zip(*raw_words, strict=True))
    console.print(f"median {statistics.median(seconds):.1f} s per song (hooks + lyrics), "
                  f"max {max(seconds):.1f} s, {len(seconds)} case(s); real words in the model's raw replies "
                  f"{real / max(1, total):.1%} ({real}/{total}); passes: "
                  + ", ".join(f"{n} {k}/{len(seconds)}" for n, k in passes.items()))


if __name__ == "__main__":
    typer.run(main)

"""Matplotlib figures of a run, shared by the eval notebook and the HTML report."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure


def success_per_scorer(frame: pd.DataFrame) -> Figure:
    """Share of completed cases each scorer passed, required and advisory alike."""
    names = [c[: -len(".passed")] for c in frame.columns if c.endswith(".passed")]
    rates = pd.Series({n: frame[f"{n}.passed"].dropna().astype(float).mean() for n in names}).fillna(0.0)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.barh(rates.index, rates.values, color="#4c72b0")
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of completed cases passing")
    ax.set_title("Success per scorer")
    ax.invert_yaxis()
    fig.tight_layout()
    return fig


def time_per_agent(agent_times: pd.DataFrame) -> Figure:
    """Seconds each agent took per generation (all rounds), as box plots."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    if agent_times.empty:
        ax.text(0.5, 0.5, "no agent timings", ha="center", va="center")
    else:
        order = agent_times.groupby("agent")["seconds"].median().sort_values(ascending=False).index
        ax.boxplot([agent_times.loc[agent_times["agent"] == a, "seconds"] for a in order],
                   tick_labels=list(order), orientation="horizontal")
        ax.invert_yaxis()
    ax.set_xlabel("seconds")
    ax.set_title("Time per agent")
    fig.tight_layout()
    return fig


def time_distribution(frame: pd.DataFrame, limit: float) -> Figure:
    """Generation times of completed cases against the per-mashup limit."""
    times = frame.loc[frame["status"] == "completed", "seconds"]
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.hist(times, bins=max(5, min(30, len(times))), color="#55a868")
    ax.axvline(limit, color="#c44e52", linestyle="--", label=f"limit {limit:g}s")
    ax.set_xlabel("seconds per mashup")
    ax.set_ylabel("cases")
    ax.set_title("Generation time")
    ax.legend()
    fig.tight_layout()
    return fig

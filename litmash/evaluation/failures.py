"""Why cases failed: each failing scorer with the text it objected to, and flipped cases side by side."""

from __future__ import annotations

from typing import Any

import pandas as pd

from litmash.evaluation.storage import RunRecord

COLUMNS = ["case_id", "config_key", "repeat", "scorer", "required", "value", "detail"]


def failures_table(rows: list[dict[str, Any]], required: list[str] | set[str]) -> pd.DataFrame:
    """One row per failing scorer of each result (``scorer`` is ``generation`` when the run itself
    failed), required ones first, with the scorer's detail: the offending text it names."""
    required = set(required)
    out = []
    for r in rows:
        key = {"case_id": r["case_id"], "config_key": r["config_key"], "repeat": r["repeat"]}
        if r["status"] != "completed":
            out.append(key | {"scorer": "generation", "required": True, "value": 0.0, "detail": r.get("error") or ""})
            continue
        for name, s in sorted(r["scores"].items(), key=lambda kv: (kv[0] not in required, kv[0])):
            if not s["passed"]:
                out.append(key | {"scorer": name, "required": name in required, "value": s["value"],
                                  "detail": s.get("detail") or ""})
    return pd.DataFrame(out, columns=COLUMNS)


def failing_by_case(rows: list[dict[str, Any]], required: list[str] | set[str]) -> dict[str, str]:
    """Per case, its failing required scorers (over configurations and repeats), comma-joined."""
    table = failures_table(rows, required)
    table = table[table["required"].astype(bool)]
    return {case: ", ".join(sorted(set(group["scorer"]))) for case, group in table.groupby("case_id")}


def flipped_table(run_rows: list[dict[str, Any]], base_rows: list[dict[str, Any]], required: list[str] | set[str],
                  flips: dict[str, str]) -> pd.DataFrame:
    """The flipped cases side by side: what failed in the baseline and what fails now."""
    before, now = failing_by_case(base_rows, required), failing_by_case(run_rows, required)
    return pd.DataFrame(
        [{"case_id": c, "flip": f, "failing before": before.get(c, ""), "failing now": now.get(c, "")}
         for c, f in sorted(flips.items())],
        columns=["case_id", "flip", "failing before", "failing now"])


def previous_run(runs: list[RunRecord], run: RunRecord) -> RunRecord | None:
    """The newest finished run of the same dataset that started before ``run`` (None: there is none)."""
    earlier = [r for r in runs if r.id != run.id and r.dataset == run.dataset and r.status == "completed"
               and r.started_at < run.started_at]
    return max(earlier, key=lambda r: r.started_at, default=None)

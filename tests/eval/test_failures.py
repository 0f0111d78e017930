"""Why cases failed: failing scorers with their detail, flipped cases side by side, the previous run."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from litmash.evaluation.failures import failing_by_case, failures_table, flipped_table, previous_run
from litmash.evaluation.storage import RunRecord


def row(case: str, status: str = "completed", error: str | None = None, **scores: tuple[bool, str]) -> dict:
    return {"case_id": case, "config_key": "embedded", "repeat": 0, "status": status, "error": error,
            "scores": {n: {"value": 1.0 if ok else 0.25, "passed": ok, "detail": d} for n, (ok, d) in scores.items()}}


ROWS = [
    row("a", lyric_form=(True, "ok"), grounded_facts=(False, "lyrics: date '1987' (not in the base)"),
        reading_level=(False, "grade 14")),
    row("b", status="failed", error="teaching_guide: reply invalid"),
    row("c", lyric_form=(True, "ok")),
]
REQUIRED = {"lyric_form", "grounded_facts"}


def test_each_failing_scorer_is_a_row_with_the_text_it_objected_to():
    table = failures_table(ROWS, REQUIRED)
    assert list(zip(table["case_id"], table["scorer"], table["required"], strict=True)) == [
        ("a", "grounded_facts", True), ("a", "reading_level", False), ("b", "generation", True)]
    assert "'1987'" in table.loc[0, "detail"] and table.loc[2, "detail"] == "teaching_guide: reply invalid"
    assert failures_table([ROWS[2]], REQUIRED).empty and failing_by_case([ROWS[2]], REQUIRED) == {}


def test_failing_by_case_names_only_required_scorers():
    assert failing_by_case(ROWS, REQUIRED) == {"a": "grounded_facts", "b": "generation"}


def test_flipped_cases_side_by_side():
    before = [row("a", lyric_form=(False, "no hook")), row("c", lyric_form=(True, "ok"))]
    table = flipped_table(ROWS, before, REQUIRED, {"a": "broken", "c": "fixed"})
    assert table.to_dict("records") == [
        {"case_id": "a", "flip": "broken", "failing before": "lyric_form", "failing now": "grounded_facts"},
        {"case_id": "c", "flip": "fixed", "failing before": "", "failing now": ""},
    ]


def run(name: str, dataset: str, minutes: int, status: str = "completed") -> RunRecord:
    t = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    return RunRecord(id=uuid.uuid4(), name=name, dataset=dataset, dataset_sha256="x", config={}, thresholds={},
                     planned=1, status=status, verdict=None, aggregates=None, started_at=t, finished_at=t)


def test_previous_run_is_the_newest_earlier_finished_run_of_the_dataset():
    old, mid, other, broken, now, later = (run("old", "core", 1), run("mid", "core", 2), run("x", "smoke", 3),
                                           run("cut", "core", 4, "running"), run("now", "core", 5),
                                           run("later", "core", 6))
    assert previous_run([later, now, broken, other, mid, old], now) is mid
    assert previous_run([now, other], now) is None

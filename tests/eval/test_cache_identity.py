"""A cached evaluation scores exactly what a fresh one does, on the real embedded model: the smoke set and
five core cases generated without the cache, then from an empty cache, then again from the warm cache give
the same mashups (but for ids and timings) and the same scores, and the warm run makes no LLM call. The
fresh and the cold run are also identical generations in one process, one after the other: what the
server answered before does not change a reply."""

from __future__ import annotations

import json

import pytest

from litmash.evaluation import Dataset, Grid, load_dataset, results, run_eval
from litmash.store import Store

pytestmark = [pytest.mark.integration, pytest.mark.timeout(2400)]
ANY = {"success_rate": 0.0, "p95_seconds": 600, "scorers": {"all": 0.0}}
VOLATILE = {"started_at", "total_seconds"}


def _cases() -> Dataset:
    smoke, core = load_dataset("smoke"), load_dataset("core")
    return smoke.model_copy(update={"name": "smoke-and-core", "cases": [*smoke.cases, *core.cases[:5]]})


def _mashups(outcome, settings) -> tuple[dict[str, str], dict[str, dict], dict[str, tuple[int, int]]]:
    frame = results(outcome.run.id, settings)
    store = Store(settings)

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in VOLATILE and not k.endswith("_ms")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    rows = frame.to_dict("records")
    base = {"case_id", "config_key", "repeat", "session_id", "status", "success", "seconds", "llm_calls",
            "cache_hits", "error"}
    mashups = {r["case_id"]: json.dumps(strip(store.get_mashup(r["session_id"]).model_dump(mode="json")),
                                        sort_keys=True) for r in rows}
    # every scorer's value and verdict but the time one (a warm run takes less time: that is the point)
    scores = {r["case_id"]: {k: v for k, v in r.items() if k not in base and not k.startswith("generation_time")}
              for r in rows}
    calls = {r["case_id"]: (r["llm_calls"], r["cache_hits"]) for r in rows}
    return mashups, scores, calls


def test_fresh_cold_and_warm_cache_runs_give_the_same_mashups_and_scores(settings):
    # no repair rounds: they would only add calls, and the cache's rule is the same for them
    s = settings.model_copy(update={"max_repair_rounds": 0, "request_timeout": 600})
    grid, cases = Grid(backends=["embedded"]), _cases()
    fresh = run_eval(cases, grid, thresholds=ANY, settings=s, name="fresh", cache=False)
    cold = run_eval(cases, grid, thresholds=ANY, settings=s, name="cold")
    warm = run_eval(cases, grid, thresholds=ANY, settings=s, name="warm")

    (m_fresh, s_fresh, c_fresh), (m_cold, s_cold, c_cold), (m_warm, s_warm, c_warm) = (
        _mashups(o, s) for o in (fresh, cold, warm))
    assert len(m_fresh) == 8
    assert m_cold == m_fresh and m_warm == m_fresh
    assert s_cold == s_fresh and s_warm == s_fresh
    assert fresh.verdict.passed == cold.verdict.passed == warm.verdict.passed
    # every ask of the cold run is the model's or a stored reply to that very ask (core's jazz and hip-hop
    # request is smoke's, so its second case is served whole by the first) ...
    assert {k: sum(c) for k, c in c_cold.items()} == {k: c[0] for k, c in c_fresh.items()}
    # ... and the warm run asks the model never
    assert all(calls == 0 and hits == sum(c_cold[k]) for k, (calls, hits) in c_warm.items())

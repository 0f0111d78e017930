"""The runner on a real PostgreSQL with the scripted fake model: storage, cache, resume, rescore."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select

from litmash.errors import ConfigError
from litmash.evaluation import Case, Dataset, EvalStore, Grid, PostgresLLMCache, rescore, results, run_eval
from litmash.evaluation.cache import stable_llm_string
from litmash.store import Store
from litmash.store.tables import LLMCacheEntry

from ..support.fakes import FakeChatModel, fake_backend


def model_calls(settings, session_ids) -> int:
    """The model calls the sessions' mashups record: one per agent run (the hook generator and the
    lyrics composer make several short ones; the fake's defaults need no retry or repair round)."""
    store = Store(settings)
    return sum(len(store.get_mashup(sid).metadata.agent_runs) for sid in session_ids)


def dataset(n: int = 2) -> Dataset:
    prompts = ["Blend jazz and hip-hop for a high-school class", "Mix jazz with hip hop for a workshop",
               "Combine jazz and hip-hop for beginners"]
    return Dataset(name="tiny", cases=[
        Case(id=f"c{i}", request={"user_prompt": prompts[i]}, expect={"genres": ["jazz", "hip hop"]})
        for i in range(n)])


LOW = {"success_rate": 0.0, "p95_seconds": 600, "scorers": {"all": 0.0}}


def test_every_case_is_stored_as_a_session_and_scored(settings, fake, factory):
    out = run_eval(dataset(), thresholds=LOW, settings=settings, backend_factory=factory)
    assert (out.executed, out.skipped, out.run.status, out.run.verdict) == (2, 0, "completed", "pass")
    frame = results(out.run.id, settings)
    assert list(frame["case_id"]) == ["c0", "c1"] and frame["status"].eq("completed").all()
    assert {"structure", "structure.passed", "reading_level", "generation_time.passed"} <= set(frame.columns)
    store = Store(settings)
    for sid in frame["session_id"]:
        assert store.get_session(sid).status == "completed"
        assert store.get_mashup(sid).request.user_prompt.startswith(("Blend", "Mix"))
    # The theory and lesson prompts hold only the song and the level, so a second jazz + hip hop
    # case may find them in the cache: every model call is either a call the model answered or a cache hit.
    assert out.overall.llm_calls == len(fake.history) and out.overall.cache_hits > 0
    assert out.overall.llm_calls + out.overall.cache_hits == model_calls(settings, frame["session_id"])
    assert out.run.thresholds["success_rate"] == 0.0 and out.run.aggregates["checks"]


def test_a_defect_in_one_case_fails_that_case_and_the_run_goes_on(settings, fake, factory, monkeypatch):
    import sys

    tg = sys.modules["litmash.workflow.agents.teaching_guide"]  # the package exports the node under the same name
    real = tg.build

    def build(req, *args):
        if req.user_prompt.startswith("Mix"):
            raise ValueError("a template overflowed")
        return real(req, *args)

    monkeypatch.setattr(tg, "build", build)
    out = run_eval(dataset(3), thresholds=LOW, settings=settings, backend_factory=factory, cache=False)
    frame = results(out.run.id, settings)
    assert out.run.status == "completed" and list(frame["status"]) == ["completed", "failed", "completed"]
    assert frame["error"].iloc[1] == "ValueError: a template overflowed"


def test_an_unchanged_configuration_is_served_from_the_cache(settings, fake, factory):
    first = run_eval(dataset(), thresholds=LOW, settings=settings, backend_factory=factory)
    calls = len(fake.history)
    second = run_eval(dataset(), thresholds=LOW, settings=settings, backend_factory=factory)
    assert len(fake.history) == calls  # zero LLM calls the second time
    assert (second.overall.llm_calls, second.overall.cache_hits) == (0, first.overall.llm_calls + first.overall.cache_hits)
    a, b = results(first.run.id, settings), results(second.run.id, settings)
    assert a["structure"].tolist() == b["structure"].tolist()
    assert set(a["session_id"]).isdisjoint(b["session_id"])  # each run still stores its own sessions


def test_a_changed_seed_or_no_cache_calls_the_model_again(settings, fake, factory):
    run_eval(dataset(1), thresholds=LOW, settings=settings, backend_factory=factory)
    n = len(fake.history)
    run_eval(dataset(1), Grid(seeds=[7]), thresholds=LOW, settings=settings, backend_factory=factory)
    assert len(fake.history) == 2 * n
    out = run_eval(dataset(1), thresholds=LOW, settings=settings, backend_factory=factory, cache=False)
    assert len(fake.history) == 3 * n and out.overall.llm_calls == n and out.overall.cache_hits == 0


def test_an_interrupted_run_resumes_without_redoing_finished_cases(settings, fake, factory):
    def stop_after_first(done, total, result):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_eval(dataset(3), thresholds=LOW, settings=settings, backend_factory=factory, name="nightly",
                 on_result=stop_after_first)
    store = EvalStore(settings)
    assert store.get_run("nightly").status == "failed" and len(store.result_rows("nightly")) == 1
    first_case = store.result_rows("nightly")[0]["case_id"]

    other = FakeChatModel()
    out = run_eval("ignored-when-resuming", settings=settings, backend_factory=lambda s: fake_backend(other),
                   resume="nightly", cache=False)
    assert (out.executed, out.skipped, out.run.status) == (2, 1, "completed")
    # Only the two unfinished cases were generated (their theory prompts are cache hits on the first case's).
    resumed = [r["session_id"] for r in store.result_rows(out.run.id) if r["case_id"] != first_case]
    assert len(other.history) + out.overall.cache_hits == model_calls(settings, resumed) and out.overall.cache_hits > 0
    asked = {m[1].text.split("\n")[0] for _, m in other.history}
    assert not any(first_case in a for a in asked)
    assert sorted(r["case_id"] for r in store.result_rows(out.run.id)) == ["c0", "c1", "c2"]
    # Same name again: nothing left to do.
    again = run_eval(dataset(3), settings=settings, backend_factory=factory, name="nightly")
    assert (again.executed, again.skipped) == (0, 3)


def test_grid_runs_every_configuration_and_repeat(settings, fake, factory):
    grid = Grid(seeds=[1, 2], repeats=2)
    out = run_eval(dataset(1), grid, thresholds=LOW, settings=settings, backend_factory=factory)
    frame = results(out.run.id, settings)
    assert out.run.planned == len(frame) == 4
    assert sorted(set(frame["config_key"])) == ["auto/default/default/seed1", "auto/default/default/seed2"]
    assert set(out.by_config) == set(frame["config_key"])
    seeds = sorted(Store(settings).get_session(s).seed for s in frame["session_id"])
    assert seeds == [1, 2, 2, 3]  # repeat r samples with seed + r


def test_a_failed_generation_is_a_failed_case(settings, fake, factory):
    fake.overrides["educational_context"] = ConnectionError("refused")
    out = run_eval(dataset(1), thresholds={"success_rate": 0.5}, settings=settings, backend_factory=factory)
    row = EvalStore(settings).result_rows(out.run.id)[0]
    assert (row["status"], row["success"], row["scores"]) == ("failed", False, {})
    assert row["error"].startswith("BackendUnavailable") and "cannot connect" in row["error"]
    assert Store(settings).get_session(row["session_id"]).status == "failed"
    assert out.run.verdict == "fail" and not out.verdict.passed


def test_prompt_overrides_change_what_the_model_is_asked(settings, fake, factory, tmp_path):
    from litmash.llm.prompts import prompts_dir

    prompt = yaml.safe_load((prompts_dir() / "hook_generator.yaml").read_text())
    prompt["system"] = "MARKER-42 " + prompt["system"]
    fake.router.add("hook_generator", prompt["system"])  # the edited system message is still the hook generator's
    grid = Grid(prompt_sets={"default": {}, "marked": {"hook_generator": prompt}})
    out = run_eval(dataset(1), grid, thresholds=LOW, settings=settings, backend_factory=factory)
    assert set(out.by_config) == {"auto/default/default/seed42", "auto/default/marked/seed42"}
    marked = [m for name, m in fake.history if name == "hook_generator" and "MARKER-42" in m[0].text]
    assert len(marked) == 1  # one ask: four of its hook lines pass
    assert out.run.config["grid"]["prompt_sets"]["marked"]["hook_generator"]["system"].startswith("MARKER-42")
    with pytest.raises(ConfigError, match="no such prompt"):
        run_eval(dataset(1), Grid(prompt_sets={"x": {"nope": "a: 1\nb: 2"}}), settings=settings,
                 backend_factory=factory)


def test_rescoring_reuses_stored_mashups_without_the_model(settings, fake, factory):
    first = run_eval(dataset(), thresholds=LOW, settings=settings, backend_factory=factory)
    calls = len(fake.history)
    again = rescore(first.run.id, settings=settings, scorer_names=["structure", "lesson_timing"],
                    thresholds={"success_rate": 1.0})
    assert len(fake.history) == calls
    frame = results(again.run.id, settings)
    assert [c for c in frame.columns if "." not in c and c in ("structure", "lesson_timing", "schema")] == [
        "lesson_timing", "structure"]
    assert frame["success"].all() and again.run.verdict == "pass"
    assert again.run.config["rescored_from"] == str(first.run.id)


def test_cache_key_ignores_connection_details_but_not_sampling():
    from litmash.config import Settings
    from litmash.llm.backends import _openai_chat

    def key(url, **kw):
        chat = _openai_chat(url, "k", "smol", Settings(**kw))
        return stable_llm_string("embedded/smol", chat._get_llm_string(response_format={"s": 1}))

    assert key("http://127.0.0.1:4001/v1") == key("http://127.0.0.1:4999/v1")
    assert key("http://a/v1") != key("http://a/v1", seed=7)
    assert key("http://a/v1") != key("http://a/v1", temperature=0.1)
    assert stable_llm_string("embedded/a", "x") != stable_llm_string("ollama/a", "x")


@pytest.mark.parametrize("damage", ["{not json", '{"neither": "message nor text"}', '"a string"'])
def test_an_unreadable_cache_row_is_a_miss_that_the_new_reply_replaces(settings, damage, caplog):
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration
    from sqlalchemy import update

    from litmash.evaluation.cache import cache_key

    store = EvalStore(settings)
    cache = PostgresLLMCache(store.engine, "fake/fake-1")
    cache.update("p", "llm", [ChatGeneration(message=AIMessage("old"))])
    key = cache_key(stable_llm_string("fake/fake-1", "llm"), "p")
    with store.engine.begin() as conn:
        conn.execute(update(LLMCacheEntry).where(LLMCacheEntry.key == key).values(response=damage))

    assert cache.lookup("p", "llm") is None  # a miss, not a crash or a wrong reply
    assert (cache.hits, cache.misses) == (0, 1)
    assert "unreadable reply" in caplog.text
    cache.update("p", "llm", [ChatGeneration(message=AIMessage("new"))])  # the model's new reply is stored
    assert cache.lookup("p", "llm")[0].message.content == "new"


def test_cache_round_trip_in_postgres(settings):
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration

    store = EvalStore(settings)
    cache = PostgresLLMCache(store.engine, "fake/fake-1")
    gen = ChatGeneration(message=AIMessage("{}", usage_metadata={"input_tokens": 3, "output_tokens": 1,
                                                                  "total_tokens": 4}))
    assert cache.lookup("p", "llm") is None
    cache.update("p", "llm", [gen])
    cache.update("p", "llm", [gen])  # a racing duplicate is ignored
    hit = cache.lookup("p", "llm")
    assert hit[0].message.content == "{}" and hit[0].message.usage_metadata["output_tokens"] == 1
    assert (cache.hits, cache.misses) == (1, 1)
    assert PostgresLLMCache(store.engine, "other/x").lookup("p", "llm") is None
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(LLMCacheEntry)).scalar_one() == 1
    cache.clear()
    assert cache.lookup("p", "llm") is None


@pytest.mark.integration
def test_replies_cut_by_the_token_limit_are_cached_with_the_real_model(settings):
    # 48 tokens cut the real embedded model's JSON replies mid-way: each agent falls back to code and
    # data (the run completes, the cut is noted), and the re-run replays every reply from PostgreSQL.
    cut = settings.model_copy(update={"max_tokens": 48, "max_retries": 1, "request_timeout": 300})
    grid = Grid(backends=["embedded"])
    first = run_eval(dataset(1), grid, thresholds=LOW, settings=cut, name="cut")
    again = run_eval(dataset(1), grid, thresholds=LOW, settings=cut, name="cut-again")

    a, b = (results(o.run.id, cut).iloc[0] for o in (first, again))
    assert a.status == b.status == "completed"
    edu = Store(cut).get_mashup(a.session_id).educational_content
    assert edu.approach_source == "data" and "token limit" in edu.approach_problems[0]
    assert a.llm_calls > 0 and (b.llm_calls, b.cache_hits) == (0, a.llm_calls + a.cache_hits)

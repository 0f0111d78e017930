"""The eval runner: dataset x configuration grid, bounded concurrency, resumable, cached.

Every case is generated through ``litmash.workflow.api.stream`` with persistence on, so each mashup is a
normal stored session; its scores, success and time go to ``eval_results``.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from litmash.config import Settings
from litmash.errors import ConfigError, LitmashError
from litmash.evaluation.cache import CallCounter, PostgresLLMCache
from litmash.evaluation.datasets import Case, Dataset, load_dataset
from litmash.evaluation.judge import NAME as JUDGE
from litmash.evaluation.scorers import registry, required_scorers
from litmash.evaluation.scoring import generation_seconds, score_case, summarise
from litmash.evaluation.storage import EvalStore, ResultRecord, RunRecord
from litmash.evaluation.verdict import Aggregates, Thresholds, Verdict, load_thresholds, merge_limits
from litmash.llm.backends import Backend, create_backend
from litmash.llm.prompts import AgentPrompt, FeedbackPrompt, load_prompt, prompts_dir
from litmash.store.errors import NotFound
from litmash.workflow import api

BackendFactory = Callable[[Settings], Backend]


class Configuration(BaseModel):
    """One point of the grid: which backend, model, prompt set and seed generate the mashups."""

    model_config = ConfigDict(frozen=True)

    backend: str = "auto"
    model: str | None = None
    prompts: str = "default"
    seed: int | None = 42

    @property
    def key(self) -> str:
        """A stable, readable id: ``backend/model/prompts/seed``."""
        return f"{self.backend}/{self.model or 'default'}/{self.prompts}/seed{self.seed}"


class Grid(BaseModel):
    """The configurations to run every case under, and how often.

    ``prompt_sets`` maps a name to prompt overrides: agent name -> a YAML file path, YAML text,
    or a mapping with the prompt's fields. Repeat ``r`` samples with seed ``seed + r``.
    """

    model_config = ConfigDict(extra="forbid")

    backends: list[str] = Field(default_factory=lambda: ["auto"], min_length=1)
    models: list[str | None] = Field(default_factory=lambda: [None], min_length=1)
    prompt_sets: dict[str, dict[str, Any]] = Field(default_factory=lambda: {"default": {}}, min_length=1)
    seeds: list[int | None] = Field(default_factory=lambda: [42], min_length=1)
    repeats: int = Field(1, ge=1, le=100)

    def configurations(self) -> list[Configuration]:
        """Every combination of backend, model, prompt set and seed."""
        return [
            Configuration(backend=b, model=m, prompts=p, seed=s)
            for b in self.backends for m in self.models for p in self.prompt_sets for s in self.seeds
        ]


class Outcome(BaseModel):
    """What ``run_eval`` returns: the stored run, its verdict and figures, and this invocation's work."""

    run: RunRecord
    verdict: Verdict
    overall: Aggregates
    by_config: dict[str, Aggregates]
    executed: int = Field(description="Results produced by this invocation.")
    skipped: int = Field(description="Results a previous invocation had already produced.")
    wall_seconds: float

    @property
    def cases_per_minute(self) -> float:
        """Throughput of this invocation."""
        return self.executed / self.wall_seconds * 60 if self.wall_seconds > 0 else 0.0


Progress = Callable[[int, int, ResultRecord], None]


def run_eval(
    dataset: Dataset | str | Path,
    grid: Grid | None = None,
    *,
    thresholds: Thresholds | dict | None = None,
    settings: Settings | None = None,
    concurrency: int = 1,
    name: str | None = None,
    resume: str | uuid.UUID | None = None,
    baseline: str | None = None,
    scorer_names: list[str] | None = None,
    cache: bool = True,
    backend_factory: BackendFactory | None = None,
    on_result: Progress | None = None,
) -> Outcome:
    """Run ``dataset`` under every configuration of ``grid``, score, store and judge it.

    Args:
        dataset: a Dataset, a YAML path, or a name in evals/datasets ('smoke', 'core').
        grid: backends x models x prompt sets x seeds, and repeats (default: one auto run).
        thresholds: the verdict's bounds (default: evals/thresholds.yaml, then the dataset's own).
        settings: base Settings (database, temperature, repair rounds, ...); the grid overrides
            backend, model, seed and prompts_dir per configuration.
        concurrency: cases generated at once (threads).
        name: the run's name (default: dataset name and start time). A run that already has
            this name is continued, like ``resume``.
        resume: a run id, id prefix or name to continue: its stored dataset, grid, scorers and
            thresholds are used, and results it already has are skipped.
        baseline: a run to compare with (stored in the config for reports).
        scorer_names: the scorers to apply (default: all registered).
        cache: serve identical LLM calls from the PostgreSQL cache (and fill it).
        backend_factory: builds the Backend for a configuration's Settings (tests pass a fake).
        on_result: called after each result with (done, total, result), e.g. a progress bar.
    """
    settings = settings or Settings()
    store = EvalStore(settings)
    existing = _find(store, resume or name, must_exist=resume is not None)
    if existing is not None:
        run, ds, grid, scorer_names, limits = _restore(existing)
        cache = existing.config.get("cache", cache)
    else:
        ds = dataset if isinstance(dataset, Dataset) else load_dataset(dataset)
        grid = grid or Grid()
        scorer_names = scorer_names or default_scorers(settings)
        unknown = sorted(set(scorer_names) - set(registry))
        if unknown:
            raise ConfigError(f"unknown scorer(s) {', '.join(unknown)}; known: {', '.join(registry)}")
        limits = _thresholds(thresholds, ds)
        for overrides in grid.prompt_sets.values():
            _prompt_dir(overrides, settings)  # refuse a bad override before any generation
        config = {
            "dataset": ds.model_dump(mode="json"), "grid": grid.model_dump(mode="json"),
            "scorers": scorer_names, "required": required_scorers(scorer_names), "cache": cache,
            "concurrency": concurrency, "baseline": str(store.resolve(baseline)) if baseline else None,
            "settings": settings.model_dump(mode="json", include=_RECORDED_SETTINGS),
        }
        planned = len(ds.cases) * len(grid.configurations()) * grid.repeats
        run_name = name or f"{ds.name}-{datetime.now(UTC):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:4]}"
        run = store.get_run(store.create_run(run_name, ds.name, ds.sha256, config, limits.model_dump(), planned))

    items = [
        (case, cfg, r)
        for cfg in grid.configurations() for r in range(grid.repeats) for case in ds.cases
    ]
    done = store.finished_keys(run.id)
    todo = [(c, cfg, r) for c, cfg, r in items if (c.id, cfg.key, r) not in done]
    if existing is not None:
        store.reopen(run.id, len(items))

    worker = _Worker(settings, grid, limits, scorer_names, cache, backend_factory or create_backend, store)
    t0 = time.perf_counter()
    try:
        _execute(todo, worker, concurrency, store, run.id, len(items), len(items) - len(todo), on_result)
    except BaseException:
        store.fail_run(run.id)  # results so far stay: resuming the run skips them
        raise
    wall = time.perf_counter() - t0
    return _finish(store, run.id, limits, len(todo), len(items) - len(todo), wall)


_RECORDED_SETTINGS = {"temperature", "max_tokens", "max_retries", "max_repair_rounds", "request_timeout"}


def _find(store: EvalStore, run: str | uuid.UUID | None, must_exist: bool) -> RunRecord | None:
    if run is None:
        return None
    try:
        return store.get_run(run)
    except NotFound:
        if must_exist:
            raise
        return None


def _restore(run: RunRecord) -> tuple[RunRecord, Dataset, Grid, list[str], Thresholds]:
    """A stored run's dataset, grid, scorers and thresholds, for resuming it exactly."""
    c = run.config
    unknown = sorted(set(c["scorers"]) - set(registry))
    if unknown:
        raise ConfigError(f"run {run.name} used scorer(s) not registered here: {', '.join(unknown)}")
    return (run, Dataset.model_validate(c["dataset"]).model_copy(update={"sha256": run.dataset_sha256}),
            Grid.model_validate(c["grid"]), c["scorers"], Thresholds.model_validate(run.thresholds))


def default_scorers(settings: Settings) -> list[str]:
    """Every registered scorer; the optional LLM judge only when a judge backend is configured."""
    return [n for n in registry if n != JUDGE or settings.judge_backend]


def _thresholds(given: Thresholds | dict | None, ds: Dataset) -> Thresholds:
    """Benchmarks file < dataset's own thresholds < the caller's."""
    if isinstance(given, Thresholds):
        return given
    return load_thresholds(None, ds.thresholds, given)


def _prompt_dir(overrides: dict[str, Any], settings: Settings) -> Path | None:
    """A prompts folder: the configured one with ``overrides`` written over it (None: no overrides).

    The folder is named by a hash of its content, so a resumed run finds the same one.
    """
    if not overrides:
        return settings.prompts_dir
    texts = {agent: _override_text(value) for agent, value in sorted(overrides.items())}
    base = prompts_dir(settings.prompts_dir)
    digest = hashlib.sha256(repr((str(base), texts)).encode()).hexdigest()[:16]
    target = Path(settings.data_dir).expanduser() / "eval-prompts" / digest
    target.mkdir(parents=True, exist_ok=True)
    for src in base.glob("*.yaml"):
        if src.stem not in texts:
            (target / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    for agent, text in texts.items():
        if not (base / f"{agent}.yaml").is_file():
            raise ConfigError(f"prompt override for {agent!r}: no such prompt (known: "
                              f"{', '.join(sorted(p.stem for p in base.glob('*.yaml')))})")
        (target / f"{agent}.yaml").write_text(text, encoding="utf-8")
        load_prompt(agent, target, kind=FeedbackPrompt if agent == "content_validator" else AgentPrompt)
    return target


def _override_text(value: Any) -> str:
    if isinstance(value, dict):
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True)
    text = str(value)
    path = Path(text).expanduser()
    if "\n" not in text and path.is_file():
        return path.read_text(encoding="utf-8")
    if "\n" not in text:
        raise ConfigError(f"prompt override {text!r} is neither a file nor YAML text")
    return text


class _Worker:
    """Generates and scores one (case, configuration, repeat)."""

    def __init__(self, settings, grid, limits, names, cache, factory, store):
        self.settings, self.grid, self.limits, self.names = settings, grid, limits, names
        self.cache, self.factory, self.engine = cache, factory, store.engine
        self.dirs = {p: _prompt_dir(o, settings) for p, o in grid.prompt_sets.items()}

    def settings_for(self, cfg: Configuration, repeat: int) -> Settings:
        """The base settings with the configuration's backend, model, seed and prompts."""
        seed = None if cfg.seed is None else cfg.seed + repeat
        return self.settings.model_copy(update={
            "backend": cfg.backend, "model": cfg.model, "seed": seed, "prompts_dir": self.dirs[cfg.prompts],
            "persist": True,
        })

    def __call__(self, case: Case, cfg: Configuration, repeat: int) -> ResultRecord:
        s = self.settings_for(cfg, repeat)
        t0 = time.perf_counter()
        session_id, mashup, error = None, None, None
        counter: CallCounter | None = None
        try:
            backend = self.factory(s)
            namespace = (f"{backend.name}/{backend.model}|seed={s.seed}|temperature={s.temperature}"
                         f"|max_tokens={s.max_tokens}")
            counter = PostgresLLMCache(self.engine, namespace) if self.cache else CallCounter()
            # A copy per case: the counter is this case's, and parallel cases do not share it.
            backend = replace(backend, chat_model=backend.chat_model.model_copy(update={"cache": counter}))
            for event in api.stream(case.request, s, backend, persist=True):
                if event.session_id is not None:
                    session_id = event.session_id
                if event.mashup is not None:
                    mashup = event.mashup
        except LitmashError as exc:
            error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 - a defect in one case is that case's failure, not the run's
            error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:500]}"
        calls, hits = (counter.misses, counter.hits) if counter else (0, 0)
        scored = score_case(case, mashup, self.names, seconds=generation_seconds(mashup, time.perf_counter() - t0),
                            time_limit=self.limits.case_seconds, llm_calls=calls, cache_hits=hits, judge=self.settings)
        return scored.record(config_key=cfg.key, repeat=repeat, session_id=session_id, error=error)


def _execute(todo, worker, concurrency, store, run_id, total, done, on_result) -> None:
    """Run the work with at most ``concurrency`` cases at once; store each result as it lands."""
    pending: dict[Future, tuple] = {}
    queue = iter(todo)
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="litmash-eval") as pool:
        try:
            while True:
                while len(pending) < max(1, concurrency):
                    item = next(queue, None)
                    if item is None:
                        break
                    pending[pool.submit(worker, *item)] = item
                if not pending:
                    return
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    pending.pop(fut)
                    result = fut.result()
                    store.record_result(run_id, result)
                    done += 1
                    if on_result is not None:
                        on_result(done, total, result)
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise


def _finish(store: EvalStore, run_id: uuid.UUID, limits: Thresholds, executed: int, skipped: int,
            wall: float) -> Outcome:
    summary = summarise(store.result_rows(run_id), limits)
    aggregates = summary.aggregates | {
        "last_invocation": {"executed": executed, "skipped": skipped, "wall_seconds": round(wall, 3)},
    }
    store.finish_run(run_id, aggregates, summary.verdict.label)
    return Outcome(run=store.get_run(run_id), verdict=summary.verdict, overall=summary.overall,
                   by_config=summary.by_config, executed=executed, skipped=skipped, wall_seconds=round(wall, 3))


def rescore(
    run: str | uuid.UUID,
    *,
    settings: Settings | None = None,
    scorer_names: list[str] | None = None,
    thresholds: Thresholds | dict | None = None,
    name: str | None = None,
) -> Outcome:
    """Score a finished run's stored mashups again (new scorers or thresholds) as a new run: no LLM calls."""
    settings = settings or Settings()
    store = EvalStore(settings)
    old = store.get_run(run)
    _, ds, grid, old_names, old_limits = _restore(old)
    names = scorer_names or old_names
    limits = thresholds if isinstance(thresholds, Thresholds) else Thresholds.model_validate(
        merge_limits(old_limits.model_dump(), thresholds))
    config = old.config | {"scorers": names, "required": required_scorers(names), "rescored_from": str(old.id)}
    rows = store.result_rows(old.id)
    new_id = store.create_run(name or f"{old.name}-rescored-{uuid.uuid4().hex[:6]}", old.dataset,
                              old.dataset_sha256, config, limits.model_dump(), len(rows))
    from litmash.store import Store  # the session store, for the stored mashups

    sessions = Store(store.engine)
    cases = {c.id: c for c in ds.cases}
    t0 = time.perf_counter()
    for r in rows:
        mashup = None
        if r["status"] == "completed" and r["session_id"] is not None:
            mashup = sessions.get_mashup(r["session_id"])
        # No LLM calls in a rescore, and (as ever) no backend or model for the scorers: only times.
        scored = score_case(cases[r["case_id"]], mashup, names, seconds=r["seconds"], time_limit=limits.case_seconds,
                            judge=settings, backend="", model="")
        store.record_result(new_id, scored.record(config_key=r["config_key"], repeat=r["repeat"],
                                                  session_id=r["session_id"], error=r["error"]))
    return _finish(store, new_id, limits, len(rows), 0, time.perf_counter() - t0)


def results(run: str | uuid.UUID, settings: Settings | None = None):
    """A run's results as a pandas DataFrame (one row per case x configuration x repeat)."""
    from litmash.evaluation.storage import results_frame

    return results_frame(EvalStore(settings).result_rows(run))


def runs(settings: Settings | None = None, dataset: str | None = None, limit: int | None = 20) -> list[RunRecord]:
    """Stored eval runs, newest first."""
    return EvalStore(settings).list_runs(dataset=dataset, limit=limit)

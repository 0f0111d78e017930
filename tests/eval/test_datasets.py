"""The shipped datasets and the dataset loader."""

from __future__ import annotations

import os
from collections import Counter
from typing import get_args

import pytest

from litmash.domain.request import EducationalContext, SkillLevel
from litmash.errors import ConfigError
from litmash.evaluation import load_dataset
from litmash.knowledge import knowledge
from litmash.workflow.checks import requested_genres


def test_smoke_has_three_cases():
    assert len(load_dataset("smoke").cases) == 3


def test_core_is_varied():
    core = load_dataset("core")
    assert len(core.cases) >= 30
    assert {c.request.skill_level for c in core.cases} == set(get_args(SkillLevel))
    assert {c.request.educational_context for c in core.cases} == set(get_args(EducationalContext))
    tags = Counter(t for c in core.cases for t in c.tags)
    assert {f"bloom-{b}" for b in ("remember", "understand", "apply", "analyze", "evaluate", "create")} <= set(tags)
    assert tags["non-western"] + tags["cross"] >= 10 and tags["non-english"] >= 1
    assert any(c.expect.language != "en" for c in core.cases)
    assert len({tuple(sorted(c.expect.genres)) for c in core.cases}) == len(core.cases)  # no pair twice


def test_classroom_is_written_the_way_teachers_ask():
    cases = load_dataset("classroom").cases
    assert len(cases) >= 40
    assert {c.request.educational_context for c in cases} == set(get_args(EducationalContext))
    assert {c.request.skill_level for c in cases} == set(get_args(SkillLevel))
    minutes = [c.request.lesson_minutes for c in cases if c.request.lesson_minutes]
    assert min(minutes) <= 20 and max(minutes) >= 120
    tags = Counter(t for c in cases for t in c.tags)
    assert all(tags[t] >= 3 for t in ("vague", "one-genre", "no-genre", "theme", "many-objectives", "two-genres"))
    assert sum(n for t, n in tags.items() if t.startswith("language-")) >= 5
    assert any(len(c.request.learning_objectives) >= 5 for c in cases)
    assert not requested_genres(next(c for c in cases if c.id == "theme-recycling").request)  # a theme, no genre
    # kept apart from core: no request is shared
    assert not {c.request.user_prompt for c in cases} & {c.request.user_prompt for c in load_dataset("core").cases}


@pytest.mark.parametrize("name", ["smoke", "core", "classroom"])
def test_expected_genres_are_what_the_validator_reads_from_the_request(name):
    # Otherwise the eval would demand genres the repair loop never asks the agents for.
    for c in load_dataset(name).cases:
        assert requested_genres(c.request) == [knowledge().find(g).id for g in c.expect.genres], c.id


def test_a_dataset_is_found_by_path_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\ncases:\n  - id: a\n    request: {user_prompt: Blend jazz and pop}\n")
    ds = load_dataset(path)
    assert ds.name == "mine" and len(ds.sha256) == 64 and ds.cases[0].level == "intermediate"
    assert load_dataset("smoke").name == "smoke"


def test_bad_datasets_are_refused_with_the_reason(tmp_path):
    dup = tmp_path / "dup.yaml"
    dup.write_text("name: d\ncases:\n  - {id: a, request: {user_prompt: Blend jazz and pop}}\n"
                   "  - {id: a, request: {user_prompt: Blend rock and pop}}\n")
    with pytest.raises(ConfigError, match="duplicate case ids: a"):
        load_dataset(dup)
    with pytest.raises(ConfigError, match="known names: classroom, core, smoke"):
        load_dataset("nope")
    extra = tmp_path / "extra.yaml"
    extra.write_text("name: e\ncases:\n  - {id: a, request: {user_prompt: Blend jazz and pop}, expected: 1}\n")
    with pytest.raises(ConfigError, match="cases.0.expected"):
        load_dataset(extra)


def test_named_datasets_are_found_in_the_folder_litmash_evals_dir_names(tmp_path):
    """An installed litmash (no source checkout) runs named datasets from LITMASH_EVALS_DIR or its bundled copy."""
    import subprocess
    import sys

    folder = tmp_path / "evals" / "datasets"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "name: mine\ncases:\n  - id: one\n    request:\n      user_prompt: Blend jazz and hip-hop\n", encoding="utf-8")
    code = ("from litmash.evaluation.datasets import EVALS_DIR, load_dataset; "
            "print(EVALS_DIR, load_dataset('mine').cases[0].id)")
    env = {**os.environ, "LITMASH_EVALS_DIR": str(tmp_path / "evals")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.split() == [str(tmp_path / "evals"), "one"]


def test_without_a_checkout_the_bundled_evals_are_used(monkeypatch, tmp_path):
    from litmash.evaluation import datasets

    monkeypatch.delenv("LITMASH_EVALS_DIR", raising=False)
    monkeypatch.setattr(datasets, "_REPO_EVALS", tmp_path / "absent")
    assert datasets.evals_dir().parts[-2:] == ("litmash", "_evals")

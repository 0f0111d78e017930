"""Same inputs, same output, on the real embedded model: a reply depends only on the prompt, the model,
the settings and the seed, never on what the server answered before in this process (whole generations:
tests/eval/test_cache_identity.py)."""

from __future__ import annotations

import pytest

from litmash import MashupRequest, generate
from litmash.config import Settings
from litmash.ui import PromptLab

from .conftest import PROMPT

pytestmark = pytest.mark.integration


def test_the_lab_with_an_unchanged_prompt_gives_the_same_output_for_every_seed(data_dir, store, prompts):
    generate(MashupRequest(user_prompt=PROMPT),
             Settings(backend="embedded", request_timeout=600, max_repair_rounds=0, data_dir=data_dir, seed=7))
    lab = PromptLab("hook_generator", seeds=3, first_seed=42, backend="embedded", request_timeout=600,
                    prompts_dir=prompts)
    lab.session.value = str(store.list_sessions(limit=1)[0].id)
    lab.run_button.click()  # the editor holds the current prompt: "edited" is the same text
    by_seed: dict[int, dict[str, object]] = {}
    for t in lab.trials:
        assert t.ok, t.error
        by_seed.setdefault(t.seed, {})[t.variant] = (t.output.model_dump(), t.problems, t.chars)
    assert sorted(by_seed) == [42, 43, 44]
    for seed, variants in by_seed.items():
        assert variants["current"] == variants["edited"], seed

"""Prompt files: loaded strictly, hashed, and editable without code changes."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from litmash.domain.lesson import EducationalPlan
from litmash.errors import ConfigError
from litmash.llm.prompts import AgentPrompt, FeedbackPrompt, load_prompt, prompts_dir
from litmash.pedagogy.lesson import build
from litmash.workflow import api
from litmash.workflow.agents.genre_analyzer import pick_schema, roles_schema
from litmash.workflow.agents.teaching_guide import lesson_schema
from litmash.workflow.agents.theory_integrator import explanations_schema
from litmash.workflow.agents.values import REQUEST_VARS

from ..support.fakes import BAD_HOOK_LINES, default_request, draft_music, lesson_text

HOOK_VARS = (REQUEST_VARS - {"schema"}) | {"genre_names", "subject", "vocabulary", "syllables"}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_text(encoding="utf-8").encode()).hexdigest()


@pytest.fixture
def tmp_prompts(tmp_path) -> Path:
    """A private copy of the bundled prompts that a test may edit."""
    return Path(shutil.copytree(prompts_dir(), tmp_path / "prompts"))


def edit(folder: Path, name: str, old: str, new: str) -> Path:
    path = folder / f"{name}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return path


def test_load_prompt_hashes_the_file_text():
    p = load_prompt("hook_generator", required=HOOK_VARS)
    assert isinstance(p, AgentPrompt)
    assert p.sha256 == sha(prompts_dir() / "hook_generator.yaml")
    assert p.variables() == {"genre_names", "subject", "vocabulary", "syllables"}


def test_every_bundled_prompt_loads():
    names = sorted(p.stem for p in prompts_dir().glob("*.yaml"))
    assert names == ["content_validator", "educational_context", "genre_analyzer", "genre_picker", "hook_generator",
                     "lyrics_composer", "teaching_guide", "theory_integrator"]
    fb = load_prompt("content_validator", kind=FeedbackPrompt)
    assert "{problems}" in fb.repair and "{error}" in fb.retry


def test_editing_a_prompt_changes_what_is_sent_and_the_recorded_hash(tmp_prompts, fake, backend, settings):
    bundled = api.generate(default_request(), settings, backend=backend, persist=False).metadata.prompts
    path = edit(tmp_prompts, "hook_generator", "Write 8 different", "Make every hook rhyme with 'groove'. Write 8 different")
    fake.history.clear()

    m = api.generate(default_request(), settings.model_copy(update={"prompts_dir": tmp_prompts}),
                     backend=backend, persist=False)

    (hook_call,) = fake.calls("hook_generator")
    assert "Make every hook rhyme with 'groove'." in hook_call[1].text
    assert "rhyme with 'groove'" not in "".join(msg.text for _, msgs in fake.history[:2] for msg in msgs)
    recorded = m.metadata.prompts
    assert recorded["hook_generator"].sha256 == sha(path) != bundled["hook_generator"].sha256
    assert {k: v for k, v in recorded.items() if k != "hook_generator"} == \
        {k: v for k, v in bundled.items() if k != "hook_generator"}
    assert next(r for r in m.metadata.agent_runs if r.agent == "hook_generator").prompt == recorded["hook_generator"]


def test_editing_the_repair_message_changes_the_repair_prompt(tmp_prompts, fake, backend, settings):
    edit(tmp_prompts, "content_validator", "A reviewer found these problems", "Your editor flagged these issues")
    same = "What do you hear in the chorus that makes you want to move?"  # repeated questions: a repair round
    fake.enqueue("teaching_guide", lambda _: lesson_text(fake.schema("teaching_guide")) | {"question_1": same, "question_2": same})

    api.generate(default_request(), settings.model_copy(update={"prompts_dir": tmp_prompts}),
                 backend=backend, persist=False)

    assert fake.calls("teaching_guide")[1][-1].text.startswith("Your editor flagged these issues")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("{audience}", "{teacher_name}",
     "unknown placeholder(s) ['teacher_name']; allowed: ['audience', 'context', 'genre_hints', "),
    ("{schema}", "the fields", "must include the {schema} placeholder"),
    ("description: ", "description: [unclosed\n", "not valid YAML ("),
    ("description: ", "temperature: 0.2\ndescription: ", "temperature: Extra inputs are not permitted"),
    ("user: |", "prompt: |", "user: Field required"),
])
def test_broken_prompt_file_is_a_one_line_config_error(old, new, message, tmp_prompts):
    path = edit(tmp_prompts, "educational_context", old, new)

    with pytest.raises(ConfigError) as info:
        load_prompt("educational_context", tmp_prompts, required=REQUEST_VARS)

    assert message in str(info.value)
    assert str(info.value).startswith(f"prompt {path}: ")
    assert "\n" not in str(info.value)


def test_prompt_that_is_not_a_mapping(tmp_prompts):
    (tmp_prompts / "hook_generator.yaml").write_text("- just\n- a list\n")
    with pytest.raises(ConfigError, match=r"expected a mapping with keys \['description', 'system', 'user'\]"):
        load_prompt("hook_generator", tmp_prompts)


def test_missing_prompt_file(tmp_prompts):
    (tmp_prompts / "lyrics_composer.yaml").unlink()
    with pytest.raises(ConfigError, match="^prompt file not found: .*lyrics_composer.yaml$"):
        load_prompt("lyrics_composer", tmp_prompts)


def test_broken_prompt_stops_the_run_before_that_agent_calls_the_model(tmp_prompts, fake, backend, settings):
    edit(tmp_prompts, "hook_generator", "{subject}", "{teacher_name}")

    with pytest.raises(ConfigError, match="teacher_name"):
        api.generate(default_request(), settings.model_copy(update={"prompts_dir": tmp_prompts}),
                     backend=backend, persist=False)

    assert fake.calls("hook_generator") == []


def test_typo_in_the_feedback_prompt_is_a_config_error(tmp_prompts, fake, backend, settings):
    edit(tmp_prompts, "content_validator", "{problems}", "{problem}")
    # no hook passes twice: a repair round, which formats the repair message
    fake.enqueue("hook_generator", BAD_HOOK_LINES, BAD_HOOK_LINES)

    with pytest.raises(ConfigError, match="problem"):
        api.generate(default_request(), settings.model_copy(update={"prompts_dir": tmp_prompts}),
                     backend=backend, persist=False)


@pytest.mark.parametrize(("field", "old", "new"), [
    ("repair", "{problems}", "{problem}"),
    ("repair", "{problems}", "{problems} {error}"),
    ("retry", "{error}", "{errors}"),
    ("retry", "{error}", "error"),
])
def test_feedback_prompt_must_use_exactly_its_own_placeholder(tmp_prompts, field, old, new):
    edit(tmp_prompts, "content_validator", old, new)
    with pytest.raises(ConfigError, match=rf"^prompt .*content_validator.yaml: .*{field}: must use exactly") as info:
        load_prompt("content_validator", tmp_prompts, kind=FeedbackPrompt)
    assert "\n" not in str(info.value)


def test_unclosed_brace_in_an_agent_prompt_is_a_config_error(tmp_prompts):
    edit(tmp_prompts, "hook_generator", "{subject}", "{subject")
    with pytest.raises(ConfigError, match="hook_generator.yaml: malformed placeholder"):
        load_prompt("hook_generator", tmp_prompts, required=HOOK_VARS)


AGENT_SCHEMAS = {"educational_context": EducationalPlan, "genre_analyzer": roles_schema(["jazz", "hip_hop"]),
                 "genre_picker": pick_schema(["jazz", "reggae"], 1), "theory_integrator": explanations_schema(["swing", "seventh_chords", "chord_progression"], draft_music(), ["jazz", "hip_hop"]), "teaching_guide": lesson_schema(build(default_request(), draft_music(), ["jazz", "hip_hop"], ["swing"]),
                                                  ["jazz", "hip_hop"])}


def count_bounds(node: object) -> set[tuple[int, int]]:
    """Every (minItems, maxItems) and (minimum, maximum) pair anywhere in a JSON schema."""
    found = set()
    if isinstance(node, dict):
        for lo, hi in (("minItems", "maxItems"), ("minimum", "maximum")):
            if lo in node and hi in node:
                found.add((node[lo], node[hi]))
        for v in node.values():
            found |= count_bounds(v)
    elif isinstance(node, list):
        for v in node:
            found |= count_bounds(v)
    return found


@pytest.mark.parametrize("agent", sorted(AGENT_SCHEMAS))
def test_every_count_range_in_a_prompt_is_a_schema_bound(agent):
    text = (prompts_dir() / f"{agent}.yaml").read_text()
    ranges = {(int(lo), int(hi)) for lo, hi in re.findall(r"\b(\d+) ?(?:to|or|-) ?(\d+)\b", text)}
    assert ranges <= count_bounds(AGENT_SCHEMAS[agent].model_json_schema())

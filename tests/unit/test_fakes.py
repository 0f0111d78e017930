"""The scripted fake routes its replies by agent, so a prompt's wording can change under it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from langchain_core.messages import HumanMessage, SystemMessage

from litmash.domain.lesson import EducationalPlan
from litmash.llm.prompts import prompts_dir
from litmash.workflow import api

from ..support.fakes import EDUCATIONAL_PLAN, ROLES, FakeChatModel, default_request, fake_backend
from ..support.routing import UnknownAgent

# Every agent prompt reworded: none of the old sentences is left, the placeholders stay.
REWORDED = {
    "hook_generator": {
        "system": "Songwriting helper for a classroom choir. Keep each line brief and singable.\n",
        "user": "Genres: {genre_names}. Topic: {subject}. Handy words: {vocabulary}.\n"
                "Give eight candidate refrains of roughly {syllables} syllables, one per row.\n",
    },
    "genre_analyzer": {
        "system": "Act as a music educator. Answer in JSON, exactly these keys:\n{schema}\n",
    },
    "lyrics_composer": {
        "system": "Lyricist for a school class. Plain, friendly English.\n",
        "user": "Write for {skill_level} learners: a {genre_names} piece on {subject}, with words like {vocabulary}.\n"
                "{task}\n",
    },
}
SCRIPTED = {
    "educational_context": EDUCATIONAL_PLAN.model_copy(update={"vocabulary": ["groove", "loop", "turnaround"]}),
    "genre_analyzer": {"jazz": "Jazz lends the walking bass and horn riffs to the groove.", "hip_hop": ROLES["hip_hop"]},
    "hook_generator": "\n".join(["Swing Meets the Cypher tonight", "Jazz and hip hop, we clap along",
                                 "Walk that bass, drop that beat", "The horns call out and we reply",
                                 "Keep the groove, feel the swing", "Spin it back and play it loud"]),
}


@pytest.fixture
def reworded(tmp_path) -> Path:
    """A copy of the prompts with three agents' messages reworded and a sentence added to every
    other agent's system message."""
    folder = Path(shutil.copytree(prompts_dir(), tmp_path / "prompts"))
    for path in folder.glob("*.yaml"):
        prompt = yaml.safe_load(path.read_text())
        if "system" not in prompt:  # the content validator's feedback messages
            continue
        prompt |= REWORDED.get(path.stem, {"system": "Reworded for this test.\n" + prompt["system"]})
        path.write_text(yaml.safe_dump(prompt, sort_keys=False))
    assert "different hooks" not in (folder / "hook_generator.yaml").read_text()  # the old routing's cue
    return folder


def test_a_reworded_prompt_still_gets_its_agents_scripted_reply(reworded, fake, backend, settings):
    fake.router.add_folder(reworded)  # a test that edits a system message tells the fake, as it tells litmash
    for agent, reply in SCRIPTED.items():
        fake.enqueue(agent, reply)

    m = api.generate(default_request(), settings.model_copy(update={"prompts_dir": reworded}),
                     backend=backend, persist=False)

    # every call was told apart by its agent and got that agent's script (or default)
    assert {agent for agent, _ in fake.history} == set(m.metadata.prompts) - {"content_validator"}
    assert all(not fake.queues[agent] for agent in SCRIPTED)
    (hook_call,) = fake.calls("hook_generator")
    assert hook_call[0].text == REWORDED["hook_generator"]["system"]
    assert {h.text for h in m.hooks} <= set(SCRIPTED["hook_generator"].splitlines()) and len(m.hooks) == 5
    assert [g.role_in_blend for g in m.genre_blend] == list(SCRIPTED["genre_analyzer"].values())
    assert len(fake.calls("lyrics_composer")) >= 2 and m.lyrics  # the default couplets, asked in reworded prompts
    assert m.metadata.repair_rounds == 0 and m.validation == []

    # litmash tags every call with its agent, so a fake that was not shown the reworded folder routes by the tag
    untold = FakeChatModel()
    api.generate(default_request(), settings.model_copy(update={"prompts_dir": reworded}),
                 backend=fake_backend(untold), persist=False)
    assert {agent for agent, _ in untold.history} == set(m.metadata.prompts) - {"content_validator"}


def test_an_untagged_call_whose_system_message_fits_no_prompt_is_a_loud_error():
    # (the HTTP stand-ins see no tags): not another agent's reply
    messages = [SystemMessage("Words no prompt file has."), HumanMessage("Anything.")]
    with pytest.raises(UnknownAgent, match="fits no agent prompt"):
        FakeChatModel().invoke(messages)


def test_a_call_tagged_with_its_agent_is_routed_by_the_tag(fake):
    # What litmash would pass with invoke(..., config={"metadata": {"agent": name}}): no prompt matching needed.
    messages = [SystemMessage("Words no prompt file has."), HumanMessage("Anything.")]
    fake.enqueue("hook_generator", "A tagged line")
    assert fake.invoke(messages, config={"metadata": {"agent": "hook_generator"}}).text == "A tagged line"
    structured = fake.with_structured_output(EducationalPlan, method="json_schema", include_raw=True)
    out = structured.invoke(messages, config={"metadata": {"agent": "educational_context"}})
    assert out["parsed"] == EDUCATIONAL_PLAN
    assert [agent for agent, _ in fake.history] == ["hook_generator", "educational_context"]

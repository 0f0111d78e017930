"""The teaching approach: the model's when it passes the lesson-text checks, else the template's."""

from __future__ import annotations

import pytest

from litmash.pedagogy.approach import approach_problems, choose_approach, template_approach
from litmash.pedagogy.data import lessons
from litmash.workflow import api

from ..support.fakes import default_request

# replies SmolLM2-135M gave for the teaching approach on the core set
ECHOES = [
    "[insert title of a teaching approach in funk and disco]",
    "Qawwalieqat-Lahimadharakh",
    "exploring multiple genres together, one by one",
    "To begin this journey in the classroom, I will provide my students with a learning goal that is both "
    "challenging and achievable.",
    "[Your teaching style, which includes using dates from the genre base such as 18th century or 1970s when possible.",
]


@pytest.mark.parametrize("reply", ECHOES)
def test_an_echo_or_a_fragment_is_replaced_by_the_template(reply):
    text, source, found = choose_approach(reply, "intermediate", "workshop", ["funk", "disco"])
    assert source == "data" and found
    assert text == template_approach("workshop", ["funk", "disco"]) and "Funk and Disco" in text


def test_a_plain_approach_about_the_music_stands():
    reply = "Learners clap the backbeat and rap short lines over the beat. Then they sing the chorus together."
    assert choose_approach(reply, "beginner", "classroom", ["jazz", "hip_hop"]) == (reply, "model", [])


@pytest.mark.parametrize("context", list(lessons().templates))
@pytest.mark.parametrize("level", ["beginner", "intermediate", "advanced"])
@pytest.mark.parametrize("genres", [["jazz", "hip_hop"], ["gamelan", "minimalism", "qawwali"], ["edm"], []])
def test_every_template_approach_passes_the_checks_it_stands_in_for(context, level, genres):
    text = template_approach(context, genres)
    assert "{" not in text and approach_problems(text, level, genres) == []


def test_the_node_keeps_the_reasons_and_the_validation_notes_them_without_a_repair(fake, backend, settings):
    fake.overrides["educational_context"] = {
        "learning_goals": ["Explain syncopation", "Clap a backbeat"], "vocabulary": ["beat", "swing", "hook"],
        "teaching_approach": "[insert title of a teaching approach in jazz and hip hop]"}
    m = api.generate(default_request(), settings, backend=backend, persist=False)
    edu = m.educational_content
    assert edu.approach_source == "data" and any("brackets" in p for p in edu.approach_problems)
    assert edu.teaching_approach == template_approach("classroom", ["jazz", "hip_hop"])
    note = [p for p in m.validation if p.section == "educational_content"]
    assert len(note) == 1 and not note[0].repairable and "lesson template's approach stands in" in note[0].message
    assert m.metadata.repair_rounds == 0 and len(fake.calls("educational_context")) == 1


def test_the_refused_text_kept_beside_the_template_s_approach_is_not_checked_as_prose():
    from litmash.domain.lesson import EducationalContent
    from litmash.workflow.checks import section_prose

    edu = EducationalContent(level="advanced", context="workshop", learning_goals=["Compose a verse"],
                             vocabulary=["hook"], teaching_approach=template_approach("workshop", ["opera"]),
                             approach_source="data", approach_problems=["names the date '18th century'"])
    assert "18th" not in section_prose(edu) and "workshop" not in section_prose(edu)
    written = edu.model_copy(update={"approach_source": "model", "approach_problems": []})
    assert written.teaching_approach in section_prose(written)


def test_a_reply_that_stays_invalid_falls_back_and_the_run_completes(fake, backend, settings):
    fake.overrides["educational_context"] = "this is not JSON"
    m = api.generate(default_request(learning_objectives=["Understand syncopation"]), settings, backend=backend,
                     persist=False)
    edu = m.educational_content
    assert edu.approach_source == "data" and edu.approach_problems[0].startswith("the reply stayed invalid")
    assert len(fake.calls("educational_context")) == settings.max_retries + 1
    assert [o.text for o in m.teaching_guide.objectives][0] == "Explain syncopation"  # the teacher's, rewritten
    assert [p.section for p in m.validation if not p.repairable] == ["educational_content"]
    run = next(r for r in m.metadata.agent_runs if r.agent == "educational_context")
    assert run.status != "ok"

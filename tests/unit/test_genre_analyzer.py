"""The genre analyzer on the scripted model: the blend from the request and the base, the model's
pick from a shortlist when fewer than 2 genres are named, its roles, and the fact check's repair."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from litmash.knowledge import cultural_context, knowledge, shortlist
from litmash.workflow import api
from litmash.workflow.agents import genre_analyzer
from litmash.workflow.agents.base import AgentContext

from ..support.fakes import ROLES, default_request, draft_state, lesson_text


@pytest.fixture
def runtime(backend, settings):
    return SimpleNamespace(context=AgentContext(backend=backend, settings=settings))


def blend(out) -> list[tuple[str, str]]:
    return [(g.genre_id, g.chosen_by) for g in out["genres"].genres]


def test_two_named_genres_are_the_blend_and_the_model_writes_only_their_roles(fake, runtime):
    out = genre_analyzer(draft_state(), runtime)

    assert blend(out) == [("jazz", "request"), ("hip_hop", "request")]
    assert fake.calls("genre_picker") == []
    (call,) = fake.calls("genre_analyzer")
    prompt = call[-1].text
    assert "swung eighth notes" in prompt and "turntables" in prompt  # the base's facts, short
    assert "Louis Armstrong" not in prompt and "1970s" not in prompt  # no artists or dates asked for
    jazz = out["genres"].genres[0]
    assert jazz.role_in_blend.startswith("Jazz supplies the seventh-chord harmony")
    assert jazz.signature_elements == list(knowledge().get("jazz").signature_elements[:4])


def test_one_named_genre_is_completed_by_the_models_pick_from_the_shortlist(fake, runtime):
    state = draft_state(default_request(user_prompt="A bhangra lesson for year 8 about the dhol rhythm"))

    out = genre_analyzer(state, runtime)

    (call,) = fake.calls("genre_picker")
    candidates = shortlist(["bhangra"], "A bhangra lesson for year 8 about the dhol rhythm", n=8)
    assert all(f"- {c}: " in call[-1].text for c in candidates)
    assert blend(out) == [("bhangra", "request"), (candidates[0], "model")]
    assert [r.agent for r in out["agent_runs"]] == ["genre_picker", "genre_analyzer"]


def test_a_pick_that_stays_invalid_is_made_by_code_from_the_base(fake, runtime, settings):
    fake.overrides["genre_picker"] = '{"genres": ["vaporwave"]}'  # not in the enum, every time
    state = draft_state(default_request(user_prompt="A reggae lesson on the off-beat"))

    out = genre_analyzer(state, runtime)

    assert len(fake.calls("genre_picker")) == settings.max_retries + 1
    top = shortlist(["reggae"], "A reggae lesson on the off-beat", n=1)[0]
    assert blend(out) == [("reggae", "request"), (top, "code")]
    assert [(r.agent, r.status) for r in out["agent_runs"]] == [("genre_picker", "failed"), ("genre_analyzer", "ok")]


def test_no_named_genre_gets_two_from_the_base(fake, runtime):
    state = draft_state(default_request(user_prompt="A lesson on syncopation and call and response"))

    out = genre_analyzer(state, runtime)

    ids = [g for g, _ in blend(out)]
    assert len(ids) == 2 and len(set(ids)) == 2 and all(g in knowledge().genres for g in ids)
    assert {by for _, by in blend(out)} == {"model"}


def test_roles_that_stay_invalid_fall_back_to_the_bases_own_words_after_one_re_ask(fake, runtime):
    fake.overrides["genre_analyzer"] = '{"jazz": "short"}'
    out = genre_analyzer(draft_state(), runtime)

    assert len(fake.calls("genre_analyzer")) == 2
    roles = [(g.role_in_blend, g.role_source) for g in out["genres"].genres]
    assert roles[0] == ("Jazz brings improvised solos over a repeating chord sequence (the \"changes\").", "base")
    assert roles[1][1] == "base"
    assert out["agent_runs"][-1].status == "failed"


def test_a_valid_role_in_a_reply_that_stays_invalid_is_kept(fake, runtime):
    fake.overrides["genre_analyzer"] = {"jazz": "Songwriting on the Rhythm of Jazz", "hip_hop": ROLES["hip_hop"]}
    out = genre_analyzer(draft_state(), runtime)

    roles = [(g.role_in_blend, g.role_source) for g in out["genres"].genres]
    assert roles == [(knowledge().get("jazz").name + " brings improvised solos over a repeating chord sequence "
                      "(the \"changes\").", "base"), (ROLES["hip_hop"], "model")]


def test_a_repair_round_rewrites_the_roles_and_keeps_the_picked_genres(fake, runtime):
    state = draft_state(default_request(user_prompt="A reggae lesson on the off-beat"))
    first = genre_analyzer(state, runtime)
    other = shortlist(["reggae"], "A reggae lesson on the off-beat")[1]
    fake.overrides["genre_picker"] = {"genres": [other]}

    again = genre_analyzer(state | first | {"repair_round": 1, "feedback": {"genre_analyzer": ["fix it"]}}, runtime)

    assert blend(again) == blend(first)
    assert len(fake.calls("genre_picker")) == 1  # not asked again
    assert "- fix it" in fake.calls("genre_analyzer")[-1][2].text


def test_cultural_context_comes_from_the_base_not_the_model(backend, settings):
    m = api.generate(default_request(), settings, backend=backend, persist=False)

    assert m.cultural_context == [cultural_context("jazz"), cultural_context("hip_hop")]
    hip_hop = m.cultural_context[1]
    assert hip_hop.origins == "The Bronx, New York City, United States" and hip_hop.era == "1970s"
    assert "Grandmaster Flash and the Furious Five" in hip_hop.representative_artists
    assert hip_hop.sources[0] == 'Wikipedia, "Hip hop music"'


def test_an_unknown_genre_hint_is_announced_and_the_run_goes_on(backend, settings):
    events = list(api.stream(default_request(user_prompt="A lesson for year 9", genres=["hip hopp"]),
                             settings, backend=backend, persist=False))

    notices = [e.message for e in events if e.kind == "notice"]
    assert len(notices) == 1 and notices[0].startswith("unknown genre 'hip hopp'; closest known: Hip hop")
    assert len(events[-1].mashup.genre_blend) == 2


def test_a_wrong_artist_in_a_role_is_re_asked_at_once(fake, backend, settings):
    wrong = {"jazz": "Jazz artists like Bob Marley lend the blend its swing and horns.",
             "hip_hop": "Hip hop brings rapped verses over a boom-bap backbeat."}
    fake.enqueue("genre_analyzer", wrong)  # then the default roles, which name no artist

    m = api.generate(default_request(), settings, backend=backend, persist=False)

    calls = fake.calls("genre_analyzer")
    assert len(calls) == 2
    assert "names the artist 'bob marley', but the genre base lists them under Reggae" in calls[1][-1].text
    assert m.validation == [] and m.metadata.repair_rounds == 0
    assert "Bob Marley" not in m.genre_blend[0].role_in_blend


def test_a_wrong_artist_in_the_teaching_guide_is_re_asked_with_the_reason(fake, backend, settings):
    wrong = "How did the rapper Bob Marley shape hip hop in the Bronx?"
    fake.enqueue("teaching_guide", lambda _: lesson_text(fake.schema("teaching_guide")) | {"question_3": wrong})

    m = api.generate(default_request(), settings, backend=backend, persist=False)

    calls = fake.calls("teaching_guide")
    assert len(calls) == 2
    assert "names the artist 'bob marley', but the genre base lists them under Reggae" in calls[1][-1].text
    assert m.metadata.repair_rounds == 0 and m.validation == []
    assert all("Marley" not in q for q in m.teaching_guide.discussion_questions)


def test_a_role_that_is_no_sentence_about_its_genre_is_re_asked_with_the_reason(fake, runtime):
    fake.enqueue("genre_analyzer", {"jazz": "Songwriting on the Rhythm of Jazz", "hip_hop": ROLES["hip_hop"]})

    out = genre_analyzer(draft_state(), runtime)

    calls = fake.calls("genre_analyzer")
    assert len(calls) == 2
    assert "write a full sentence of at least 8 words that names Jazz" in calls[1][-1].text
    assert out["genres"].genres[0].role_in_blend == ROLES["jazz"]
    assert out["agent_runs"][-1].attempts == 2


def test_a_role_with_invented_words_or_another_genre_is_re_asked_with_the_reason(fake, runtime):
    fake.enqueue("genre_analyzer",
                 {"jazz": "Jazz tri-tremes adds two high snares that stay on top of the beat.", "hip_hop": ROLES["hip_hop"]},
                 {"jazz": "Jazz adds rhythmic patterns to techno and is used for dancing in films.", "hip_hop": ROLES["hip_hop"]})

    out = genre_analyzer(draft_state(), runtime)

    calls = fake.calls("genre_analyzer")
    assert "'tremes' is not an English word" in calls[1][-1].text
    assert out["genres"].genres[0].role_source == "base"  # one re-ask, then the base's sentence
    assert "names Techno, which is not in this mashup" in out["agent_runs"][-1].parse_error


@pytest.mark.parametrize(("name", "element", "role"), [
    ("Arabic maqam", "Each maqam is built from ajnas (small groups of notes) and has its own typical phrases",
     "In Arabic maqam, each maqam is built from ajnas (small groups of notes) and has its own typical phrases."),
    ("Cha-cha-chá", "A moderate, even tempo that was easier to dance to than mambo",
     "Cha-cha-chá brings a moderate, even tempo that was easier to dance to than mambo."),
    ("Jazz", "Swing rhythm with syncopated accents", "Jazz brings swing rhythm with syncopated accents."),
])
def test_the_base_s_own_role_sentence_reads_as_english(name, element, role):
    from litmash.workflow.agents.genre_analyzer import base_role

    assert base_role(name, element) == role

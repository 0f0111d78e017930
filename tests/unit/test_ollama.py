"""The ollama backend (langchain-ollama + ollama client) against a loopback stand-in server."""

from __future__ import annotations

import time

import pytest

from litmash.config import Settings
from litmash.domain.lesson import EducationalPlan
from litmash.errors import LLMTimeout, ModelNotFound
from litmash.llm.backends import create_backend, ollama_models
from litmash.lyrics.pool import clause_prefixes, pieces
from litmash.pedagogy.lesson import build
from litmash.workflow import api
from litmash.workflow.agents.base import AgentContext, run_agent
from litmash.workflow.agents.genre_analyzer import roles_schema
from litmash.workflow.agents.teaching_guide import lesson_schema
from litmash.workflow.agents.theory_integrator import explanations_schema
from litmash.workflow.agents.values import request_vars
from litmash.workflow.checks import requested_genres

from ..support.fakes import default_request, draft_music
from ..support.ollama_server import fixture, recorded_content

MODEL = "llama3.1:8b-instruct"
SCHEMAS = {s.__name__: s for s in (EducationalPlan, roles_schema(["jazz", "hip_hop"]), explanations_schema(["swing", "seventh_chords", "chord_progression"], draft_music(), ["jazz", "hip_hop"]),
                                   lesson_schema(build(default_request(), draft_music(), ["jazz", "hip_hop"],
                                                       ["swing", "seventh_chords", "chord_progression"]),
                                                 ["jazz", "hip_hop"]))}


@pytest.fixture
def ollama_settings(ollama, tmp_path) -> Settings:
    return Settings(backend="ollama", ollama_base_url=ollama.url, persist=False, request_timeout=5,
                    data_dir=tmp_path)


def test_lists_the_pulled_models(ollama):
    assert ollama_models(ollama.url, timeout=2) == [MODEL, "nomic-embed-text:latest"]


def test_backend_checks_the_model_then_builds_chat_ollama(ollama, ollama_settings):
    backend = create_backend(ollama_settings)

    assert (backend.name, backend.model, backend.detail) == ("ollama", MODEL, ollama.url)
    assert type(backend.chat_model).__name__ == "ChatOllama"
    assert ollama.requests == [("GET", "/api/tags", None)]


def test_full_generation_on_ollama(ollama, ollama_settings):
    m = api.generate(default_request(), ollama_settings, persist=False)

    # the recorded hook lines, ranked by code: the one naming both genres is the title
    assert m.title == "Call it out (jazz!), bring it back (hip hop!)"
    assert sorted(h.text for h in m.hooks) == sorted(recorded_content("HookLines").splitlines())
    assert m.metadata.backend == "ollama" and m.metadata.model == MODEL
    # the recorded lines, their comma parts or their first clauses
    song = {c for p in pieces(recorded_content("SongLines")) for c in (p, *clause_prefixes(p, 0))}
    assert {line for s in m.lyrics for line in s.lines} <= song | {m.hooks[0].text}
    chats = ollama.chats()
    structured = [c for c in chats if "format" in c]
    assert sorted(c["format"]["title"] for c in structured) == sorted(SCHEMAS)
    for body in structured:
        # the structured-output contract: the agent schema's JSON schema is the `format`
        assert body["format"] == SCHEMAS[body["format"]["title"]].model_json_schema()
        assert body["model"] == MODEL and body["stream"] is True
        assert body["options"]["num_predict"] == 2048 and body["options"]["seed"] == 42
        assert [msg["role"] for msg in body["messages"]] == ["system", "user"]
    # the hook and song asks are plain text: short replies, each with its own seed
    text = [c for c in chats if "format" not in c]
    assert text and all(c["options"]["num_predict"] <= 120 for c in text)
    assert len({c["options"]["seed"] for c in text}) == len(text)
    # usage comes from the final chunk's prompt_eval_count / eval_count
    for run in m.metadata.agent_runs:
        schema = next(n for n in [*SCHEMAS, "HookLines", "SongLines"] if run.raw_output == recorded_content(n))
        final = fixture(f"chat_{schema}.json")[-1]
        assert (run.prompt_tokens, run.completion_tokens) == (final["prompt_eval_count"], final["eval_count"])


def test_model_missing_from_tags_says_how_to_pull_it(ollama, ollama_settings):
    with pytest.raises(ModelNotFound) as info:
        create_backend(ollama_settings.model_copy(update={"model": "qwen2.5:7b"}))

    assert str(info.value) == ("Ollama has no model 'qwen2.5:7b': run `litmash models pull qwen2.5:7b` "
                               "or set LITMASH_OLLAMA_AUTO_PULL=true")


def test_untagged_model_name_means_latest(ollama, ollama_settings):
    ollama.models = [{"name": "mistral:latest"}]
    assert create_backend(ollama_settings.model_copy(update={"model": "mistral"})).model == "mistral"


def test_chat_404_is_model_not_found(ollama, ollama_settings):
    ollama.mode = "not_found"
    events = []

    with pytest.raises(ModelNotFound) as info:
        api.generate(default_request(), ollama_settings, on_event=events.append, persist=False)

    assert f"model '{MODEL}' not found: run `ollama pull {MODEL}`" in str(info.value)
    assert len(ollama.chats()) == 1  # not retried
    assert "completed" not in {e.kind for e in events}


@pytest.mark.timeout(20)
def test_stalled_server_times_out(ollama, ollama_settings):
    ollama.mode = "stall"
    t0 = time.perf_counter()

    with pytest.raises(LLMTimeout, match=r"no reply within 0.5s"):
        api.generate(default_request(), ollama_settings.model_copy(update={"request_timeout": 0.5}), persist=False)

    assert time.perf_counter() - t0 < 5


@pytest.mark.timeout(20)
def test_slowly_streaming_reply_longer_than_the_timeout_times_out(ollama, ollama_settings):
    ollama.mode, ollama.trickle_delay = "trickle", 0.01  # ~1.2 s in all, 10 ms between chunks
    s = ollama_settings.model_copy(update={"request_timeout": 0.3})
    ctx = AgentContext(create_backend(s), s)

    with pytest.raises(LLMTimeout):
        run_agent(ctx, "educational_context", EducationalPlan, request_vars(default_request(), requested_genres(default_request())))

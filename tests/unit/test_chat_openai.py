"""The openai/embedded chat model keeps cut-off and invalid replies, so the LLM cache replays them.

Driven through run_agent against a loopback OpenAI-compatible stand-in, with LangChain's
in-memory cache in place of the PostgreSQL one (tests/eval covers that one).
"""

from __future__ import annotations

import pytest
from langchain_core.caches import InMemoryCache

from litmash.domain.lesson import EducationalPlan
from litmash.llm.backends import Backend, _openai_chat
from litmash.workflow.agents.base import TRUNCATED, AgentContext, run_agent
from litmash.workflow.agents.values import request_vars
from litmash.workflow.checks import requested_genres

from ..support.fakes import EDUCATIONAL_PLAN, default_request
from ..support.openai_server import FakeOpenAI

CUT = '{"learning_goals": ["Explain how a jazz ii-V-i progression creates'
TOO_FEW = EDUCATIONAL_PLAN.model_copy(update={"vocabulary": ["jazz"]}).model_dump_json()  # 3 needed


@pytest.fixture
def server():
    s = FakeOpenAI()
    yield s
    s.close()


def backend(server, settings, cache=None) -> Backend:
    chat = _openai_chat(server.url, "test", "smollm2", settings)
    return Backend("openai", "smollm2", chat.model_copy(update={"cache": cache}) if cache else chat)


def call(server, settings, cache=None) -> tuple[EducationalPlan, object]:
    ctx = AgentContext(backend=backend(server, settings, cache), settings=settings)
    return run_agent(ctx, "educational_context", EducationalPlan, request_vars(default_request(), requested_genres(default_request())))


def test_valid_reply_is_parsed_and_the_schema_sent(server, settings):
    server.enqueue(EDUCATIONAL_PLAN.model_dump_json())
    plan, run = call(server, settings)
    assert (plan, run.attempts) == (EDUCATIONAL_PLAN, 1)
    fmt = server.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "EducationalPlan"
    assert fmt["json_schema"]["schema"]["properties"]["vocabulary"]["minItems"] == 3


@pytest.mark.parametrize(("reply", "finish", "problem"), [
    (CUT, "length", TRUNCATED),
    (TOO_FEW, "stop", "vocabulary: List should have at least 3 items"),
])
def test_bad_reply_is_shown_back_with_what_is_wrong(server, settings, reply, finish, problem):
    server.enqueue(reply, finish).enqueue(EDUCATIONAL_PLAN.model_dump_json())
    plan, run = call(server, settings)
    assert (plan, run.attempts) == (EDUCATIONAL_PLAN, 2)
    retry = server.requests[1]["messages"]
    assert retry[2] == {"role": "assistant", "content": reply}
    assert problem in retry[3]["content"]


def test_cut_and_invalid_replies_are_cached_so_a_rerun_asks_nothing(server, settings):
    cache = InMemoryCache()
    server.enqueue(CUT, "length").enqueue(TOO_FEW).enqueue(EDUCATIONAL_PLAN.model_dump_json())
    first, run1 = call(server, settings.model_copy(update={"max_retries": 2}), cache)
    assert (first, run1.attempts, len(server.requests)) == (EDUCATIONAL_PLAN, 3, 3)

    again, run2 = call(server, settings.model_copy(update={"max_retries": 2}), cache)

    assert len(server.requests) == 3  # every attempt replayed from the cache, none sent
    assert (again, run2.attempts, run2.raw_output) == (first, 3, run1.raw_output)


def test_each_ask_of_the_same_prompt_has_its_own_llm_cache_key():
    """A re-ask with a new seed must not share the first ask's cache key (LangChain's cached
    serialisation survives model_copy): else a cached run gets the first reply back for every ask."""
    from langchain_openai import ChatOpenAI

    from litmash.evaluation.cache import cache_key, stable_llm_string
    from litmash.workflow.agents.text_call import sampled

    chat = ChatOpenAI(model="m", api_key="k", base_url="http://127.0.0.1:9/v1", seed=42, max_tokens=50)
    chat._get_llm_string()  # what the first use of a model caches
    keys = [cache_key(stable_llm_string("openai/m|seed=42", sampled(chat, s, 120)._get_llm_string()), "same prompt")
            for s in (42, 43, 43)]
    assert keys[0] != keys[1] and keys[1] == keys[2]
    assert '"seed": 43' in sampled(chat, 43, 120)._get_llm_string()

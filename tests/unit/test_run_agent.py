"""agents.base.run_agent: retries on invalid output, typed errors for backend failures."""

from __future__ import annotations

import httpx
import httpx2
import ollama
import openai
import pytest
from openai.types.chat import ChatCompletion

from litmash.domain.lesson import EducationalPlan
from litmash.errors import BackendUnavailable, InvalidOutput, LLMTimeout, ModelNotFound
from litmash.llm.backends import Backend
from litmash.workflow import api
from litmash.workflow.agents.base import AgentContext, run_agent
from litmash.workflow.agents.values import request_vars
from litmash.workflow.checks import requested_genres

from ..support.fakes import EDUCATIONAL_PLAN, default_request, expected_tokens

_REQ = httpx2.Request("POST", "http://127.0.0.1:8000/v1/chat/completions")
TRUNCATED = '{"learning_goals": ["Explain how a jazz ii-V-i progression creates'


def length_error(completion_tokens=2048) -> openai.LengthFinishReasonError:
    """What openai raises when a structured reply hits max_tokens mid-JSON."""
    return openai.LengthFinishReasonError(completion=ChatCompletion.model_validate({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "smollm2",
        "choices": [{"index": 0, "finish_reason": "length", "message": {"role": "assistant", "content": TRUNCATED}}],
        "usage": {"prompt_tokens": 300, "completion_tokens": completion_tokens, "total_tokens": 300 + completion_tokens},
    }))


def call(backend, settings, **kw):
    ctx = AgentContext(backend=backend, settings=settings)
    return run_agent(ctx, "educational_context", EducationalPlan, request_vars(default_request(), requested_genres(default_request())), **kw)


def test_valid_first_reply_is_one_attempt_with_usage_tokens(fake, backend, settings):
    plan, run = call(backend, settings)

    assert plan == EDUCATIONAL_PLAN
    assert (run.attempts, run.status, run.parse_error) == (1, "ok", None)
    ((_, messages),) = fake.history
    want = expected_tokens(messages, EDUCATIONAL_PLAN.model_dump_json())
    assert (run.prompt_tokens, run.completion_tokens) == want
    assert run.raw_output == EDUCATIONAL_PLAN.model_dump_json()


def test_invalid_json_is_retried_with_the_error(fake, backend, settings):
    fake.enqueue("educational_context", "Sure! Here are the learning goals:", EDUCATIONAL_PLAN)

    plan, run = call(backend, settings)

    assert plan == EDUCATIONAL_PLAN
    assert (run.attempts, run.status) == (2, "ok")
    first, second = fake.calls("educational_context")
    assert second[:2] == first  # same system and user message
    assert second[2].type == "ai" and second[2].text == "Sure! Here are the learning goals:"
    assert second[3].text.startswith("Your reply was not valid: Invalid json output")
    assert run.prompt_tokens == expected_tokens(first, "")[0] + expected_tokens(second, "")[0]


def test_schema_violation_feedback_then_valid(fake, backend, settings):
    bad = EDUCATIONAL_PLAN.model_dump() | {"vocabulary": ["jazz"]}  # 1 term, at least 3 needed
    fake.enqueue("educational_context", bad, EDUCATIONAL_PLAN)

    _, run = call(backend, settings)

    assert run.attempts == 2
    retry = fake.calls("educational_context")[1][-1].text
    assert retry.startswith("Your reply was not valid: Failed to parse EducationalPlan")


def test_output_invalid_every_time_raises_invalid_output(fake, backend, settings):
    fake.overrides["educational_context"] = "not json"

    with pytest.raises(InvalidOutput) as info:
        call(backend, settings.model_copy(update={"max_retries": 2}))

    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("educational_context: output still invalid after 3 attempts (Invalid json output")
    run = info.value.agent_run
    assert (run.status, run.attempts, run.raw_output) == ("failed", 3, "not json")
    assert run.parse_error.startswith("Invalid json output")
    assert len(fake.history) == 3
    assert run.prompt_tokens > 0


def test_length_limit_is_treated_as_invalid_output_and_retried(fake, backend, settings):
    fake.enqueue("educational_context", length_error(), EDUCATIONAL_PLAN)

    plan, run = call(backend, settings)

    assert (plan, run.attempts) == (EDUCATIONAL_PLAN, 2)
    retry = fake.calls("educational_context")[1]
    assert retry[2].text == TRUNCATED  # the cut-off reply is shown back to the model
    assert "hit the token limit" in retry[3].text


def test_length_limit_every_time_keeps_the_truncated_reply(fake, backend, settings):
    fake.overrides["educational_context"] = lambda _messages: length_error()

    with pytest.raises(InvalidOutput) as info:
        call(backend, settings.model_copy(update={"max_retries": 1}))

    assert info.value.agent_run.raw_output == TRUNCATED
    assert "token limit" in str(info.value)


def test_length_limited_attempts_count_their_tokens(fake, backend, settings):
    fake.enqueue("educational_context", length_error(completion_tokens=2048), EDUCATIONAL_PLAN)
    _, run = call(backend, settings)
    assert run.completion_tokens >= 2048
    assert run.prompt_tokens >= 300


def test_retry_message_names_the_invalid_field(fake, backend, settings):
    # ChatOllama's json_schema chain wraps the pydantic ValidationError in an OutputParserException
    # whose first line is "Failed to parse ... from completion {<the reply>}": the retry must name the
    # fields from the ValidationError instead of echoing the reply
    bad = EDUCATIONAL_PLAN.model_dump() | {"vocabulary": ["jazz"]}
    fake.enqueue("educational_context", bad, EDUCATIONAL_PLAN)
    call(backend, settings)
    assert "vocabulary: List should have at least 3 items" in fake.calls("educational_context")[1][-1].text


@pytest.mark.parametrize(("exc", "error", "text"), [
    (openai.APITimeoutError(request=_REQ), LLMTimeout, "no reply within 120s"),
    (httpx.ReadTimeout("timed out"), LLMTimeout, "raise LITMASH_REQUEST_TIMEOUT"),
    (openai.APIConnectionError(request=_REQ), BackendUnavailable, "cannot connect; is the server running?"),
    (httpx.ConnectError("[Errno 111] Connection refused"), BackendUnavailable, "cannot connect"),
    (ConnectionError("Failed to connect to Ollama"), BackendUnavailable, "cannot connect"),
    (openai.InternalServerError("boom", response=httpx2.Response(500, request=_REQ), body=None),
     BackendUnavailable, "server error 500: boom"),
])
def test_backend_failures_become_typed_errors_without_retry(exc, error, text, fake, backend, settings):
    fake.enqueue("educational_context", exc)

    with pytest.raises(error) as info:
        call(backend, settings)

    assert text in str(info.value) and "\n" not in str(info.value)
    assert str(info.value).startswith("fake backend (scripted)")
    assert len(fake.history) == 1
    assert info.value.__cause__ is exc


@pytest.mark.parametrize(("backend_name", "hint"), [("ollama", "run `ollama pull fake-1`"), ("openai", "check --model")])
@pytest.mark.parametrize("exc", [
    openai.NotFoundError("model not found", response=httpx2.Response(404, request=_REQ), body=None),
    ollama.ResponseError('{"error":"model \\"fake-1\\" not found, try pulling it first"}', 404),
])
def test_404_means_model_not_found_with_a_hint(exc, backend_name, hint, fake, settings):
    fake.enqueue("educational_context", exc)
    backend = Backend(backend_name, "fake-1", fake)

    with pytest.raises(ModelNotFound, match="model 'fake-1' not found: " + hint.replace("`", ".")):
        call(backend, settings)


def test_failing_agent_stops_the_run_with_no_mashup(fake, backend, settings):
    fake.enqueue("hook_generator", openai.APITimeoutError(request=_REQ))
    events = []

    with pytest.raises(LLMTimeout):
        for event in api.stream(default_request(), settings, backend=backend, persist=False):
            events.append(event)

    kinds = [(e.kind, e.agent) for e in events]
    assert ("started", "hook_generator") in kinds
    assert ("finished", "hook_generator") not in kinds
    assert all(e.kind != "completed" and e.mashup is None for e in events)


def test_an_agent_that_never_answers_validly_does_not_end_the_run(fake, backend, settings):
    fake.overrides["educational_context"] = {"learning_goals": []}
    seen = []

    m = api.generate(default_request(), settings.model_copy(update={"max_retries": 0}),
                     on_event=seen.append, backend=backend, persist=False)

    assert seen[-1].kind == "completed" and m.educational_content.approach_source == "data"
    assert any(p.section == "educational_content" and "stayed invalid" in p.message for p in m.validation)


def test_a_model_that_is_not_there_ends_the_run_with_one_line(fake, backend, settings):
    class Missing(Exception):
        status_code = 404

    fake.overrides["educational_context"] = Missing("no such model")
    seen = []
    with pytest.raises(ModelNotFound, match=r"model 'fake-1' not found"):
        api.generate(default_request(), settings, on_event=seen.append, backend=backend, persist=False)
    assert "completed" not in {e.kind for e in seen}

"""What every LLM agent shares: the run context, schema rendering and the structured call."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import httpx
import openai
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from litmash.config import Settings
from litmash.domain.mashup import AgentRun, PromptRef
from litmash.errors import BackendUnavailable, InvalidOutput, LitmashError, LLMTimeout, ModelNotFound
from litmash.llm.backends import Backend
from litmash.llm.prompts import AgentPrompt, FeedbackPrompt, load_prompt
from litmash.workflow.agents.schema import describe_schema
from litmash.workflow.agents.values import REQUEST_VARS, bullets

T = TypeVar("T", bound=BaseModel)

TRUNCATED = "reply hit the token limit before the JSON was complete"


@dataclass
class AgentContext:
    """Run-scoped things nodes need but the graph state must not hold (not serialisable)."""

    backend: Backend
    settings: Settings


# --------------------------------------------------------------------------- schema → prompt text


# --------------------------------------------------------------------------- the structured call


def tagged(agent: str) -> dict:
    """A call's LangChain config naming its agent (run name and metadata; never sent to the model),
    so traces, callbacks and test doubles tell the agents' calls apart without reading prompts."""
    return {"run_name": agent, "metadata": {"agent": agent}}


def run_agent(
    ctx: AgentContext,
    agent: str,
    schema: type[T],
    values: dict[str, str],
    feedback: list[str] | None = None,
    round_: int = 0,
) -> tuple[T, AgentRun]:
    """Ask the model for ``schema``; re-ask with the error on invalid output; time everything.

    Returns the parsed output and the AgentRun record. Raises a typed LitmashError when the
    backend fails or the output stays invalid after ``settings.max_retries`` re-asks.
    """
    settings = ctx.settings
    prompt = load_prompt(agent, settings.prompts_dir, required=REQUEST_VARS | set(values), kind=AgentPrompt)
    fb = load_prompt("content_validator", settings.prompts_dir, kind=FeedbackPrompt)
    system, user = prompt.render(**values, schema=describe_schema(schema))
    messages: list[BaseMessage] = [SystemMessage(system), HumanMessage(user)]
    if feedback:
        messages.append(HumanMessage(fb.repair.format(problems=bullets(feedback))))

    structured = ctx.backend.chat_model.with_structured_output(schema, method="json_schema", include_raw=True)
    started, t0 = datetime.now(UTC), time.perf_counter()
    llm_s, tokens_in, tokens_out, raw, error = 0.0, 0, 0, None, None

    def record(attempts: int, status: str) -> AgentRun:
        return AgentRun(
            agent=agent, round=round_, prompt=PromptRef(name=prompt.name, sha256=prompt.sha256),
            model=ctx.backend.model, started_at=started,
            wall_ms=(time.perf_counter() - t0) * 1000, llm_ms=llm_s * 1000, attempts=attempts,
            prompt_tokens=tokens_in, completion_tokens=tokens_out, status=status,
            raw_output=raw, parse_error=error,
        )

    for attempt in range(1, settings.max_retries + 2):
        c0 = time.perf_counter()
        try:
            out = structured.invoke(messages, config=tagged(agent))
            parsed, raw_msg, parse_exc = out["parsed"], out["raw"], out.get("parsing_error")
        except (openai.LengthFinishReasonError, ValidationError, OutputParserException, json.JSONDecodeError) as exc:
            # The built-in backends return such replies as messages (litmash.llm.chat_openai); a
            # registered backend on stock ChatOpenAI raises them from the openai SDK instead.
            parsed, raw_msg, parse_exc = None, None, exc
            if isinstance(exc, openai.LengthFinishReasonError):
                raw = exc.completion.choices[0].message.content
                # The cut-off reply still cost its tokens: count them like any other attempt's.
                usage = exc.completion.usage
                if usage is not None:
                    tokens_in += usage.prompt_tokens or 0
                    tokens_out += usage.completion_tokens or 0
        except Exception as exc:  # noqa: BLE001 - translated into a typed error just below
            llm_s += time.perf_counter() - c0
            raise _translate(exc, ctx.backend, settings) from exc
        llm_s += time.perf_counter() - c0
        if isinstance(raw_msg, AIMessage):
            raw = raw_msg.text if isinstance(raw_msg.content, list) else raw_msg.content
            usage = raw_msg.usage_metadata or {}
            tokens_in += usage.get("input_tokens", 0)
            tokens_out += usage.get("output_tokens", 0)
        if parsed is not None and parse_exc is None:
            error = None
            return (parsed if isinstance(parsed, schema) else schema.model_validate(parsed)), record(attempt, "ok")
        error = _reply_problem(raw_msg, schema, parse_exc)
        messages = messages[:2] + ([messages[2]] if feedback else [])
        if raw:
            messages.append(AIMessage(raw))
        messages.append(HumanMessage(fb.retry.format(error=error)))

    run = record(settings.max_retries + 1, "failed")
    raise InvalidOutput(
        f"{agent}: output still invalid after {run.attempts} attempts ({error}); "
        "try another --seed, a larger model, or raise LITMASH_MAX_RETRIES",
        agent_run=run,
    )


def _reply_problem(reply: object, schema: type[BaseModel], exc: BaseException | None) -> str:
    """One line naming what was wrong with an unparsed reply: cut off, not JSON, or which fields fail."""
    meta = reply.response_metadata if isinstance(reply, AIMessage) else {}
    # OpenAI-compatible servers say finish_reason, Ollama says done_reason.
    if "length" in (meta.get("finish_reason"), meta.get("done_reason")):
        return TRUNCATED
    if isinstance(reply, AIMessage) and not isinstance(exc, (ValidationError, OutputParserException)):
        # litmash.llm.chat_openai leaves an invalid reply unparsed: its parser only says "no parsed field".
        try:
            schema.model_validate_json(reply.text)
        except ValidationError as invalid:
            return _short(invalid)
    return _short(exc)


def _short(exc: BaseException | None) -> str:
    """One line naming what was wrong with a reply, for the retry message and the run record."""
    if isinstance(exc, ValidationError):
        return _describe_validation(exc)
    if isinstance(exc, OutputParserException) and isinstance(exc.__cause__, ValidationError):
        # LangChain's message echoes the whole reply before the errors; name the fields instead.
        cause = exc.__cause__
        return f"Failed to parse {cause.title}: {_describe_validation(cause)}"
    if isinstance(exc, openai.LengthFinishReasonError):
        return TRUNCATED
    text = str(exc).strip().splitlines()[0] if exc and str(exc).strip() else type(exc).__name__
    return text[:300]


def _describe_validation(exc: ValidationError, shown: int = 3) -> str:
    """The first ``shown`` field errors as 'path: message', then how many there are."""
    parts = [f"{'.'.join(map(str, e['loc'])) or exc.title}: {e['msg']}" for e in exc.errors()[:shown]]
    return f"{'; '.join(parts)} ({exc.error_count()} problem(s))"[:600]


def _translate(exc: Exception, backend: Backend, settings: Settings) -> LitmashError:
    where = f"{backend.name} backend ({backend.detail or backend.model})"
    if isinstance(exc, LitmashError):
        return exc
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):
        return LLMTimeout(
            f"{where}: no reply within {settings.request_timeout:g}s; raise LITMASH_REQUEST_TIMEOUT "
            "or use a smaller model"
        )
    if isinstance(exc, (openai.APIConnectionError, httpx.ConnectError, ConnectionError)):
        return BackendUnavailable(f"{where}: cannot connect; is the server running?")
    status = getattr(exc, "status_code", None)
    if status == 404:
        hint = f"run `ollama pull {backend.model}`" if backend.name == "ollama" else "check --model"
        return ModelNotFound(f"{where}: model {backend.model!r} not found: {hint}")
    if status is not None:
        return BackendUnavailable(f"{where}: server error {status}: {_short(exc)}")
    return BackendUnavailable(f"{where}: {type(exc).__name__}: {_short(exc)}")



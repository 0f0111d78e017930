"""A plain-text call: a short reply of lines, no JSON. Small models write better lines in plain
text than inside a JSON grammar; code reads the lines and checks every one."""

from __future__ import annotations

import time
import zlib
from datetime import UTC, datetime

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from litmash.domain.mashup import AgentRun, PromptRef
from litmash.llm.prompts import AgentPrompt, load_prompt
from litmash.workflow.agents.base import AgentContext, _translate, tagged
from litmash.workflow.agents.values import REQUEST_VARS


def sampled(chat: BaseChatModel, seed: int | None, max_tokens: int) -> BaseChatModel:
    """The chat model with this call's seed and reply length, where the model has such fields
    (a fixed seed would give a re-ask the same reply back)."""
    fields = getattr(type(chat), "model_fields", {})
    update: dict[str, object] = {}
    if seed is not None and "seed" in fields:
        update["seed"] = seed
    for name in ("max_tokens", "num_predict"):  # OpenAI-compatible, Ollama
        if name in fields:
            update[name] = max_tokens
    if not update:
        return chat
    copy = chat.model_copy(update=update)
    # LangChain caches a model's serialised form (its cached property ``_serialized``), which is the LLM
    # cache's key; model_copy keeps the original's, so every re-ask with a new seed would share the first
    # ask's key and a cached run would get the first reply back. The copy serialises itself afresh.
    copy.__dict__.pop("_serialized", None)
    return copy


def run_text(ctx: AgentContext, agent: str, values: dict[str, str], call: int, round_: int = 0,
             max_tokens: int = 120) -> tuple[str, AgentRun]:
    """Ask the agent's prompt for a plain-text reply; ``call`` moves the seed on for each call of
    one run, and ``round_`` for each repair round. The validator's problems are not sent: a small
    model answers "fix these problems" with lines about fixing problems ("They fix them by fixing
    one of them"), so a repair round samples afresh and the agent keeps the better result.
    Returns the reply and its AgentRun record (tokens, time, the raw reply)."""
    settings = ctx.settings
    prompt = load_prompt(agent, settings.prompts_dir, required=(REQUEST_VARS - {"schema"}) | set(values),
                         kind=AgentPrompt)
    system, user = prompt.render(**values)
    messages: list[BaseMessage] = [SystemMessage(system), HumanMessage(user)]
    # each agent, call and repair round samples with its own seed
    seed = None if settings.seed is None else settings.seed + zlib.crc32(agent.encode()) % 7919 + 7919 * call \
        + 104729 * round_
    chat = sampled(ctx.backend.chat_model, seed, max_tokens)
    started, t0 = datetime.now(UTC), time.perf_counter()
    try:
        reply = chat.invoke(messages, config=tagged(agent))
    except Exception as exc:  # noqa: BLE001 - translated into a typed error
        raise _translate(exc, ctx.backend, settings) from exc
    wall = (time.perf_counter() - t0) * 1000
    text = reply.text if isinstance(reply.content, list) else str(reply.content)
    usage = reply.usage_metadata or {}
    run = AgentRun(
        agent=agent, round=round_, prompt=PromptRef(name=prompt.name, sha256=prompt.sha256),
        model=ctx.backend.model, started_at=started, wall_ms=wall, llm_ms=wall, attempts=1,
        prompt_tokens=usage.get("input_tokens", 0), completion_tokens=usage.get("output_tokens", 0),
        status="ok", raw_output=text, parse_error=None,
    )
    return text, run

"""The chat model of the ``openai`` and ``embedded`` backends: ChatOpenAI that keeps every reply.

langchain-openai sends a pydantic ``response_format`` through the openai SDK's ``parse``, which
raises on a reply cut by the token limit or failing the schema. Raising there loses the reply
before LangChain's cache sees it, so an eval re-run asks the model again (and, with llama.cpp
batching, may get another reply and diverge from the stored run). Here the request goes out
with the same JSON schema through ``create``: every reply comes back (and is cached); valid ones
carry ``parsed`` as before, and the caller reads ``finish_reason`` and the content to say what
was wrong with the others.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult
from langchain_openai import ChatOpenAI
from openai.lib._parsing._completions import type_to_response_format_param
from pydantic import BaseModel, ValidationError


class ReplyKeepingChatOpenAI(ChatOpenAI):
    """ChatOpenAI whose structured calls return cut-off and invalid replies instead of raising."""

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        schema = kwargs.get("response_format")
        if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
            return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)
        payload = self._get_request_payload(messages, stop=stop, **kwargs)
        payload.pop("stream", None)
        payload["response_format"] = type_to_response_format_param(schema)
        result = self._create_chat_result(self.client.create(**payload))
        for gen in result.generations:
            complete = (gen.generation_info or {}).get("finish_reason") != "length"
            if complete and isinstance(gen.message.content, str):
                try:
                    gen.message.additional_kwargs["parsed"] = schema.model_validate_json(gen.message.content)
                except ValidationError:
                    pass  # left unparsed: the caller validates the content again to name the problem
        return result

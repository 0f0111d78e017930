"""Test doubles shared by several test folders.

- ``routing``: which agent a model call is for (its tag, else its system message matched to the
  agent prompt files), never a phrase of a prompt.
- ``fakes``: the scripted in-process chat model, keyed by agent, and realistic default outputs.
- ``model_server``: a loopback OpenAI-compatible server answering with the fakes' defaults (for
  worker processes, which the in-process fake cannot reach).
- ``ollama_server`` / ``openai_server``: loopback stand-ins replaying recorded or queued replies.
- ``factories``: hand-built, valid litmash records for store tests and benchmarks.
"""

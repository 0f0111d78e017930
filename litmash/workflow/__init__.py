"""The workflow: the LangGraph graph (wiring only), its state, one module per agent, generate/stream, replay."""

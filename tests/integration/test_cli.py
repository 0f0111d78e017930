"""The ``litmash`` command end to end: real model, real PostgreSQL, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from litmash import Mashup
from litmash.present.markdown import to_markdown

from .conftest import OBJECTIVES, PROMPT, cli_env, litmash


@pytest.fixture(scope="module")
def generated(data_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "mashup.json"
    args = ["generate", PROMPT, "--level", "beginner", "--context", "workshop", "--seed", "7", "--json", str(out)]
    for o in OBJECTIVES:
        args += ["--objective", o]
    proc = litmash(*args, env=cli_env(data_dir))
    return proc, out


def test_generate_exits_zero_and_writes_the_json(generated):
    proc, out = generated
    assert proc.returncode == 0, proc.stderr
    mashup = Mashup.model_validate(json.loads(out.read_text()))
    assert mashup.request.skill_level == "beginner"
    assert mashup.teaching_guide.lesson_minutes == 90  # workshop default
    assert mashup.metadata.seed == 7
    assert mashup.title.split()[0] in proc.stdout
    assert "educational_context" in proc.stderr  # the progress table
    assert "stored as session" in proc.stderr
    assert json.loads(out.read_text())["id"] == _session_id(proc)


def test_generate_json_carries_the_stored_id_and_loads_as_a_mashup(data_dir, tmp_path):
    # The scripted model behind the loopback OpenAI-compatible server: the CLI's output, not the model, is tested.
    from tests.support.model_server import ScriptedModelServer

    model = ScriptedModelServer()
    env = cli_env(data_dir, LITMASH_BACKEND="openai", LITMASH_OPENAI_BASE_URL=model.url,
                  LITMASH_OPENAI_MODEL="scripted", LITMASH_REQUEST_TIMEOUT="30")
    stored, unstored = tmp_path / "stored.json", tmp_path / "unstored.json"
    try:
        proc = litmash("generate", PROMPT, "--json", str(stored), env=env, timeout=120)
        loose = litmash("generate", PROMPT, "--no-store", "--json", str(unstored), env=env, timeout=120)
    finally:
        model.close()
    assert proc.returncode == 0 and loose.returncode == 0, proc.stderr + loose.stderr
    data = json.loads(stored.read_text())
    assert next(iter(data)) == "id" and data["id"] == _session_id(proc)
    mashup = Mashup.model_validate(data)  # the id is an extra key Mashup ignores
    exported = litmash("export", data["id"], "--format", "json", env=env)
    assert exported.returncode == 0 and Mashup.model_validate_json(exported.stdout) == mashup
    assert json.loads(unstored.read_text())["id"] is None
    assert Mashup.model_validate_json(unstored.read_text()).title == mashup.title


def _session_id(proc) -> str:
    line = next(x for x in proc.stderr.splitlines() if "stored as session" in x)
    return line.split("stored as session", 1)[1].split()[0]


def test_list_show_export(generated, data_dir):
    proc, out = generated
    sid = _session_id(proc)
    env = cli_env(data_dir)
    listed = litmash("list", "--level", "beginner", env=env)
    assert listed.returncode == 0 and sid[:8] in listed.stdout
    shown = litmash("show", sid[:8], env=env)
    mashup = Mashup.model_validate(json.loads(out.read_text()))
    assert shown.returncode == 0 and mashup.hooks[0].text[:20] in shown.stdout
    exported = litmash("export", sid, "--format", "md", env=env)
    assert exported.stdout.strip() == to_markdown(mashup).strip()
    as_json = litmash("export", sid, "--format", "json", env=env)
    assert Mashup.model_validate_json(as_json.stdout) == mashup
    info = litmash("db", "info", env=env)
    assert info.returncode == 0 and "embedded" in info.stdout and "mashups" in info.stdout


def test_export_writes_the_music_files(generated, data_dir, tmp_path):
    from music21 import converter, midi

    proc, out = generated
    sid, env = _session_id(proc), cli_env(data_dir)
    mashup = Mashup.model_validate(json.loads(out.read_text()))
    made = {}
    for fmt, ext in (("svg", "svg"), ("midi", "mid"), ("musicxml", "musicxml"), ("wav", "wav")):
        target = tmp_path / f"song.{ext}"
        done = litmash("export", sid[:8], "--format", fmt, "--output", str(target), env=env)
        assert done.returncode == 0, done.stderr
        made[fmt] = target
    assert mashup.music.hook_melody.notes[0].syllable in made["svg"].read_text()
    mf = midi.MidiFile()
    mf.readstr(made["midi"].read_bytes())
    assert len([t for t in mf.tracks if t.hasNotes()]) == 4
    score = converter.parse(str(made["musicxml"]))
    assert len(score.parts) == 4
    assert made["wav"].read_bytes()[:4] == b"RIFF"
    # Markdown to a file brings the music files along, linked
    md = tmp_path / "lesson.md"
    assert litmash("export", sid[:8], "--format", "md", "--output", str(md), env=env).returncode == 0
    assert "[svg](lesson.svg)" in md.read_text() and (tmp_path / "lesson.ogg").read_bytes()[:4] == b"OggS"


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["generate", "hi"], 2, "user_prompt"),
        (["generate", PROMPT, "--level", "expert"], 2, "'beginner', 'intermediate' or 'advanced'"),
        (["generate", PROMPT, "--context", "lecture"], 2, "educational_context"),
        (["generate", PROMPT, "--minutes", "5"], 2, "lesson_minutes"),
        (["show", "not-an-id"], 1, "invalid id"),
        (["show", "deadbeef"], 1, "no session"),
        (["export", "deadbeef", "--format", "pdf"], 1, "format"),
        (["list", "--level", "expert"], 1, "level"),
    ],
)
def test_bad_input_is_one_clear_line(args, code, needle, data_dir):
    proc = litmash(*args, env=cli_env(data_dir))
    assert proc.returncode == code, proc.stderr
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_debug_shows_the_traceback(data_dir):
    proc = litmash("show", "deadbeef", "--debug", env=cli_env(data_dir))
    assert proc.returncode != 0 and "Traceback" in proc.stderr


def test_unreachable_database(data_dir):
    env = cli_env(data_dir, LITMASH_DATABASE_URL="postgresql://litmash@127.0.0.1:1/nowhere")
    proc = litmash("list", env=env)
    assert proc.returncode == 1
    assert "PostgreSQL unreachable at" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("backend", "extra", "needle"),
    [
        ("openai", {"LITMASH_OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}, "cannot connect"),
        ("ollama", {"LITMASH_OLLAMA_BASE_URL": "http://127.0.0.1:1"}, "cannot reach Ollama"),
        ("embedded", {"LITMASH_REQUEST_TIMEOUT": "0.05"}, "no reply within 0.05s"),
    ],
)
def test_backend_failures_fail_the_run_with_one_line(backend, extra, needle, data_dir):
    env = cli_env(data_dir, LITMASH_BACKEND=backend, **extra)
    proc = litmash("generate", PROMPT, env=env)
    assert proc.returncode == 1, proc.stderr
    assert needle in proc.stderr and "Traceback" not in proc.stderr
    if backend != "ollama":  # the others fail after the session row exists
        failed = litmash("list", "--status", "failed", env=env)
        assert failed.returncode == 0 and "failed" in failed.stdout


def _tty(data_dir, columns: int) -> dict[str, str]:
    """A CLI environment that renders as on a terminal of ``columns`` columns."""
    return cli_env(data_dir, COLUMNS=str(columns), TTY_COMPATIBLE="1", NO_COLOR="1")


@pytest.mark.parametrize("columns", [60, 80, 200])
def test_every_id_list_prints_works_with_show(generated, data_dir, columns):
    import re

    listed = litmash("list", env=_tty(data_dir, columns))
    assert listed.returncode == 0, listed.stderr
    lines = re.sub(r"\x1b\[[0-9;]*m", "", listed.stdout).splitlines()  # bold headers
    assert all(len(line) <= columns for line in lines), listed.stdout
    assert lines[0].split()[0] == "id" and "title" in lines[0].split()
    ids = [m.group(1) for line in lines[2:] if (m := re.match(r"([0-9a-f]{8}) ", line))]
    assert _session_id(generated[0])[:8] in ids
    # what each short id must resolve to: the full id, status and title from the script form
    full = {r[0][:8]: r for r in (line.split("\t") for line in litmash("list", env=cli_env(data_dir)).stdout.splitlines()[1:])}
    assert sorted(ids) == sorted(full)
    for sid in ids:
        uuid_, _, status, title, *_ = full[sid]
        shown = litmash("show", sid, env=cli_env(data_dir))
        if status == "completed":
            assert shown.returncode == 0 and title.split()[-1] in shown.stdout, (sid, shown.stderr)
        else:  # resolved to its session, which has no mashup to show
            assert shown.stderr.strip() == f"error: session {uuid_} has no mashup (status: {status})"


def test_list_for_scripts_is_tab_separated_with_full_ids(generated, data_dir):
    import uuid

    for args in (["list"], ["list", "--plain"]):  # a pipe, and --plain on a terminal
        env = cli_env(data_dir) if args == ["list"] else _tty(data_dir, 80)
        listed = litmash(*args, env=env)
        header, *rows = listed.stdout.splitlines()
        assert header.split("\t") == ["id", "started", "status", "title", "genres", "level", "context", "s", "model"]
        assert rows and all(len(r.split("\t")) == 9 for r in rows)
        assert str(uuid.UUID(rows[0].split("\t")[0])) == rows[0].split("\t")[0]
    assert _session_id(generated[0]) in listed.stdout


def test_models_check_reports_the_embedded_model(data_dir):
    done = litmash("models", "check", "--backend", "embedded", env=cli_env(data_dir))
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.splitlines()
    backend, answers, model, present, reply, where, detail = row.split("\t")
    assert (backend, answers, model, present) == ("embedded", "yes", "SmolLM2-135M-Instruct.Q4_1.gguf", "yes")
    assert 0 < float(reply) < 60 and where.endswith(model) and detail.startswith("llama.cpp in process")


def test_music_export_without_output_goes_to_exports(generated, data_dir, tmp_path):
    import os

    proc, _ = generated
    done = subprocess.run([sys.executable, "-m", "litmash.cli.main", "export", _session_id(proc)[:8], "--format", "midi"],
                          env=cli_env(data_dir), capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    made = [os.path.relpath(os.path.join(d, f), tmp_path) for d, _, fs in os.walk(tmp_path) for f in fs]
    assert len(made) == 1 and made[0].startswith("exports/") and made[0].endswith(".mid")

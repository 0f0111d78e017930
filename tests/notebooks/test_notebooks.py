"""Every notebook executed headless: by papermill (non-interactive, real embedded model) and by nbval.

Notebooks run from a scratch working directory (they must not depend on where they are run
from); executed copies are kept under test-output/notebooks/ for people to read.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from litmash import Settings
from litmash.present.markdown import to_markdown
from litmash.store import Store

from .conftest import NOTEBOOKS, REPO, kernel_env

pytestmark = pytest.mark.integration


def papermill(name: str, out_dir: Path, cwd: Path, env: dict[str, str], **params) -> nbformat.NotebookNode:
    """Execute ``notebooks/<name>.ipynb`` with papermill's CLI; return the executed notebook."""
    out = out_dir / f"{name}.out.ipynb"
    args = [sys.executable, "-m", "papermill", str(NOTEBOOKS / f"{name}.ipynb"), str(out),
            "-k", "python3", "--cwd", str(cwd)]
    for key, value in params.items():
        args += ["-y", f"{key}: {value!r}"] if isinstance(value, (list, tuple)) else ["-p", key, str(value)]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{name} failed:\n{done.stderr[-4000:]}"
    return nbformat.read(out, as_version=4)


def stdout(nb: nbformat.NotebookNode) -> str:
    """Everything the notebook printed."""
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []) if o.get("output_type") == "stream")


@pytest.fixture(scope="module")
def run(data_dir, output_dir, tmp_path_factory):
    """Run a notebook with this session's data folder and a private copy of the prompts."""
    prompts = tmp_path_factory.mktemp("prompts")
    shutil.copytree(REPO / "prompts", prompts, dirs_exist_ok=True)
    env = kernel_env(data_dir, LITMASH_PROMPTS_DIR=str(prompts))
    cwd = tmp_path_factory.mktemp("cwd")

    def run(name: str, **params) -> nbformat.NotebookNode:
        return papermill(name, output_dir, cwd, env, interactive=False, **params)

    run.cwd = cwd
    run.before = {"cwd": _files(cwd), "notebooks": _files(NOTEBOOKS)}
    return run


def _files(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` with its modification time (ns)."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(run, data_dir):
    """01_generate run headless: generate, regenerate the hooks, save the revision, export."""
    # no export_dir: the notebook's default output folder is what users get
    nb = run("01_generate", backend="embedded", max_repair_rounds=0, regenerate="hooks")
    return nb, stdout(nb)


def test_01_generate_runs_headless_and_stores_both_versions(generated, data_dir, run):
    nb, out = generated
    first = re.search(r"generated '(.+)' in [\d.]+ s, session ([0-9a-f]{8})", out)
    revised = re.search(r"regenerated hooks: title now '(.+)'\n", out)
    saved = re.search(r"saved the revision as session ([0-9a-f]{8})", out)
    assert first and revised and saved, out
    store = Store(Settings(data_dir=data_dir))
    original = store.get_mashup(first.group(2))
    assert original.title == first.group(1)
    revision = store.get_mashup(saved.group(1))
    assert revision.title == revised.group(1)
    assert revision.lyrics == original.lyrics  # only the hooks section was regenerated
    exports = sorted((run.cwd / "exports").iterdir())
    assert [p.suffix for p in exports] == [".json", ".md"]
    # The title line as the Markdown export renders it (model text is escaped: '_' becomes '\\_').
    heading = to_markdown(revision).splitlines()[0]
    assert heading.startswith("# ") and next(p for p in exports if p.suffix == ".md").read_text().startswith(heading)
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


def test_02_history_runs_headless_and_compares(generated, run, data_dir):
    out = stdout(run("02_history"))
    store = Store(Settings(data_dir=data_dir))
    newest = store.list_sessions(limit=2, status="completed")
    assert f"showing {newest[0].title!r}" in out
    assert f"compared {newest[0].title!r} vs {newest[1].title!r}" in out
    assert re.search(r"\d+ stored session\(s\)", out)


def test_03_prompt_lab_runs_headless_over_k_seeds(generated, run):
    nb = run("03_prompt_lab", seeds=2, first_seed=5, edit=["Use words like {vocabulary}.", "Use vivid words like {vocabulary}."])
    lines = re.findall(r"^seed (\d+) (current|edited): (.+)$", stdout(nb), re.M)
    assert [(s, v) for s, v, _ in lines] == [("5", "current"), ("5", "edited"), ("6", "current"), ("6", "edited")]
    assert all(re.search(r"(problem\(s\), \d+ chars|invalid: .+), [\d.]+ s$", rest) for *_, rest in lines)


def test_headless_runs_write_only_into_the_output_folder(generated, run):
    """Every notebook above ran from run.cwd: only exports/ gained files, the notebooks are untouched."""
    added = _files(run.cwd).keys() - run.before["cwd"].keys()
    assert added and all(k.startswith("exports/") for k in added), sorted(added)
    assert _files(NOTEBOOKS) == run.before["notebooks"]


def test_notebooks_are_committed_without_outputs():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1 and "interactive = True" in tagged[0].source, path.name


def test_nbval_lax_runs_every_notebook(generated, data_dir, tmp_path):
    """nbval executes each notebook as shipped (interactive: forms built, nothing generated)."""
    copy = tmp_path / "nb"
    shutil.copytree(NOTEBOOKS, copy)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
         "--rootdir", str(copy), "-c", "/dev/null", str(copy)],
        env=kernel_env(data_dir), capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert re.search(r"\b(\d+) passed\b", done.stdout) and "failed" not in done.stdout.splitlines()[-1]

"""``litmash lab``: JupyterLab on the litmash notebooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from litmash.config import Settings

_REPO_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def notebooks_dir(settings: Settings | None = None) -> Path:
    """The source checkout's notebooks/, or for an installed wheel a user copy in the data folder.

    The bundled copy is never opened in place: JupyterLab saves into the folder it serves,
    and site-packages is no place for a user's edits. Existing user copies are kept.
    """
    if _REPO_NOTEBOOKS.is_dir():
        return _REPO_NOTEBOOKS
    bundled = Path(str(resources.files("litmash") / "_notebooks"))
    if not bundled.is_dir():
        raise typer.BadParameter("this litmash installation has no notebooks; use a source checkout")
    target = (settings or Settings()).data_dir / "notebooks"
    target.mkdir(parents=True, exist_ok=True)
    for nb in bundled.glob("*.ipynb"):
        if not (target / nb.name).exists():
            shutil.copyfile(nb, target / nb.name)
    return target


def lab(
    directory: Annotated[Path | None, typer.Option("--dir", help="Folder to open (default: litmash's notebooks).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to serve on (default: JupyterLab's choice).")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open a web browser.")] = False,
) -> None:
    """Open JupyterLab on the generation, history and prompt-lab notebooks."""
    folder = directory or notebooks_dir()
    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} is not a folder", param_hint="--dir")
    # The running interpreter's jupyterlab, so the kernel sees this same litmash installation.
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if port is not None:
        cmd.append(f"--ServerApp.port={port}")
    if no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers and CI run as root; JupyterLab refuses that unless told it is deliberate.
        cmd.append("--ServerApp.allow_root=True")
    typer.echo(f"JupyterLab on {folder} (Ctrl+C to stop)")
    try:
        code = subprocess.call(cmd)
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code)

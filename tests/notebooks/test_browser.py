"""A real browser: JupyterLab on loopback, headless Chromium clicks through 01_generate.

JupyterLab is started by the ``litmash lab`` command function on a copy of notebooks/ (the
browser autosaves outputs, which must not land in the committed notebooks). Chromium is
Debian's package (scripts/install-browser.sh); Playwright drives it by path because its own
browser downloads cannot be fetched here.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from litmash import Settings
from litmash.store import Store

from .conftest import NOTEBOOKS, kernel_env

pytestmark = pytest.mark.integration

CHROMIUM = Path(os.environ.get("LITMASH_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
GENERATION_TIMEOUT_MS = 600_000  # the whole workflow on a 2-core machine, with room to spare


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(data_dir, tmp_path):
    """A JupyterLab server on 127.0.0.1 with a random token, serving a copy of the notebooks."""
    folder = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, folder)
    port, token = free_port(), secrets.token_hex(16)
    env = kernel_env(
        data_dir, JUPYTER_TOKEN=token, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        LITMASH_PROMPTS_DIR=str(NOTEBOOKS.parent / "prompts"),
    )
    log = (tmp_path / "jupyterlab.log").open("w")
    cmd = [sys.executable, "-c", "import typer; from litmash.cli.lab import lab; typer.run(lab)",
           "--dir", str(folder), "--port", str(port), "--no-browser"]
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, (tmp_path / "jupyterlab.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "JupyterLab did not answer within 120 s"
            time.sleep(0.5)
        yield base, token
    finally:
        # SIGTERM lets the server shut its kernels down (and their llama.cpp servers with them).
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_generate_in_jupyterlab_with_headless_chromium(jupyterlab, data_dir, output_dir, tmp_path):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browser.sh (as root)")
    from playwright.sync_api import expect, sync_playwright

    base, token = jupyterlab
    shot = output_dir / "01_generate.png"
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        page = browser.new_page()
        try:
            page.goto(f"{base}/lab/tree/01_generate.ipynb?token={token}")
            # Run All before the kernel is connected is silently dropped: wait for "Idle".
            expect(page.locator("#jp-main-statusbar")).to_contain_text("| Idle", timeout=120_000)
            news = page.get_by_role("button", name="No", exact=True)
            if news.count():
                news.first.click()  # JupyterLab's "get Jupyter news?" toast would cover the page
            page.locator(".jp-Cell").first.click()
            page.locator(".lm-MenuBar-item", has_text="Run").first.click()
            page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()

            # exactly "Generate": "Regenerate this section" contains the word too
            generate = page.locator("button.jupyter-widgets", has_text=re.compile(r"^\s*Generate\s*$"))
            expect(generate).to_be_enabled(timeout=120_000)
            generate.click()
            expect(generate).to_be_disabled(timeout=10_000)  # disabled while the workflow runs
            # the agents' bar, not the hidden model-pull bar above it
            expect(page.locator(".litmash-agent-progress .widget-hprogress").first).to_be_visible()
            title, error = page.locator(".litmash-title"), page.locator(".litmash-error")
            expect(title.or_(error).first).to_be_visible(timeout=GENERATION_TIMEOUT_MS)
            assert not error.count(), f"the screen shows an error: {error.first.inner_text()}"
            expect(generate).to_be_enabled()
            title.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(shot))
            shown = title.inner_text().strip()
            # the music: the engraved lead sheet with the hook's words, and a player that has audio
            sheet = page.locator(".litmash-leadsheet svg").first
            sheet.scroll_into_view_if_needed()
            expect(sheet).to_be_visible()
            sheet_box = sheet.bounding_box()
            sheet_text = sheet.text_content()
            audio = page.locator("audio.litmash-audio").first
            duration = audio.evaluate(
                "a => new Promise(r => { if (a.readyState >= 1) r(a.duration); else {"
                " a.preload = 'metadata'; a.onloadedmetadata = () => r(a.duration); a.onerror = () => r(-1); a.load(); } })")
            page.screenshot(path=str(output_dir / "01_generate-lead-sheet.png"))
        except Exception:
            page.screenshot(path=str(output_dir / "01_generate-failure.png"))
            raise
        finally:
            browser.close()

    newest = Store(Settings(data_dir=data_dir)).list_sessions(limit=1)[0]
    assert newest.status == "completed" and newest.backend == "embedded"
    assert shown == newest.title.strip()
    assert shot.stat().st_size > 10_000
    stored = Store(Settings(data_dir=data_dir)).get_mashup(newest.id)
    assert sheet_box["width"] > 300 and sheet_box["height"] > 100
    assert stored.music.hook_melody.notes[0].syllable in sheet_text
    song = sum(s.bars for s in stored.music.form) * stored.music.bar_length() * 60 / stored.music.tempo_bpm
    assert song - 1 <= duration <= song + 20  # the whole song, plus the reverb's fade

"""Schemathesis runs the OpenAPI schema against a live server: no 500s, every response as documented."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from litmash.config import Settings
from litmash.service import auth
from litmash.service.db import get_engine
from litmash.store import create_database, drop_database

from .harness import service_env, start_stack

pytestmark = pytest.mark.slow
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


@pytest.fixture
def fuzz_stack(pg_server, model, tmp_path):
    """The API and a worker on a database of their own, with a short ?wait ceiling."""
    url = create_database(pg_server, f"litmash_fuzz_{uuid.uuid4().hex[:10]}")
    tmp_path.chmod(0o755)
    stack = start_stack(service_env(url, model.url, tmp_path, LITMASH_SERVICE_MAX_WAIT="1"), tmp_path, workers=1)
    engine = get_engine(Settings(database_url=url))
    auth.add_user(engine, "fuzzer")
    yield stack, auth.create_key(engine, "fuzzer")
    stack.stop()
    drop_database(url)


def test_schemathesis_finds_no_server_errors_and_no_undocumented_responses(fuzz_stack, tmp_path: Path):
    stack, key = fuzz_stack
    report = tmp_path / "schemathesis.txt"
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("schemathesis")), "run", f"{stack.url}/openapi.json",
         "--checks", CHECKS, "--max-examples", "30", "--phases", "examples,coverage,fuzzing",
         "-H", f"Authorization: Bearer {key}", "--seed", "1", "--no-color"],
        # Schemathesis keeps its example database in ./.schemathesis: in the test's folder, not the checkout.
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    report.write_text(proc.stdout + proc.stderr)
    assert proc.returncode == 0, proc.stdout[-6000:]

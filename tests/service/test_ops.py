"""Operations: Prometheus metrics, the users/keys commands, auth off on loopback, readiness failing."""

from __future__ import annotations

import subprocess
import sys

import httpx

from .harness import EXAMPLE, ROOT, service_env, start_stack
from .test_api import _problem


def test_metrics_count_requests_errors_jobs_and_durations(client, stack):
    client.post("/api/v1/mashup/generate", params={"wait": 60}, json=EXAMPLE)
    client.get("/api/v1/mashup/not-an-id")
    text = httpx.get(stack.url + "/metrics").text
    assert 'litmash_http_requests_total{method="POST",route="/api/v1/mashup/generate",status="200"}' in text
    assert 'litmash_http_errors_total{type="Not Found"}' in text
    assert 'litmash_jobs{status="completed"}' in text and "litmash_queue_depth{state=" in text
    assert "litmash_generation_seconds_count" in text
    assert 'litmash_agent_seconds_bucket{agent="lyrics_composer",le="+Inf"}' in text
    assert 'litmash_tokens_total{kind="completion"}' in text


def _cli(env, *args):
    return subprocess.run([sys.executable, "-m", "litmash.cli.main", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_users_and_keys_commands(stack):
    add = _cli(stack.env, "users", "add", "teacher-cli")
    assert add.returncode == 0, add.stderr
    again = _cli(stack.env, "users", "add", "teacher-cli")
    assert again.returncode == 1 and "already exists" in again.stderr
    key = _cli(stack.env, "keys", "create", "teacher-cli").stdout.strip()
    assert key.startswith("lmk_")
    headers = {"Authorization": f"Bearer {key}"}
    assert httpx.get(stack.url + "/api/v1/mashups", headers=headers).status_code == 200
    missing = _cli(stack.env, "keys", "create", "nobody-here")
    assert missing.returncode == 1 and "no user called 'nobody-here'" in missing.stderr
    assert "teacher-cli" in _cli(stack.env, "users", "list").stdout
    assert _cli(stack.env, "keys", "revoke", key[:12]).returncode == 0
    _problem(httpx.get(stack.url + "/api/v1/mashups", headers=headers), 401, "Authorization")


def test_auth_off_on_loopback_and_readiness_503_when_the_model_is_down(db_url, tmp_path):
    tmp_path.chmod(0o755)
    env = service_env(db_url, "http://127.0.0.1:9/v1", tmp_path)  # nothing listens on port 9
    other = start_stack(env, tmp_path, workers=0, auth="auto")
    try:
        assert httpx.get(other.url + "/api/v1/mashups").status_code == 200  # no key needed on loopback
        ready = httpx.get(other.url + "/health/ready")
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
        assert not ready.json()["checks"]["llm"]["ok"] and ready.json()["checks"]["database"]["ok"]
    finally:
        other.stop()


def test_compose_runs_the_api_and_a_worker_on_the_shared_database():
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in ("api", "worker"):
        assert "@postgres:5432/" in services[name]["environment"]["LITMASH_DATABASE_URL"]
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "litmash serve" in services["api"]["command"][-1] and "litmash worker" in services["worker"]["command"][-1]
    assert services["api"]["environment"]["LITMASH_SERVICE_HOST"] == "0.0.0.0"  # so keys are required

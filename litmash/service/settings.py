"""ServiceSettings: the HTTP service's knobs, overridable by ``LITMASH_SERVICE_*`` variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

LOOPBACK = ("127.0.0.1", "::1", "localhost")


class ServiceSettings(BaseSettings):
    """Server, auth, quota and job settings (the model and database come from ``Settings``)."""

    model_config = SettingsConfigDict(
        env_prefix="LITMASH_SERVICE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    host: str = Field("127.0.0.1", description="Address `litmash serve` binds to.")
    # Not 8000: that is where litmash looks for an OpenAI-compatible model server by default.
    port: int = Field(8765, ge=1, le=65535, description="Port `litmash serve` listens on.")
    auth: Literal["auto", "on", "off"] = Field(
        "auto", description="API keys: on, off, or auto (off only when bound to a loopback address)."
    )
    quota: int = Field(4, ge=1, description="Queued plus running jobs one user may have at once.")
    job_timeout: float = Field(900.0, gt=0, description="Seconds a generation may run before it is failed.")
    max_attempts: int = Field(3, ge=1, le=20, description="Attempts per job when the error is transient.")
    retry_wait: float = Field(2.0, ge=0, description="Seconds before a transient failure is retried.")
    max_wait: float = Field(300.0, gt=0, description="Longest ?wait= a client may ask for, in seconds.")
    max_body_bytes: int = Field(1_000_000, ge=1024, description="Largest request body accepted.")
    page_limit: int = Field(100, ge=1, description="Largest page `GET /api/v1/mashups` returns.")
    worker_concurrency: int = Field(1, ge=1, le=64, description="Jobs one worker process runs at once.")
    heartbeat_interval: float = Field(5.0, gt=0, description="Seconds between worker heartbeats.")
    stalled_after: float = Field(
        20.0, gt=0, description="Seconds without a heartbeat before a worker's jobs are resumed elsewhere."
    )
    queue: str = Field("litmash", min_length=1, description="The procrastinate queue generation jobs go to.")

    def auth_enabled(self) -> bool:
        """Whether /api/v1 needs a key: ``auto`` means on unless the server binds to loopback."""
        if self.auth == "auto":
            return self.host not in LOOPBACK
        return self.auth == "on"

"""Run the API under uvicorn (what `litmash serve` does)."""

from __future__ import annotations

import uvicorn

from litmash.config import Settings
from litmash.service.app import create_app
from litmash.service.settings import ServiceSettings


def serve(settings: Settings | None = None, service: ServiceSettings | None = None) -> None:
    """Serve the API on ``service.host:service.port`` until interrupted."""
    service = service or ServiceSettings()
    app = create_app(settings, service)
    uvicorn.run(app, host=service.host, port=service.port, log_level="info", proxy_headers=False)

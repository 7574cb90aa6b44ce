"""The API key scheme, as the OpenAPI document shows it (``X-API-Key``); keys are checked by the middleware.

The middleware (:mod:`~.guards`) checks keys on every route but the open ones,
before the body is read; this dependency only makes each protected operation
show its lock in ``/docs``.
"""

from __future__ import annotations

from fastapi import Security
from fastapi.security import APIKeyHeader

API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="Required when the service sets API keys")


def documented_key(key: str | None = Security(API_KEY)) -> None:
    """Declares the ``X-API-Key`` header in the OpenAPI document; the check itself is the middleware's."""

"""Optional API keys for the eligibility endpoints (``X-API-Key``)."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from fastapi import HTTPException, Security
from fastapi.security import APIKeyHeader

API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="Required when the service sets API keys")


def api_key_guard(keys: frozenset[str]) -> Callable[..., None]:
    """A dependency that lets through any request when ``keys`` is empty, else only a known key."""

    def guard(key: str | None = Security(API_KEY)) -> None:
        if not keys:
            return
        if not key:
            raise HTTPException(
                401,
                {"error": "API key required", "field": "header X-API-Key", "expected": "a valid API key"},
                headers={"WWW-Authenticate": "APIKey"},
            )
        if not any(hmac.compare_digest(key.encode(), known.encode()) for known in keys):
            raise HTTPException(403, {"error": "API key not accepted", "field": "header X-API-Key"})

    return guard

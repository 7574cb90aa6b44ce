"""The API key scheme, as the OpenAPI document shows it (``X-API-Key``); keys are checked by the middleware.

The middleware (:mod:`~.guards`) checks keys on every route but the open ones,
before the body is read; this dependency only makes each protected operation
show its lock in ``/docs``, and the open ones are shown open (:func:`document_open_routes`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Security
from fastapi.security import APIKeyHeader

from openfisca_sp.api.settings import Settings

KEY_ANSWERS = ("401", "403", "429")  # a key missing, not accepted, or over its rate: never an open route's answer
API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="Required when the service sets API keys")


def documented_key(key: str | None = Security(API_KEY)) -> None:
    """Declares the ``X-API-Key`` header in the OpenAPI document; the check itself is the middleware's."""


def document_open_routes(app: FastAPI, settings: Settings) -> None:
    """Show the operations the middleware lets through without a key (``/health``, ``/ready``, our public keys:
    :meth:`Settings.is_open`) with no security requirement and none of the key's refusals in the OpenAPI
    document: the key's dependency is the whole app's, so FastAPI would show every operation locked, and a
    client generated from the document would send a key to a probe that needs none."""
    if not settings.api_keys:  # no key is asked anywhere: no operation shows the lock
        return
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()
        for path, item in document.get("paths", {}).items():
            if settings.is_open(path):
                for operation in item.values():
                    if isinstance(operation, dict):
                        operation.pop("security", None)
                        _drop_key_refusals(operation.get("responses", {}))
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _drop_key_refusals(responses: dict[str, Any]) -> None:
    """The answers an API key's check gives (a DCI route's own 401 and 403, its token's and signature's, stay)."""
    for status in KEY_ANSWERS:
        if "API key" in responses.get(status, {}).get("description", ""):
            del responses[status]

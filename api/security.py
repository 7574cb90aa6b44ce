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

# What the key's check answers (a key missing, not accepted, or over its rate), in every operation's document but the
# open ones' (:func:`document_open_routes`)
KEY_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"description": "API key required (when the service sets keys)"},
    403: {"description": "API key not accepted"},
    429: {"description": "Too many requests for this API key (Retry-After)"},
}
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
    """The answers the key's check gives (:data:`KEY_REFUSALS`; a DCI route's own 401 and 403, its token's and
    signature's, stay)."""
    for status, refusal in KEY_REFUSALS.items():
        if responses.get(str(status), {}).get("description") == refusal["description"]:
            del responses[str(status)]

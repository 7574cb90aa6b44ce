"""Request examples in the OpenAPI document exactly as written: FastAPI drops every ``null`` from the document,
and an OpenFisca situation asks for a result with ``null`` (``"old_age_pension": {"2024-06": null}``), so the
published example asked for nothing and computed nothing. An example's nulls are marked when the route is
declared (:func:`marked_nulls`) and put back once FastAPI has built the document (:func:`keep_example_nulls`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

NULL = "openfisca-sp:null"  # stands for null in an example while FastAPI builds the document


def _leaves_mapped(value: Any, leaf: Callable[[Any], Any]) -> Any:
    """``value`` (JSON) with each value that is not an object or a list replaced by ``leaf(value)``."""
    if isinstance(value, dict):
        return {key: _leaves_mapped(item, leaf) for key, item in value.items()}
    if isinstance(value, list):
        return [_leaves_mapped(item, leaf) for item in value]
    return leaf(value)


def marked_nulls(value: Any) -> Any:
    """``value`` with every null replaced by :data:`NULL`."""
    return _leaves_mapped(value, lambda leaf: NULL if leaf is None else leaf)


def _unmarked(value: Any) -> Any:
    return _leaves_mapped(value, lambda leaf: None if leaf == NULL else leaf)


def keep_example_nulls(app: FastAPI) -> None:
    """Put the marked nulls of every request body example back once FastAPI has built the app's document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                content = operation.get("requestBody", {}).get("content", {}) if isinstance(operation, dict) else {}
                for media in content.values():
                    if "example" in media:
                        media["example"] = _unmarked(media["example"])
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

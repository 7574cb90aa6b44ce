"""Fast JSON responses (orjson) that carry the rules version."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse


class JSONBody(JSONResponse):
    """A JSON response serialised with orjson (numpy-aware, non-ASCII kept as UTF-8)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


class EncodedJSON(JSONBody):
    """A JSON response whose content is already encoded (bytes)."""

    def render(self, content: Any) -> bytes:
        return content


def version_headers(version: dict[str, Any]) -> dict[str, str]:
    """The headers that name the rules version of an answer."""
    headers = {"OpenFisca-SP-Jurisdiction": version["jurisdiction"] or ""}
    if version.get("legislation_date"):
        headers["OpenFisca-SP-Legislation-Date"] = version["legislation_date"]
    if version.get("reforms"):  # the law served is reformed (serve --reform): which reforms, first applied first
        headers["OpenFisca-SP-Reforms"] = ",".join(version["reforms"])
    return headers


def decide_timing(seconds: float) -> dict[str, str]:
    """The ``Server-Timing`` header (W3C) of a decision: ``decide``, in milliseconds."""
    return {"Server-Timing": f"decide;dur={seconds * 1e3:.3f}"}


def versioned(content: Any, version: dict[str, Any], status_code: int = 200) -> JSONBody:
    """A JSON response with the rules version in its headers."""
    return JSONBody(content, status_code=status_code, headers=version_headers(version))

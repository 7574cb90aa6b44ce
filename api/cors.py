"""CORS for browsers, its refusals in the service's JSON: which header of the preflight is not allowed and what
is (Starlette answers them in plain text: ``Disallowed CORS origin``)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from openfisca_sp.api.responses import JSONBody

# the failures Starlette names, and the preflight header each is about
_FIELDS = {
    "origin": "header Origin",
    "method": "header Access-Control-Request-Method",
    "headers": "header Access-Control-Request-Headers",
    "private-network": "header Access-Control-Request-Private-Network",
}
# the headers of our answers a page may read
EXPOSED_HEADERS = [
    "OpenFisca-SP-Rules-Version",
    "OpenFisca-SP-Jurisdiction",
    "OpenFisca-SP-Reforms",
    "OpenFisca-SP-Legislation-Date",
    "Country-Package",
    "Country-Package-Version",
    "Server-Timing",
    "Retry-After",
    "X-Request-ID",
    "X-Correlation-ID",
    "WWW-Authenticate",
]


class JSONCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, a refused preflight answered as every other refusal of the service."""

    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code != 400:
            return answer
        failures = answer.body.decode().removeprefix("Disallowed CORS ").split(", ")
        first = failures[0]
        allowed: dict[str, Any] = {
            "origin": self.allow_origins,
            "method": sorted(self.allow_methods),
            "headers": sorted(self.allow_headers),
            "private-network": "no private network request",
        }
        body = {
            "error": "CORS preflight refused: " + ", ".join(failures) + " not allowed",
            "field": _FIELDS.get(first, "header Origin"),
            "expected": allowed.get(first),
        }
        headers = {key: value for key, value in answer.headers.items() if key.lower() != "content-length"}
        headers.pop("content-type", None)
        return JSONBody(body, status_code=400, headers=headers)

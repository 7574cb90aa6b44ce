"""CORS for browsers, its refusals in the service's JSON: which header of the preflight is not allowed and what
is (Starlette answers them in plain text: ``Disallowed CORS origin``). Preflights are answered in front of the
service's middleware (they carry no key); each is logged and counted as every other request, with its
``X-Request-ID``."""

from __future__ import annotations

import time
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from openfisca_sp.api.middleware import Scope, ServiceMiddleware, request_id_of
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
    """Starlette's CORS, a refused preflight answered as every other refusal of the service; ``observer`` logs
    and counts the preflights."""

    def __init__(self, app: Any, *, observer: ServiceMiddleware | None = None, **options: Any) -> None:
        super().__init__(app, **options)
        self.observer = observer

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if self.observer is None or scope["type"] != "http" or scope["method"] != "OPTIONS":
            await super().__call__(scope, receive, send)
            return
        asked = Headers(scope=scope)
        if "origin" not in asked or "access-control-request-method" not in asked:
            await super().__call__(scope, receive, send)  # not a preflight: the service answers it
            return
        started, request_id = time.perf_counter(), request_id_of(scope)
        answered = {"status": 500, "sent": 0}

        async def observed(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answered["status"] = message["status"]
                message = dict(message, headers=[*message.get("headers", []), (b"x-request-id", request_id.encode())])
            elif message["type"] == "http.response.body":
                answered["sent"] += len(message.get("body", b""))
            await send(message)

        try:
            await super().__call__(scope, receive, observed)
        finally:
            self.observer.observe(scope, answered["status"], answered["sent"], started, request_id)

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

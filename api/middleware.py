"""ASGI middleware: request size limit, rules-version headers, access log without personal data."""

from __future__ import annotations

import logging
import time
from typing import Any

import orjson

from openfisca_sp.rules.version import rules_version

access_log = logging.getLogger("openfisca_sp.access")

Scope = dict[str, Any]


class _BodyTooLargeError(Exception):
    pass


def _json_response(status: int, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    content = orjson.dumps(body)
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())],
    }
    return start, {"type": "http.response.body", "body": content}


class ServiceMiddleware:
    """Refuses bodies over ``max_body_bytes`` (413), stamps the rules version, logs each request.

    The access log records method, route path, status, sizes and duration: never
    bodies, query strings or client addresses, which may identify a person.
    """

    def __init__(self, app: Any, *, max_body_bytes: int, tax_benefit_system: Any, log: bool = True) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.log = log
        version = rules_version(tax_benefit_system)
        self.headers = [
            (b"country-package", version["package"].encode()),
            (b"country-package-version", version["version"].encode()),
            (b"openfisca-sp-rules-version", f"{version['package']} {version['version']}".encode()),
        ]

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = {"status": 500, "sent": 0, "received": 0, "started": False}
        declared = _content_length(scope)
        limit = self.max_body_bytes
        if declared is not None and declared > limit:
            await self._refuse(send, state, declared)
            self._log(scope, state, started)
            return

        async def limited_receive() -> dict[str, Any]:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    raise _BodyTooLargeError
            return message

        async def stamped_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["started"] = True
                message["headers"] = list(message.get("headers", [])) + self.headers
            elif message["type"] == "http.response.body":
                state["sent"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, limited_receive, stamped_send)
        except _BodyTooLargeError:
            if not state["started"]:
                await self._refuse(send, state, None)
        finally:
            self._log(scope, state, started)

    async def _refuse(self, send: Any, state: dict[str, Any], declared: int | None) -> None:
        body = {
            "error": "Request body too large",
            "field": "body",
            "expected": f"at most {self.max_body_bytes} bytes",
            **({"received": f"{declared} bytes"} if declared is not None else {}),
        }
        start, content = _json_response(413, body)
        # the rest of the body is never read: close the connection, or its bytes would be taken for the next request
        start["headers"] += [*self.headers, (b"connection", b"close")]
        state["status"], state["started"] = 413, True
        await send(start)
        await send(content)

    def _log(self, scope: Scope, state: dict[str, Any], started: float) -> None:
        if not self.log or not access_log.isEnabledFor(logging.INFO):
            return
        route = scope.get("route")
        access_log.info(
            orjson.dumps(
                {
                    "method": scope.get("method"),
                    "path": getattr(route, "path", None) or "<unmatched>",
                    "status": state["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                    "request_bytes": state["received"],
                    "response_bytes": state["sent"],
                }
            ).decode()
        )


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None

"""The ASGI middleware around every route: guards, bounded bodies, links, headers, and a log without personal data.

In order, before any application code: a request id; ``HEAD`` answered as
``GET`` without its body; the configured public URL in place of the ``Host``
header (links, ``/spec`` and redirects never echo what a client sent); the key
and its rate (:mod:`~.guards`), checked before a byte of the body is read; no
query string where a body is sent; the body read within its bounds
(:mod:`~.bodies`), a request refused there that no route takes answered by the
app's 404 or 405 instead, its body unread. After: the rules-version and
request-id headers on every answer, and one access-log line (method, route,
status, sizes, duration, request id: never bodies, query strings or client
addresses). An error that escapes the application is logged by its type and
request id only, and answered as a JSON 500: never a traceback with request
data in it.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import urlsplit

import orjson
from starlette.routing import compile_path

from openfisca_sp.api import metrics
from openfisca_sp.api.bodies import (
    BODY_METHODS,
    DCI_HTTP_ERRORS,
    ClientGone,
    InFlight,
    content_type_refusal,
    dci_http_error,
    declared_length,
    encoding_refusal,
    json_values,
    query_refusal,
    read_body,
    replay,
    too_large,
)
from openfisca_sp.api.guards import AccessGuard, Refusal, header
from openfisca_sp.api.settings import Settings
from openfisca_sp.rules.version import rules_version

access_log = logging.getLogger("openfisca_sp.access")
error_log = logging.getLogger("openfisca_sp.api")

Scope = dict[str, Any]
REQUEST_ID = re.compile(rb"^[A-Za-z0-9._-]{1,64}$")


NO_BODY = Refusal(
    405,
    {"error": "Method Not Allowed", "field": "method", "expected": "one of GET, HEAD"},
    ((b"allow", b"GET, HEAD"),),
)


def _json_response(status: int, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    content = orjson.dumps(body)
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())],
    }
    return start, {"type": "http.response.body", "body": content}


def request_id_of(scope: Scope) -> str:
    """The client's ``X-Request-ID`` if it is a plain token, else 128 random bits in hex."""
    given = header(scope["headers"], b"x-request-id")
    return given.decode() if given and REQUEST_ID.match(given) else os.urandom(16).hex()


class ServiceMiddleware:
    """Guards, bounded bodies, public links, stamped headers and the access log (see the module)."""

    def __init__(
        self,
        app: Any,
        *,
        settings: Settings,
        tax_benefit_system: Any,
        guard: AccessGuard | None = None,
        in_flight: InFlight | None = None,
        route_templates: Callable[[], list[str]] | None = None,
        routed: Callable[[Scope], bool] | None = None,
        prefixes: Collection[str] = (),
    ) -> None:
        """``guard`` and ``in_flight``: the rate counts and the bytes held, when shared with another instance
        (the hot lane's, :mod:`~.hot_lane`); ``route_templates``: the app's routes, asked once the app is built,
        to name in the log and the metrics the route of a request refused before routing, or served by a route
        that does not say its name (``/openapi.json``); ``routed``: whether a route takes a request (its method at
        its path), so that a request refused for its query or body where no route takes it is answered by the route's
        absence instead (404, 405); ``prefixes``: the jurisdictions served under ``/<code>``, whose answers each say
        their jurisdiction (:meth:`_jurisdiction`)."""
        self.app = app
        self.prefixes = frozenset(prefixes)
        self.default = getattr(getattr(tax_benefit_system, "jurisdiction", None), "code", None)
        self._jurisdictions: dict[str, bytes | None] = {}
        self.routed = routed
        self.route_templates = route_templates
        self._templates: list[tuple[re.Pattern, str]] | None = None
        self.settings = settings
        self.guard = guard or AccessGuard(settings)
        self.in_flight = in_flight or InFlight(settings.max_bytes_in_flight)
        self.public = urlsplit(settings.public_url) if settings.public_url else None
        version = rules_version(tax_benefit_system)
        self.headers = [
            (b"country-package", version["package"].encode()),
            (b"country-package-version", version["version"].encode()),
            (b"openfisca-sp-rules-version", f"{version['package']} {version['version']}".encode()),
        ]

    def _public_scope(self, scope: Scope) -> Scope:
        """The scope as if asked at the public URL: its scheme, host and path prefix."""
        public = self.public
        if public is None:
            return scope
        headers = [(name, value) for name, value in scope["headers"] if name not in (b"host", b"forwarded")]
        headers.append((b"host", public.netloc.encode()))
        port = public.port or (443 if public.scheme == "https" else 80)
        prefix = public.path.rstrip("/")  # the reverse proxy's prefix: Starlette expects it in path and root_path
        return dict(
            scope,
            scheme=public.scheme,
            server=(public.hostname, port),
            headers=headers,
            root_path=prefix,
            path=prefix + scope["path"],
            raw_path=prefix.encode() + scope.get("raw_path", scope["path"].encode()),
        )

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = request_id_of(scope)
        state = {"status": 500, "sent": 0, "received": 0, "read": [0], "started": False, "id": request_id}
        state["method"] = scope["method"]
        shared = scope.setdefault("state", {})  # routes write persons_decided here (request.state)
        head = scope["method"] == "HEAD"
        path = scope["path"]  # as routed here, without the public URL's prefix: what OPEN_PATHS name
        scope = self._public_scope(dict(scope, method="GET") if head else scope)
        held = [0]
        try:
            refusal = self.guard.check(path, scope["headers"])
            if refusal is None and scope["method"] in BODY_METHODS and self.settings.reads_no_body(path):
                refusal = NO_BODY  # before a byte is read or counted in flight
            if refusal is None and scope["method"] in BODY_METHODS:
                refusal = query_refusal(scope.get("query_string", b""))  # before a byte is read too
                if refusal is None:
                    refusal, receive = await self._body(scope, receive, state, held)
                if refusal is not None and self.routed is not None and not self.routed(scope):
                    await self._unrouted(scope, send, state, head)  # the path or the method is what is wrong
                    return
            if refusal is not None:
                await self._refuse(scope, send, state, refusal)
                return
            await self.app(scope, receive, self._stamped(scope, send, state, head))
        except ClientGone:
            state["status"] = 499  # nginx's code for a client that went away: nothing to answer
        except Exception as error:  # the last line: log the type, never the data, and answer 500
            error_log.error("unhandled %s on %s (request %s)", type(error).__name__, self._route(scope), request_id)
            if not state["started"]:
                start, content = _json_response(500, {"error": "Internal server error", "request_id": request_id})
                start["headers"] += [*self.headers, (b"x-request-id", request_id.encode())]
                state["status"], state["started"], state["sent"] = 500, True, len(content["body"])
                await send(start)
                await send(content)
        finally:
            receive = None  # free the body it replays before giving its bytes back (and trimming)
            state["received"] = state["received"] or state["read"][0]  # a body refused or cut short: bytes read
            self.in_flight.give_back(held[0], state["sent"])
            self._log(scope, state, started, shared)
            persons = shared.get("persons_decided", 0)
            elapsed = time.perf_counter() - started
            metrics.observe(self._route(scope), state["method"], state["status"], elapsed, persons)

    async def _body(self, scope: Scope, receive: Any, state: dict[str, Any], held: list[int]) -> tuple:
        """Read the body within bounds: (refusal or None, the receive that replays it)."""
        refusal = content_type_refusal(scope["headers"]) or encoding_refusal(scope["headers"])
        if refusal is not None:
            return refusal, receive
        limit = self.settings.max_body_bytes
        declared = declared_length(scope["headers"])
        if declared is not None and declared > limit:
            return too_large(limit, declared), receive
        body = await read_body(receive, limit, self.in_flight, held, state["read"])
        if isinstance(body, Refusal):
            return body, receive
        state["received"] = len(body)
        if json_values(body) > self.settings.max_json_values:
            return (
                Refusal(
                    413,
                    {
                        "error": "Too many values in the request body",
                        "field": "body",
                        "expected": f"at most {self.settings.max_json_values} JSON values",
                    },
                ),
                receive,
            )
        return None, replay(body, receive)

    async def _unrouted(self, scope: Scope, send: Any, state: dict[str, Any], head: bool) -> None:
        """The app's own answer (404, with the jurisdictions served; 405, with the methods allowed) to a request
        whose body no route takes, the body unread: the connection closed, so its bytes are not read as the next
        request."""
        stamped = self._stamped(scope, send, state, head)

        async def unread() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def closing(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = dict(message, headers=[*message.get("headers", []), (b"connection", b"close")])
            await stamped(message)

        await self.app(scope, unread, closing)

    def _stamped(self, scope: Scope, send: Any, state: dict[str, Any], head: bool) -> Any:
        async def stamped(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["started"] = message["status"], True
                extra = [*self.headers, (b"x-request-id", state["id"].encode())]
                headers = list(message.get("headers", []))
                message = dict(message, headers=headers + extra + self._jurisdiction_header(scope, headers))
            elif message["type"] == "http.response.body":
                state["sent"] += len(message.get("body", b""))
                if head:
                    message = dict(message, body=b"")
            await send(message)

        return stamped

    async def _refuse(self, scope: Scope, send: Any, state: dict[str, Any], refusal: Refusal) -> None:
        body = refusal.body
        code = DCI_HTTP_ERRORS.get(refusal.status)
        if code is not None and "/dci/" in scope["path"]:  # a DCI message too large, or too many bytes in flight
            body = dci_http_error(body, code)  # DCI's HttpErrorResponse
        start, content = _json_response(refusal.status, body)
        # an unread body would be taken for the next request on this connection: close it
        start["headers"] += [*refusal.headers, *self.headers, (b"x-request-id", state["id"].encode())]
        start["headers"] += self._jurisdiction_header(scope, start["headers"])
        start["headers"].append((b"connection", b"close"))
        state["status"], state["started"], state["sent"] = refusal.status, True, len(content["body"])
        await send(start)
        await send(content)

    def _jurisdiction_header(self, scope: Scope, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """``OpenFisca-SP-Jurisdiction`` for an answer of a jurisdiction's route that does not say it (its errors,
        as its 200 does): none if the answer says it, or the route is no jurisdiction's (:meth:`_jurisdiction`)."""
        if any(name.lower() == b"openfisca-sp-jurisdiction" for name, _ in headers):
            return []
        code = self._jurisdiction(self._route(scope))
        return [(b"openfisca-sp-jurisdiction", code)] if code else []

    def _jurisdiction(self, template: str) -> bytes | None:
        """The jurisdiction of a route: ``/<code>/…``'s code, where ``<code>`` is served; the default jurisdiction's
        for a route it also serves under its prefix (``/eligibility``); none for the others (``/compliance``,
        ``/health``, the docs) and a path no route takes."""
        if template not in self._jurisdictions:
            route = re.sub(r":\w+}", "}", template)  # /parameter/{parameter_id:path}, as the schema names it
            first = route.strip("/").partition("/")[0]
            code = first if first in self.prefixes else None
            if code is None and self.default in self.prefixes and self.route_templates is not None:
                known = {re.sub(r":\w+}", "}", known) for known in self.route_templates()}
                code = self.default if f"/{self.default}{route}" in known else None
            if len(self._jurisdictions) < 4096:  # templates: a few hundred
                self._jurisdictions[template] = code.encode() if code else None
            return code.encode() if code else None
        return self._jurisdictions[template]

    def _route(self, scope: Scope) -> str:
        """The route's template (``/parameter/{parameter_id:path}``), never the path asked, which may hold data."""
        route = scope.get("route")
        if getattr(route, "path", None):
            return route.path  # type: ignore[union-attr]
        if self._templates is None:
            templates = dict.fromkeys(self.route_templates() if self.route_templates else ())
            self._templates = [(compile_path(template)[0], template) for template in templates]
        path = scope.get("path", "").removeprefix(scope.get("root_path", ""))  # without the public URL's prefix
        for pattern, template in self._templates:
            if pattern.match(path):
                return template
        return "<unmatched>"

    def observe(self, scope: Scope, status: int, sent: int, started: float, request_id: str) -> None:
        """Log and count an answer given in front of this middleware (a CORS preflight, :mod:`~.cors`)."""
        state = {"status": status, "sent": sent, "received": 0, "id": request_id, "method": scope["method"]}
        self._log(scope, state, started, {})
        metrics.observe(self._route(scope), scope["method"], status, time.perf_counter() - started, 0)

    def _log(self, scope: Scope, state: dict[str, Any], started: float, shared: dict[str, Any]) -> None:
        if not self.settings.access_log or not access_log.isEnabledFor(logging.INFO):
            return
        # a DCI message's correlation id and status code (generated or chosen here: never the sender's data)
        dci = {name: shared[name] for name in ("correlation_id", "dci_status") if name in shared}
        access_log.info(
            orjson.dumps(
                {
                    "method": state["method"],  # as asked: a HEAD is routed as a GET
                    "path": self._route(scope),
                    "status": state["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                    "request_bytes": state["received"],
                    "response_bytes": state["sent"],
                    "request_id": state["id"],
                    **dci,
                }
            ).decode()
        )

"""The hot lane: the busiest routes answered without the framework's per-request machinery.

A one-person ``POST /calculate`` spent about 45% of a worker's time in FastAPI and
Starlette (middleware layers, routing, dependency solving, the request object),
not in the rules. A POST to a route registered here (:class:`HotRoutes`) from a
client that is not a browser (no ``Origin`` header, so CORS has nothing to add)
goes through the same :class:`~.middleware.ServiceMiddleware` as every request
(request id, key and rate, bounded body, headers, metrics, access log), then
straight to its handler. The handler is the route's own code: the FastAPI route
calls the same function. Its exceptions are answered by the app's own exception
handlers, looked up as Starlette's ``ExceptionMiddleware`` looks them up; any
other request takes the whole stack.

The lane stands in front of the app itself (:class:`LaneFirstApp`), before
FastAPI's and Starlette's outer layers (telemetry, the error and body-limit
middleware): the service middleware already bounds the body and answers 500.
A middleware added to the app after the lane (an embedder's) still sees every
request: the lane then answers from its place in the stack, inside it.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from openfisca_sp.api.bodies import json_problem
from openfisca_sp.api.duplicate_keys import DuplicateKeyError, refuse_duplicate_keys
from openfisca_sp.api.guards import header
from openfisca_sp.api.middleware import Scope, ServiceMiddleware

Handler = Callable[[bytes, Scope], Awaitable[Response]]  # the whole body, the request's scope -> the answer
ROUTE_KEY = "openfisca_sp.hot_route"  # the scope key that carries the route from the lane to its dispatch


@dataclass(frozen=True)
class HotRoute:
    """A route of the lane: its path (the label of its metrics and log lines, as a FastAPI route's) and handler."""

    path: str
    handler: Handler


class HotRoutes(dict[str, HotRoute]):
    """The lane's routes by path (``POST`` only)."""

    def add(self, path: str, handler: Handler) -> None:
        self[path] = HotRoute(path, handler)


class HotLane:
    """A hot route's POST without ``Origin``, through the service middleware, to its handler."""

    def __init__(
        self,
        *,
        routes: HotRoutes,
        exception_handlers: dict[Any, Any],
        service: Callable[[Any], ServiceMiddleware],
    ) -> None:
        self.routes = routes
        # the handlers Starlette's ExceptionMiddleware uses: not the catch-all, which the service's own 500 replaces
        self.exception_handlers = exception_handlers
        self.service = service(self._dispatch)

    def route_for(self, scope: Scope) -> HotRoute | None:
        """The hot route ``scope`` asks for, or None if the request takes the whole stack."""
        if scope["type"] != "http" or scope["method"] != "POST":
            return None
        route = self.routes.get(scope["path"])
        return None if route is None or header(scope["headers"], b"origin") is not None else route

    async def __call__(self, scope: Scope, receive: Any, send: Any, route: HotRoute) -> None:
        await self.service(dict(scope, **{ROUTE_KEY: route}), receive, send)

    async def _dispatch(self, scope: Scope, receive: Any, send: Any) -> None:
        route: HotRoute = scope[ROUTE_KEY]
        scope["route"] = route
        message = await receive()  # the service has read the body within its bounds: it replays it whole
        try:
            response = await route.handler(message.get("body", b""), scope)
        except Exception as error:
            handler = self._handler_for(error)
            if handler is None:
                raise  # the service logs its type and answers 500
            response = handler(Request(scope, receive), error)
            if inspect.isawaitable(response):
                response = await response
        await response(scope, receive, send)

    def _handler_for(self, error: Exception) -> Any:
        for kind in type(error).__mro__:
            if kind is Exception:
                return None
            if kind in self.exception_handlers:
                return self.exception_handlers[kind]
        return None


class HotLaneMiddleware:
    """The lane where the app's middleware stack has it: inside any middleware added to the app after it."""

    def __init__(self, app: Any, lane: HotLane) -> None:
        self.app = app
        self.lane = lane

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        route = self.lane.route_for(scope)
        if route is None:
            await self.app(scope, receive, send)
            return
        await self.lane(scope, receive, send, route)


class LaneFirstApp(FastAPI):
    """A FastAPI app whose hot lane answers its routes before the app's own stack, while no middleware has been
    added after the lane (an embedder's own, which must see every request): then the lane answers from its
    place in the stack, inside that middleware, as any middleware would."""

    hot_lane: HotLane | None = None
    _middleware_with_lane = 0

    def install_hot_lane(self, lane: HotLane) -> None:
        self.add_middleware(HotLaneMiddleware, lane=lane)
        self.hot_lane = lane
        self._middleware_with_lane = len(self.user_middleware)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        lane = self.hot_lane
        if lane is not None and len(self.user_middleware) == self._middleware_with_lane:
            route = lane.route_for(scope)
            if route is not None:
                scope["app"] = self  # as Starlette sets it: a request made for an exception handler finds the app
                await lane(scope, receive, send, route)
                return
        await super().__call__(scope, receive, send)


def validated_body(model: type[BaseModel], raw: bytes) -> BaseModel:
    """The JSON body ``raw`` validated by ``model``, or the :class:`RequestValidationError` FastAPI raises for a
    single body parameter: not JSON (``json_invalid`` at its position), empty (``missing``), or the model's
    errors, each located under ``body``."""
    return validated(model, parsed_body(raw))


def parsed_body(raw: bytes) -> Any:
    """The JSON body ``raw``, or the :class:`RequestValidationError` FastAPI raises when it is empty or not JSON."""
    if not raw:
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}])
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        reason, position = json_problem(raw, error.msg, error.pos)
        problem = {"type": "json_invalid", "loc": ("body", position), "msg": "JSON decode error", "input": {}}
        raise RequestValidationError([problem | {"ctx": {"error": reason}}], body=error.doc) from None
    try:
        refuse_duplicate_keys(raw, parsed)
    except DuplicateKeyError as error:
        raise RequestValidationError([duplicate_key_problem(error)], body=None) from None
    return parsed


def duplicate_key_problem(error: DuplicateKeyError) -> dict[str, Any]:
    """FastAPI's form of an error for a key stated twice in one JSON object, located at the second."""
    problem = {"type": "duplicate_key", "loc": ("body", *error.path, error.key), "msg": str(error), "input": error.key}
    return problem | {"ctx": {"expected": "each key once in an object"}}


def validated(model: type[BaseModel], data: Any) -> BaseModel:
    """A parsed JSON body validated by ``model``, or FastAPI's :class:`RequestValidationError`, each error located
    under ``body``."""
    try:
        return model.model_validate(data, from_attributes=True)
    except ValidationError as error:
        problems = [problem | {"loc": ("body", *problem["loc"])} for problem in error.errors(include_url=False)]
        raise RequestValidationError(problems, body=data) from None

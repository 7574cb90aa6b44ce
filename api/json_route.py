"""Routes whose JSON body is parsed by orjson: faster, and strict where the standard library is not.

orjson refuses what is not valid Unicode (a lone surrogate ``\\ud800``) and
nesting deeper than 1,024 levels as invalid JSON (400), where ``json`` would
let them through to fail later. Once the body is received, parsing, validating
and answering run with the cyclic collector paused (:mod:`~openfisca_sp.api.memory`):
a 10,000-person body is 200,000 objects, which it would otherwise scan as they are made.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from openfisca_sp.api.duplicate_keys import DuplicateKeyError, refuse_duplicate_keys
from openfisca_sp.api.hot_lane import duplicate_key_problem
from openfisca_sp.api.memory import collector_paused


class OrjsonRequest(Request):
    """A request whose ``json()`` is orjson's (its errors are ``json.JSONDecodeError``: FastAPI's 400 path)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            raw = await self.body()
            parsed = orjson.loads(raw)
            try:
                refuse_duplicate_keys(raw, parsed)
            except DuplicateKeyError as error:
                raise RequestValidationError([duplicate_key_problem(error)], body=None) from None
            self._json = parsed
        return self._json


async def _parsed_before_fastapi(request: OrjsonRequest) -> None:
    """The body parsed (and kept) before FastAPI asks for it: FastAPI turns any error of ``json()`` but invalid
    JSON into its own 400 (\"There was an error parsing the body\"), so a key stated twice was a 400 here and the
    hot lane's 422 (:func:`~.hot_lane.parsed_body`) on the same route. Invalid JSON is left to FastAPI's 400."""
    with contextlib.suppress(orjson.JSONDecodeError):
        await request.json()


class OrjsonRoute(APIRoute):
    """An API route reading its JSON body with :class:`OrjsonRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            request = OrjsonRequest(request.scope, request.receive)
            body = await request.body()  # received first: what follows is the request's synchronous work
            with collector_paused():  # parsing and validating a large body makes many objects at once
                try:
                    if self.body_field is not None and body:
                        await _parsed_before_fastapi(request)
                    return await handler(request)
                finally:  # freed before the collector resumes, which would otherwise scan them once more
                    request.__dict__.pop("_json", None)

        return route_handler

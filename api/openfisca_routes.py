"""The OpenFisca Web API routes, answering as ``openfisca serve`` does (see docs/api.md for the differences)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from openfisca_web_api.loader import build_data

from openfisca_sp.api import situations
from openfisca_sp.api.batching import Coalescer
from openfisca_sp.api.bodies import json_problem
from openfisca_sp.api.duplicate_keys import DuplicateKeyError, refuse_duplicate_keys
from openfisca_sp.api.examples import calculate_example
from openfisca_sp.api.hot_lane import HotRoutes
from openfisca_sp.api.memory import collector_paused
from openfisca_sp.api.middleware import Scope
from openfisca_sp.api.openapi_examples import marked_nulls
from openfisca_sp.api.responses import EncodedJSON, JSONBody, version_headers, versioned
from openfisca_sp.api.route_order import decisions_first
from openfisca_sp.api.situations.uniform import MIN_BYTES as UNIFORM_MIN_BYTES
from openfisca_sp.rules.provenance import provenance_of
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.version import rules_version

WELCOME = (
    "This is the root of an OpenFisca Web API.\u00a0To learn how to use it, check the general documentation "
    "(https://openfisca.org/doc/) and the OpenAPI specification of this instance ({}spec)."
)


_ENTITIES = {"type": "object", "additionalProperties": {"type": "object"}}
SITUATION_ERRORS = {
    400: {"description": "The situation is invalid: the body is shaped like the situation and holds the message"},
    404: {"description": "A variable of the situation does not exist"},
    413: {"description": "Body too large"},
}
NOT_FOUND = {404: {"description": "Not found (JSON body)"}}
SLASH_REDIRECT = {302: {"description": "The same path without its final slash (as openfisca serve)"}}


def _situation_body(tax_benefit_system: Any, axes: bool = False) -> dict[str, Any]:
    person = tax_benefit_system.person_entity.plural
    properties: dict[str, Any] = {person: _ENTITIES | {"minProperties": 1}}
    properties |= {entity.plural: _ENTITIES for entity in tax_benefit_system.group_entities}
    if axes:
        properties["axes"] = {"type": "array", "items": {"type": "array", "items": {"type": "object"}}}
    return {
        "requestBody": {
            "required": True,
            "description": "An OpenFisca situation: `{period: value}` inputs, `null` where a result is wanted.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": [person],
                        "properties": properties,
                        "additionalProperties": False,
                    },
                    "example": marked_nulls(_example(tax_benefit_system)),
                }
            },
        }
    }


def _example(tax_benefit_system: Any) -> dict[str, Any]:
    """The country package's own example situation (``open_api_config``), or ours."""
    example = (getattr(tax_benefit_system, "open_api_config", None) or {}).get("simulation_example")
    return example if isinstance(example, dict) else calculate_example(tax_benefit_system)


def _provenance(tax_benefit_system: Any, parameter_id: str) -> dict[str, Any] | None:
    """Each dated value's status and structured references (openfisca-sp's parameter metadata), or None
    when the parameter has none (other country packages: the answer is then the reference's). For a scale,
    ``{"brackets": [{"threshold": …, "amount": …}, …]}``, each part dated as a plain parameter is."""
    history = provenance_of(tax_benefit_system).history
    records = history.get(parameter_id)
    if records:
        return _dated_provenance(records)
    brackets: list[dict[str, Any]] = []
    while parts := [part for part in _BRACKET_PARTS if f"{parameter_id}[{len(brackets)}].{part}" in history]:
        index = len(brackets)
        brackets.append({part: _dated_provenance(history[f"{parameter_id}[{index}].{part}"]) for part in parts})
    return {"brackets": brackets} if any(any(bracket.values()) for bracket in brackets) else None


_BRACKET_PARTS = ("threshold", "amount", "rate", "average_rate", "base")


def _dated_provenance(records: list[Any]) -> dict[str, Any] | None:
    """``{start: {status, reference[, note]}}`` for one value's history, or None when it says nothing."""
    provenance = {
        record.start: {
            "status": record.status,
            "reference": [dict(item) for item in record.reference if isinstance(item, Mapping)],
        }
        | ({"note": record.note} if record.note else {})
        for record in records
    }
    informative = any(entry["status"] or entry["reference"] or "note" in entry for entry in provenance.values())
    return provenance if informative else None


def _parse(raw: bytes) -> Any:
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise InvalidJSONError(json_problem(raw, str(error), error.pos)[0]) from None
    try:
        refuse_duplicate_keys(raw, parsed)
    except DuplicateKeyError as error:
        raise InvalidJSONError(str(error)) from None
    return parsed


def _count_persons(scope: Scope, situation: Any, plural: str) -> None:
    """Tell the metrics how many persons this answer computed (``openfisca_sp_persons_decided``)."""
    persons = len(situation.get(plural) or ()) if isinstance(situation, dict) else 0
    scope.setdefault("state", {})["persons_decided"] = persons


def _without_slash(request: Request) -> Response:
    """The redirect ``openfisca serve`` answers to a GET whose path ends with a slash (the query dropped)."""
    return Response(status_code=302, headers={"location": request.url.path[:-1]})


def _post_without_slash(request: Request) -> Response:
    """A POST to ``/calculate/`` sent on to ``/calculate`` with its body (openfisca serve's 302 turns it into
    a GET, which fails with 405)."""
    return Response(status_code=307, headers={"location": request.url.path[:-1]})


def _not_found(kind: str, name: str, known: Iterable[str] = ()) -> JSONBody:
    """A 404 naming what was not found, what is expected and, for a mistyped name, the closest known one."""
    close = closest_name(name, known) if name else None
    expected = f"a {kind} listed at /{kind}s" + (f"; did you mean '{close}'?" if close else "")
    return JSONBody({"error": f"No {kind} '{name}'", "field": f"{kind}_id", "expected": expected}, status_code=404)


class SituationAnswer(JSONBody):
    """A situation with its results: its keys are the request's JSON keys (texts), so orjson writes it without
    converting keys (a third faster on 10,000 persons)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)


class InvalidJSONError(Exception):
    """The request body is not JSON (400, as the reference answers)."""


def openfisca_router(
    tax_benefit_system: Any,
    prefix: str = "",
    max_persons: int = situations.MAX_PERSONS,
    max_reference_values: int = situations.MAX_REFERENCE_VALUES,
    hot_routes: HotRoutes | None = None,
    max_result_periods: int = situations.MAX_RESULT_PERIODS,
    max_traced_periods: int = situations.MAX_TRACED_PERIODS,
) -> APIRouter:
    """The OpenFisca Web API over ``tax_benefit_system``, mounted at ``prefix``; situations left to
    openfisca-core's builder (and every ``/trace``) are limited to ``max_reference_values`` JSON values, results
    to ``max_result_periods`` distinct periods (``max_traced_periods`` on ``/trace``). ``/calculate`` is also added
    to ``hot_routes`` (:mod:`~openfisca_sp.api.hot_lane`)."""
    data = build_data(tax_benefit_system)
    version = rules_version(tax_benefit_system)
    coalescer = Coalescer(tax_benefit_system, max_persons, max_reference_values, max_result_periods=max_result_periods)
    person_plural = tax_benefit_system.person_entity.plural
    headers = version_headers(version)
    router = APIRouter(prefix=prefix, tags=[f"OpenFisca Web API{' ' + prefix if prefix else ''}"])

    def base(request: Request) -> str:
        return f"{request.base_url}{prefix.lstrip('/') + '/' if prefix else ''}"

    @router.get("/", summary="Welcome message (status 300, as openfisca serve)", status_code=300)
    async def root(request: Request) -> JSONBody:
        return versioned({"welcome": WELCOME.format(base(request))}, version, status_code=300)

    @router.get("/parameters", summary="All parameters (leaves), with links")
    async def parameters(request: Request) -> JSONBody:
        host = base(request)
        return versioned(
            {
                parameter["id"]: {"description": parameter["description"], "href": f"{host}parameter/{name}"}
                for name, parameter in data["parameters"].items()
                if parameter.get("subparams") is None
            },
            version,
        )

    @router.get(
        "/parameter/{parameter_id:path}",
        summary="One parameter: dated values, metadata and provenance",
        responses=NOT_FOUND | SLASH_REDIRECT,
    )
    async def parameter(request: Request, parameter_id: str) -> Response:
        if parameter_id.endswith("/") or not parameter_id:
            return _without_slash(request)
        found = data["parameters"].get(parameter_id) or data["parameters"].get(parameter_id.replace(".", "/"))
        if found is None:
            return _not_found("parameter", parameter_id, data["parameters"])
        provenance = _provenance(tax_benefit_system, found["id"])
        return versioned(found | {"provenance": provenance} if provenance else found, version)

    @router.get("/parameter", include_in_schema=False)
    async def no_parameter() -> JSONBody:
        return _not_found("parameter", "")  # not a redirect to /parameter/, which redirects here

    @router.get("/variable", include_in_schema=False)
    async def no_variable() -> JSONBody:
        return _not_found("variable", "")

    @router.get("/variables", summary="All variables, with links")
    async def variables(request: Request) -> JSONBody:
        host = base(request)
        return versioned(
            {
                name: {"description": variable["description"], "href": f"{host}variable/{name}"}
                for name, variable in data["variables"].items()
            },
            version,
        )

    @router.get(
        "/variable/{variable_id}", summary="One variable: entity, period, formulas, references", responses=NOT_FOUND
    )
    async def variable(variable_id: str) -> JSONBody:
        found = data["variables"].get(variable_id)
        if found is None:
            return _not_found("variable", variable_id, data["variables"])
        return versioned(found, version)

    @router.get("/entities", summary="Entities and their roles")
    async def entities() -> JSONBody:
        return versioned(data["entities"], version)

    @router.get("/spec", summary="The OpenFisca OpenAPI specification of this country package")
    async def spec(request: Request) -> JSONBody:
        server = str(request.base_url).rstrip("/") + prefix
        return versioned({**data["openAPI_spec"], "servers": [{"url": server}]}, version)

    # openfisca serve answers a GET whose path ends with a slash by a 302 to the path without it
    for path in (
        "/parameters/",
        "/variables/",
        "/variable/{variable_id}/",
        "/variable/",
        "/entities/",
        "/spec/",
        "/calculate/",
        "/trace/",
    ):
        router.add_api_route(path, _without_slash, methods=["GET"], include_in_schema=False)
    for path in ("/calculate/", "/trace/"):  # and a POST too, where a 307 keeps the method and the body
        router.add_api_route(path, _post_without_slash, methods=["POST"], include_in_schema=False)

    @router.post(
        "/calculate",
        summary="Compute the variables set to null in a situation",
        openapi_extra=_situation_body(tax_benefit_system),
        responses=SITUATION_ERRORS,
    )
    async def calculate(request: Request) -> JSONBody:
        return await calculated(await request.body(), request.scope)

    async def calculated(raw: bytes, scope: Scope) -> JSONBody:
        """The answer to the situation ``raw``: read from its bytes if it is large and its persons all share one
        shape (:mod:`~.situations.uniform`), else evaluated with concurrent ones (:class:`~.batching.Coalescer`)."""
        if len(raw) >= UNIFORM_MIN_BYTES:
            with collector_paused():
                body = situations.calculate_uniform(
                    tax_benefit_system, raw, max_persons, max_result_periods=max_result_periods
                )
                if body is not None:
                    scope.setdefault("state", {})["persons_decided"] = len(body.ids)
                    return EncodedJSON(body.answer(), headers=headers)
        with collector_paused():
            situation = _parse(raw)
        result = await coalescer.calculate(situation)
        _count_persons(scope, situation, person_plural)
        with collector_paused():
            return SituationAnswer(result, headers=headers)

    if hot_routes is not None:
        hot_routes.add(f"{prefix}/calculate", calculated)

    @router.post(
        "/trace",
        summary="Compute, and explain each computation step",
        openapi_extra=_situation_body(tax_benefit_system, axes=True),
        responses=SITUATION_ERRORS,
    )
    async def trace(request: Request) -> JSONBody:
        raw = await request.body()
        with collector_paused():  # a body of a million small containers would set the collector off many times
            situation = _parse(raw)
            traced = situations.trace(
                tax_benefit_system, situation, max_persons, max_reference_values, max_traced_periods
            )
            answer = versioned(traced, version)
        _count_persons(request.scope, situation, person_plural)
        return answer

    decisions_first(router)
    return router

"""The OpenAPI document's description of what every answer carries besides its success body: the service's error
body (``{error, field, expected, received, errors, errors_total}``, ``docs/api.md``, "Errors") on each refusal it
writes, and the headers that name the rules version. FastAPI documents error statuses without a body, and its own
``{"detail": [...]}`` 422 wherever a route takes a parameter, a body the service never writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

FIELD_ERROR: dict[str, Any] = {
    "title": "FieldError",
    "type": "object",
    "description": "One problem of the request: the field as the caller wrote it, and what was expected there",
    "properties": {
        "field": {"type": "string", "description": "The field, from the body's root: `persons[3].birth_date`"},
        "message": {"type": "string"},
        "type": {"type": "string", "description": "The kind of problem: `missing`, `contradictory_facts` …"},
        "expected": {"type": ["string", "null"], "description": "What the field should hold"},
        "received": {"description": "The value sent (a long one abridged); absent for a missing or unknown field"},
        "position": {"type": ["integer", "null"], "description": "Where in the body JSON's reading failed"},
    },
    "required": ["field", "message", "type"],
}
ERROR: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "description": (
        "A refusal: what was wrong, the field (or header, path, method) that was, and what was expected there; "
        "`errors` lists each problem (the first 100, in the request's order, with `errors_total` when there are more)"
    ),
    "properties": {
        "error": {"type": "string"},
        "field": {"type": "string", "description": "`body`, `header X-API-Key`, `path`, a request field …"},
        "expected": {"type": ["string", "null"]},
        "received": {"description": "What was sent instead (a header's value, a body's size)"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
        "errors_total": {"type": "integer", "minimum": 0},
        "request_id": {"type": "string", "description": "A server error's request id, as in the log"},
    },
    "required": ["error"],
}
REFERENCE = {"$ref": "#/components/schemas/Error"}
FASTAPI_ERROR = "#/components/schemas/HTTPValidationError"

# answers whose body is another's: an OpenFisca situation's errors take the situation's shape (as openfisca serve
# answers them), and a DCI route's refusals are DCI messages (an `rjct` header, or DCI's `HttpErrorResponse`)
SITUATION_ROUTES = ("/calculate", "/trace")
SITUATION_STATUSES = frozenset({"400", "404", "413"})
DCI_STATUSES = frozenset({"400", "401", "403", "404", "409", "413"})
QUERY_REFUSED = {
    "description": "A query string: no route that takes a body reads one (every field of the request in its body)"
}

VERSION_HEADERS: dict[str, Any] = {
    "OpenFisca-SP-Rules-Version": {
        "description": "The rules version (`openfisca-sp 0.28.0`): the package version is the rules version",
        "schema": {"type": "string"},
    },
    "Country-Package": {
        "description": "The OpenFisca country package (as openfisca serve)",
        "schema": {"type": "string"},
    },
    "Country-Package-Version": {"description": "Its version", "schema": {"type": "string"}},
    "X-Request-ID": {
        "description": "The request's id (kept from the client's, else made), in the log",
        "schema": {"type": "string"},
    },
}
DECISION_HEADERS: dict[str, Any] = {
    "OpenFisca-SP-Jurisdiction": {"description": "The jurisdiction whose law decided", "schema": {"type": "string"}},
    "OpenFisca-SP-Legislation-Date": {
        "description": "The date asked (`as_of`); each decision gives its own `rules_date`",
        "schema": {"type": "string", "format": "date"},
    },
}


def _documented_error(path: str, status: str) -> bool:
    """Whether the service's error body is what ``status`` of this operation answers."""
    if path.endswith(SITUATION_ROUTES) and status in SITUATION_STATUSES:
        return False
    return not ("/dci/" in path and status in DCI_STATUSES)


def _takes_query(operation: dict[str, Any]) -> bool:
    return any(parameter.get("in") == "query" for parameter in operation.get("parameters", ()))


def describe_answers(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with the error body on every refusal the service writes, a 422 where a body route refuses a
    query string, no 422 where nothing can be refused, and the version headers on every success."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"], schemas["FieldError"] = ERROR, FIELD_ERROR
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "requestBody" in operation and "422" not in responses:
                responses["422"] = dict(QUERY_REFUSED)
            if "422" in responses and "requestBody" not in operation and not _takes_query(operation):
                del responses["422"]  # FastAPI's, for a path parameter: a text the route reads as it comes
            for status, response in responses.items():
                fastapi_own = FASTAPI_ERROR in str(response.get("content", ""))
                if status.isdigit() and int(status) >= 400 and (fastapi_own or "content" not in response):
                    if _documented_error(path, status):
                        response["content"] = {"application/json": {"schema": dict(REFERENCE)}}
                    elif fastapi_own:
                        del response["content"]
                elif status.startswith("2"):
                    decided = status == "200" and method == "post" and path.endswith("eligibility")
                    response["headers"] = {**VERSION_HEADERS, **(DECISION_HEADERS if decided else {})}
    if FASTAPI_ERROR not in str(document.get("paths")):  # and its item's, which only it names
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    return document


def describe_error_answers(app: FastAPI) -> None:
    """Describe the answers' errors and headers once FastAPI has built the app's document."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        app.openapi_schema = describe_answers(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

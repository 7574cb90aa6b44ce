"""Every client error as JSON that points at the field and says what was expected."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from openfisca_sp.api.openfisca_routes import InvalidJSONError
from openfisca_sp.api.responses import JSONBody
from openfisca_sp.api.situations import SituationError
from openfisca_sp.decisions.consistency import ContradictoryFactsError

log = logging.getLogger("openfisca_sp.api")


def field_path(location: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "persons", 3, "birth_date")`` as ``persons[3].birth_date``."""
    text = ""
    for part in location:
        if part == "body" and not text:
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


def _received(value: Any) -> Any:
    """The value received, short, and always serialisable (a huge integer becomes text)."""
    text = repr(value)
    if isinstance(value, bool | None) or (isinstance(value, int | float) and abs(value) < 2**53):
        return value
    if isinstance(value, str) and len(value) <= 80:
        return value
    return text[:80]


def _validation_body(error: RequestValidationError) -> tuple[int, dict[str, Any]]:
    problems = []
    status = 422
    for item in error.errors():
        location = item.get("loc", ())
        if item.get("type") == "too_long" and tuple(location[-1:]) == ("persons",):
            status = 413  # the batch limit
        problem = {
            "field": field_path(location),
            "message": item.get("msg"),
            "type": item.get("type"),
        }
        context = item.get("ctx") or {}
        if "expected" in context:
            problem["expected"] = context["expected"]
        elif context:
            problem["expected"] = {key: str(value) for key, value in context.items() if key != "error"}
        if "input" in item and item.get("type") not in ("missing",):
            problem["received"] = _received(item["input"])
        problems.append(problem)
    title = "Too many persons in one request" if status == 413 else "Invalid request"
    return status, {"error": title, "errors": problems}


def install_error_handlers(app: FastAPI) -> None:
    """Map validation, situation and HTTP errors to JSON 4xx, and anything else to a JSON 500."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONBody:
        status, body = _validation_body(error)
        return JSONBody(body, status_code=status)

    @app.exception_handler(ContradictoryFactsError)
    async def contradictory_facts(request: Request, error: ContradictoryFactsError) -> JSONBody:
        problems = [
            {
                "field": f"persons[{item.row}].{item.field}",
                "message": item.message,
                "type": "contradictory_facts",
                "expected": item.expected,
            }
            for item in error.contradictions
        ]
        return JSONBody({"error": "Facts contradict each other", "errors": problems}, status_code=422)

    @app.exception_handler(SituationError)
    async def invalid_situation(request: Request, error: SituationError) -> JSONBody:
        return JSONBody(error.error, status_code=error.code)

    @app.exception_handler(InvalidJSONError)
    async def invalid_json(request: Request, error: InvalidJSONError) -> JSONBody:
        return JSONBody({"error": f"Invalid JSON: {error}", "field": "body", "expected": "a JSON document"}, 400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONBody:
        detail = error.detail
        body = dict(detail) if isinstance(detail, dict) else {"error": str(detail)}
        body["status"] = error.status_code
        body.setdefault("field", {400: "body", 404: "path", 405: "method"}.get(error.status_code, "request"))
        if error.status_code == 400:
            body.setdefault("expected", "a JSON document")
        return JSONBody(body, status_code=error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> JSONBody:
        log.error(
            "unhandled %s on %s", type(error).__name__, request.scope.get("route") and request.scope["route"].path
        )
        return JSONBody({"error": "Internal server error"}, status_code=500)

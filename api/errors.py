"""Every client error as JSON that points at the field and says what was expected."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.routing import Match

from openfisca_sp.api.body_fields import documented_body_fields
from openfisca_sp.api.models import REQUEST_FIELDS
from openfisca_sp.api.openfisca_routes import InvalidJSONError
from openfisca_sp.api.responses import JSONBody
from openfisca_sp.api.situations import SituationError
from openfisca_sp.decisions.consistency import ContradictoryFactsError
from openfisca_sp.decisions.facts import MONTH_EXPECTED, MONTH_PATTERN
from openfisca_sp.decisions.rules_day_limit import TooManyRulesDaysError
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.wording import counted, noun_for

log = logging.getLogger("openfisca_sp.api")


def field_path(location: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "persons", 3, "birth_date")`` as ``persons[3].birth_date``."""
    text = ""
    for part in location:
        if (part == "body" and not text) or part == "[key]":  # a mapping's key: named by the key itself
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


PYTHON_DATE = re.compile(r"datetime\.date\((\d+), (\d+), (\d+)\)")


def _plain_dates(text: Any) -> Any:
    """Text with Python's ``datetime.date(2199, 12, 31)`` written as ``2199-12-31``."""
    if not isinstance(text, str) or "datetime" not in text:
        return text
    return PYTHON_DATE.sub(lambda match: "{:04d}-{:02d}-{:02d}".format(*map(int, match.groups())), text)


def _received(value: Any) -> Any:
    """The value received, short, and always serialisable as JSON (a date as text, a huge integer as text)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool | None) or (isinstance(value, int | float) and abs(value) < 2**53):
        return value
    if isinstance(value, str):
        return value if len(value) <= 80 else value[:77] + "..."
    if isinstance(value, dict | list):
        return f"{type(value).__name__} of {counted(len(value), 'item')}"
    return str(value)[:80]


# What each kind of validation error expected, where pydantic gives no context saying so.
EXPECTED = {
    "missing": "a value for this required field",
    "extra_forbidden": "no such field",
    "string_type": "text",
    "int_type": "a whole number, written without a decimal point (180, not 180.0)",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date as text, YYYY-MM-DD",
    "date_parsing": "a date as text, YYYY-MM-DD",
    "date_from_datetime_parsing": "a real date as text, YYYY-MM-DD",
    "date_from_datetime_inexact": "a date as text, YYYY-MM-DD",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "json_invalid": "a JSON document",
    "too_short": "more items",
    "too_long": "fewer items",
    "finite_number": "a finite number",
    "value_error": "a valid value",
    "identifier_type": "text, or a list of {identifier_type, identifier_value}",
}


BEYOND_64_BITS = "a whole number within 64 bits (from -9223372036854775808 to 9223372036854775807)"
# orjson's words for an empty body, which the other routes answer with (FastAPI reads one as a body missing)
EMPTY_DOCUMENT = "Input is a zero-length, empty document"
# What a pattern means, where a pattern would say it less clearly.
PATTERNS = {MONTH_PATTERN: MONTH_EXPECTED}
ELIGIBILITY_PATH = re.compile(r"(/[a-z0-9_]+)?/eligibility")  # the routes whose body is an eligibility request


def _counted(kind: Any, length: Any) -> str:
    """What a length counts, as the error's kind says (``string_too_long``: characters; ``too_short``: items)."""
    return " " + noun_for(length, "character" if str(kind).startswith("string_") else "item")


def _misplaced(name: str, location: list[Any], eligibility: bool) -> str:
    """Where a field the request reads, written at a level that does not read it, belongs (a person's facts
    written at the top of an eligibility request, beside ``as_of``, were told "did you mean" the same name);
    ``eligibility``: the body is an eligibility request's (``as_of``, ``branches``, ``persons``)."""
    if eligibility and name in REQUEST_FIELDS and len(location) > 1:
        return f"no such field here: '{name}' is a field of the request, beside 'persons'"
    if eligibility and name not in REQUEST_FIELDS and len(location) == 1:
        return f"no such field at the top of the request: '{name}' is a field of a person, in 'persons' (a list)"
    return f"no such field here: '{name}' is read at another level of this request (see /openapi.json)"


def _expected(item: dict[str, Any], known_fields: Callable[[], Iterable[str]], eligibility: bool = False) -> Any:
    """What a validation error expected: from its context, else from its kind; a mistyped field's closest name."""
    context = item.get("ctx") or {}
    kind = item.get("type")
    if kind == "extra_forbidden":
        name = str(item.get("loc", ("",))[-1])
        close = closest_name(name, known_fields(), cutoff=0.75)
        if close == name:  # a field of another level (a person's fact at the top, as_of in a person)
            return _misplaced(name, [part for part in item.get("loc", ()) if part != "body"], eligibility)
        return f"no such field; did you mean '{close}'?" if close else "no such field (see /openapi.json)"
    if "expected" in context:
        return context["expected"]
    if kind == "int_type" and isinstance(item.get("input"), float) and abs(item["input"]) >= 2**63:
        return BEYOND_64_BITS  # JSON's 10**29, read as a float: no decimal point to drop
    bounds = {
        "ge": "{} or more",
        "gt": "more than {}",
        "le": "at most {}",
        "lt": "less than {}",
        "min_length": "at least {}",
        "max_length": "at most {}",
        "pattern": "text matching {}",
    }
    if context.get("pattern") in PATTERNS:
        return PATTERNS[context["pattern"]]
    described = [
        text.format(_received(context[key])) + (_counted(kind, context[key]) if key.endswith("_length") else "")
        for key, text in bounds.items()
        if key in context
    ]
    if described:
        return ", ".join(described)
    return EXPECTED.get(kind, item.get("msg"))


def problem_of(
    item: dict[str, Any], known_fields: Callable[[], Iterable[str]] = tuple, eligibility: bool = False
) -> dict[str, Any]:
    """One validation error as a problem of an answer: its field, message, kind, what was expected, and the value
    received (short); ``eligibility``: of an eligibility request's body (:func:`_misplaced`)."""
    problem = {
        "field": field_path(item.get("loc", ())),
        "message": _plain_dates(item.get("msg")),
        "type": item.get("type"),
        "expected": _plain_dates(_expected(item, known_fields, eligibility)),
    }
    if "input" in item and item.get("type") not in ("missing", "extra_forbidden"):
        problem["received"] = _received(item["input"])
    return problem


MAX_ERRORS = 100  # the problems an answer lists (the first, in the request's order); errors_total counts them all


def _validation_body(
    error: RequestValidationError, known_fields: Callable[[], Iterable[str]] = tuple, eligibility: bool = False
) -> tuple[int, dict[str, Any]]:
    """The status and body of a request the models refuse: its first :data:`MAX_ERRORS` problems, each with its
    field and what was expected (a body of a million unknown fields was answered with 144 MB after a minute)."""
    problems = []
    over: tuple[str, Any] | None = None  # the persons over the batch limit, and the limit
    items = error.errors()
    for item in items:
        if len(problems) == MAX_ERRORS:  # the rest only for the batch limit, which changes the status
            if over is None and item.get("type") == "too_long" and tuple(item.get("loc", ())[-1:]) == ("persons",):
                over = field_path(item["loc"]), (item.get("ctx") or {}).get("max_length")
            continue
        location = item.get("loc", ())
        if item.get("type") == "missing" and tuple(location) == ("body",):  # an empty body: not JSON either
            item = {"type": "json_invalid", "loc": ("body", 0), "ctx": {"error": EMPTY_DOCUMENT}}
            location = item["loc"]
        if item.get("type") == "json_invalid":  # not JSON at all: 400, as the OpenFisca Web API answers
            reason = (item.get("ctx") or {}).get("error", "")
            return 400, {
                "error": f"Invalid JSON: {reason}".rstrip(": "),
                "field": "body",
                "expected": "a JSON document",
                "errors": [
                    {
                        "field": "body",
                        "message": f"Invalid JSON: {reason}",
                        "type": "json_invalid",
                        "expected": "a JSON document",
                        "position": location[-1] if location else None,
                    }
                ],
            }
        if item.get("type") == "too_long" and tuple(location[-1:]) == ("persons",) and over is None:
            over = field_path(location), (item.get("ctx") or {}).get("max_length")  # the batch limit: 413
        problems.append(problem_of(item, known_fields, eligibility))
    total = {"errors_total": len(items)} if len(items) > len(problems) else {}
    if over is not None:  # as every 413: what is over the limit, and the limit, at the top
        field, limit = over
        expected = f"at most {counted(limit, 'person')} (split the request)"
        return 413, {
            "error": "Too many persons in one request",
            "field": field,
            "expected": expected,
            "errors": problems,
            **total,
        }
    return 422, {"error": "Invalid request", "errors": problems, **total}


def over_limit(error: Exception) -> dict[str, Any] | None:
    """The body of the 413 ``error`` is answered with (too many persons once Groups are counted, claims on too many
    rules days), else None."""
    if isinstance(error, TooManyRulesDaysError):
        return rules_days_refusal(error)
    if isinstance(error, RequestValidationError) and (found := _validation_body(error))[0] == 413:
        return found[1]
    return None


def rules_days_refusal(error: TooManyRulesDaysError) -> dict[str, Any]:
    """The body of a 413 for claims on too many days whose rules apply: the first person beyond them, and how to
    split the request."""
    field = f"persons[{error.row}].{error.field}"
    message = (
        f"The claims to {error.branch} fall on more than {counted(error.limit, 'day')} whose rules apply (the 1st of "
        f"the event's month, or the day a value changes within it); persons[{error.row}] is the first on another "
        f"({error.day}). Each such day is decided by a simulation of its own."
    )
    expected = (
        f"at most {error.limit} distinct months of events per branch in one request: split the request by month of "
        f"the event (persons[0] to persons[{error.row - 1}] fall on {error.limit})"
    )
    problem = {"field": field, "message": message, "type": "too_many_rules_days", "expected": expected}
    return {
        "error": "Claims on too many rules days in one request",
        "field": field,
        "expected": expected,
        "errors": [problem],
    }


def unknown_jurisdiction(request: Request) -> tuple[str, str] | None:
    """What a 404 says of ``/<code>/<route>`` where ``<code>`` is no jurisdiction served and ``/<route>`` a route
    (``POST /xyz/eligibility``): the code refused, and the jurisdictions served."""
    served = sorted(getattr(request.app.state, "systems", None) or ())
    first, _, rest = request.url.path.strip("/").partition("/")
    if not served or not rest or first in served or not _answered(request, f"/{rest}"):
        return None
    return f"Unknown jurisdiction '{first[:40]}'", f"one of {', '.join(served)} (/{served[0]}/{rest[:60]})"


def _answered(request: Request, path: str) -> bool:
    """Whether the service has a route for ``path`` (any method)."""
    scope = {"type": "http", "path": path, "method": request.method, "root_path": "", "headers": []}
    return any(route.matches(scope)[0] != Match.NONE for route in request.app.router.routes)


def routes_request(app: Any, scope: dict[str, Any]) -> bool:
    """Whether a route of ``app`` takes this request: its method at its path, or at its path with or without a
    final slash (which the app redirects to)."""
    path = scope["path"]
    for candidate in dict.fromkeys((path, path.rstrip("/") or "/", f"{path}/")):
        probe = dict(scope, path=candidate)
        if any(route.matches(probe)[0] == Match.FULL for route in app.router.routes):
            return True
    return False


def correlated(request: Request) -> dict[str, str] | None:
    """The ``X-Correlation-ID`` header of a DCI message's answer, an error too (``docs/dci.md``, "Correlation")."""
    correlation_id = getattr(request.state, "correlation_id", None)
    return {"X-Correlation-ID": correlation_id} if correlation_id else None


def _route_fields(
    request: Request, known_fields: Callable[[], Iterable[str]], eligibility: bool, documented: dict[Any, Any]
) -> Callable[[], Iterable[str]]:
    """The names a mistyped field of this route's body is compared with: those its body documents at
    ``/openapi.json`` (kept in ``documented`` by route), and an eligibility request's facts where the body is one."""

    def names() -> frozenset[str]:
        route = getattr(request.scope.get("route"), "path", None)
        key = (route, request.method)
        if key not in documented:
            documented[key] = documented_body_fields(request.app.openapi(), route, request.method) if route else ()
        return frozenset(documented[key]) | (frozenset(known_fields()) if eligibility else frozenset())

    return names


def install_error_handlers(app: FastAPI, known_fields: Callable[[], Iterable[str]] = tuple) -> None:
    """Map validation, situation and HTTP errors to JSON 4xx, and anything else to a JSON 500.

    ``known_fields`` gives the field names a request may hold, to name the closest one to a mistyped field.
    """

    documented: dict[Any, Any] = {}  # each route's documented body fields, read once

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONBody:
        eligibility = ELIGIBILITY_PATH.fullmatch(request.scope.get("path", "")) is not None
        names = _route_fields(request, known_fields, eligibility, documented)
        status, body = _validation_body(error, names, eligibility)
        return JSONBody(body, status_code=status, headers=correlated(request))

    @app.exception_handler(ContradictoryFactsError)
    async def contradictory_facts(request: Request, error: ContradictoryFactsError) -> JSONBody:
        problems = [
            {
                "field": f"persons[{item.row}].{item.field}",
                "message": item.message,
                "type": "contradictory_facts",
                "expected": item.expected,
            }
            for item in error.contradictions[:MAX_ERRORS]
        ]
        found = len(error.contradictions)
        total = {"errors_total": found} if found > len(problems) else {}
        body = {"error": "Facts contradict each other", "errors": problems, **total}
        return JSONBody(body, status_code=422, headers=correlated(request))

    @app.exception_handler(TooManyRulesDaysError)
    async def too_many_rules_days(request: Request, error: TooManyRulesDaysError) -> JSONBody:
        return JSONBody(rules_days_refusal(error), status_code=413, headers=correlated(request))

    @app.exception_handler(SituationError)
    async def invalid_situation(request: Request, error: SituationError) -> JSONBody:
        return JSONBody(error.error, status_code=error.code, headers=correlated(request))

    @app.exception_handler(InvalidJSONError)
    async def invalid_json(request: Request, error: InvalidJSONError) -> JSONBody:
        body = {"error": f"Invalid JSON: {error}", "field": "body", "expected": "a JSON document"}
        return JSONBody(body, 400, headers=correlated(request))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONBody:
        detail = error.detail
        body = dict(detail) if isinstance(detail, dict) else {"error": str(detail)}
        body.setdefault("field", {400: "body", 404: "path", 405: "method"}.get(error.status_code, "request"))
        headers = dict(getattr(error, "headers", None) or {})
        allowed = headers.get("Allow", "").split(", ")
        if error.status_code == 405 and "GET" in allowed and "HEAD" not in allowed:
            headers["Allow"] += ", HEAD"  # every route that answers GET answers HEAD
        expected = {400: "a JSON document", 404: "a route this service answers (see /spec)"}.get(error.status_code)
        if error.status_code == 404 and (wanted := unknown_jurisdiction(request)) is not None:
            body["error"], expected = wanted
        if error.status_code == 405:
            expected = f"one of {headers.get('Allow', '')}"
        if expected:
            body.setdefault("expected", expected)
        return JSONBody(body, status_code=error.status_code, headers=headers or None)

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> JSONBody:
        # reached only from outside the middleware (which logs and answers the others): the type, never the data
        route = request.scope.get("route")
        log.error("unhandled %s on %s", type(error).__name__, getattr(route, "path", "<unmatched>"))
        return JSONBody({"error": "Internal server error"}, status_code=500)

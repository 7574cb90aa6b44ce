"""Query strings checked: a parameter a route does not read is refused by name, never silently ignored.

``/compliance?jurisdictions=vnm`` (a letter too many) answered every jurisdiction's report without a word; a
route of ours that reads no query refuses any, so that a client's mistake shows. The routes copied from
``openfisca serve`` (``/spec``, ``/parameters``…) accept any query as it does (docs/api.md, "Differences from
``openfisca serve``"), and so do the pages a browser opens (``/docs``, ``/explorer``), whose links may carry
queries of their own.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from fastapi import HTTPException, Request

from openfisca_sp.rules.suggestions import closest_name

NO_QUERY_RESPONSES: dict[int | str, dict[str, Any]] = {422: {"description": "A query parameter: this route reads none"}}


def query_error(field: str, message: str, expected: str, received: Any) -> HTTPException:
    """The 422 of a query parameter: the field, what was wrong, what was expected and what was received."""
    problem = {"field": field, "message": message, "type": "value_error", "expected": expected, "received": received}
    return HTTPException(
        422, detail={"error": "Invalid request", "field": field, "expected": expected, "errors": [problem]}
    )


def check_query(request: Request, known: Collection[str] = ()) -> None:
    """Refuse a query parameter not in ``known`` (named, with the closest known one), one given twice (the last
    one would win without a word) or one given empty (read as not given: its default)."""
    expected = "one of " + ", ".join(known) if known else "no query parameter"
    for name in request.query_params:
        if name not in known:
            close = closest_name(name, list(known)) if known else None
            hint = f"; did you mean {close!r}?" if close else ""
            raise query_error(f"query.{name[:80]}", f"unknown query parameter {name[:80]!r}{hint}", expected, name[:80])
        given = request.query_params.getlist(name)
        if len(given) > 1:
            raise query_error(f"query.{name}", f"given {len(given)} times", f"{name} once", given[:10])
        if not given[0].strip():  # FastAPI reads ``?date=`` as no date: the default answered a question not asked
            expected = f"a value, or no {name} parameter for its default"
            raise query_error(f"query.{name}", f"{name} is given empty", expected, given[0])


def no_query(request: Request) -> None:
    """A dependency of the routes that read no query: any parameter is refused (422), by name."""
    check_query(request)

"""``/compliance``: the ILO compliance report as JSON, or as an HTML page (``/compliance.html``, ``Accept: text/html``).

The report itself is :mod:`openfisca_sp.compliance` (web-free); this module reads and checks the query (a
4xx naming the field on a bad one) and answers. Reports are kept per query: the rules do not change while the
process runs.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from openfisca_sp.api.docs import CONTENT_SECURITY_POLICY
from openfisca_sp.api.query_params import check_query, query_error
from openfisca_sp.api.request_schema import DAY, MONTH
from openfisca_sp.api.responses import JSONBody
from openfisca_sp.compliance import compliance, reform_jurisdictions, render
from openfisca_sp.rules import jurisdictions

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
FIRST_YEAR, LAST_YEAR = 1900, 2999  # dates a claim can be decided on (the rules read months before and after)
DOCUMENTED_DATE = rf"^(19[0-9]{{2}}|2[0-9]{{3}})-{MONTH}-{DAY}$"  # the dates :func:`_date` takes (but 30 February)
QUERY = {
    "jurisdiction": "a jurisdiction's code (default: every one, or those the reform applies to)",
    "date": "the date of the rules, YYYY-MM-DD (default: today)",
    "reform": "a shipped reform's name (default: the law in force)",
}


def _check_query(request: Request) -> None:
    check_query(request, QUERY)


def _date(text: str | None) -> datetime.date:
    if text is None:
        return datetime.date.today()
    try:
        found = datetime.date.fromisoformat(text) if DATE.match(text) else None
    except ValueError:
        found = None
    if found is None or not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise query_error("date", f"not a date from {FIRST_YEAR} to {LAST_YEAR}: {text!r}", "a date YYYY-MM-DD", text)
    return found


def _codes(jurisdiction: str | None, reform: str | None) -> tuple[str, ...]:
    known = tuple(jurisdictions.registry())
    if jurisdiction is not None and jurisdiction not in known:
        raise query_error(
            "jurisdiction", f"unknown jurisdiction {jurisdiction!r}", "one of " + ", ".join(known), jurisdiction
        )
    if reform is None:
        return (jurisdiction,) if jurisdiction else ()
    from openfisca_sp.reforms import shipped_reforms

    if reform not in shipped_reforms():
        raise query_error(
            "reform", f"unknown reform {reform!r}", "one of " + ", ".join(sorted(shipped_reforms())), reform
        )
    applies = reform_jurisdictions(reform)
    if jurisdiction and applies and jurisdiction not in applies:
        raise query_error(
            "reform",
            f"reform {reform!r} applies to {', '.join(applies)}, not to {jurisdiction}",
            "a reform of the jurisdiction asked",
            reform,
        )
    return (jurisdiction,) if jurisdiction else applies


@lru_cache(maxsize=32)
def _report(codes: tuple[str, ...], date: datetime.date, reform: str | None) -> dict[str, Any]:
    return compliance(codes, date, reform).to_dict()


def _documented_query() -> dict[str, Any]:
    """Each query parameter as the OpenAPI document shows it: the values :func:`_codes` and :func:`_date` take
    (the document only; they check the query themselves, answering in the service's error body). Whether a
    reform applies to the jurisdiction asked is not a value's: a 422 tells it."""
    from openfisca_sp.reforms import shipped_reforms

    values = {
        "jurisdiction": {"enum": sorted(jurisdictions.registry())},
        "date": {"format": "date", "pattern": DOCUMENTED_DATE},
        "reform": {"enum": sorted(shipped_reforms())},
    }
    return {name: Query(None, description=QUERY[name], json_schema_extra=values[name]) for name in QUERY}


def compliance_router() -> APIRouter:
    """``GET /compliance`` (JSON, or HTML when the client asks for it) and ``GET /compliance.html``."""
    router = APIRouter(tags=["Compliance"])
    query = _documented_query()

    async def report(
        request: Request, jurisdiction: str | None, date: str | None, reform: str | None
    ) -> dict[str, Any]:
        _check_query(request)
        codes = _codes(jurisdiction or None, reform or None)
        return await run_in_threadpool(_report, codes, _date(date or None), reform or None)

    def page(body: dict[str, Any]) -> HTMLResponse:
        response = HTMLResponse(render(body, "html"))
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    @router.get(
        "/compliance",
        summary="ILO compliance report: per jurisdiction and branch, each C102, C128, C168, C183 requirement",
        description="Each line `met`, `not met` or `cannot be assessed`, with the articles and verification "
        "status of both sides. Query: "
        + "; ".join(f"`{name}`: {text}" for name, text in QUERY.items())
        + ". Answers HTML when the request accepts `text/html` first.",
        responses={200: {"content": {"text/html": {}}}, 422: {"description": "A query parameter is not valid"}},
    )
    async def compliance_report(
        request: Request,
        jurisdiction: str | None = query["jurisdiction"],
        date: str | None = query["date"],
        reform: str | None = query["reform"],
    ) -> Any:
        body = await report(request, jurisdiction, date, reform)
        accepted = request.headers.get("accept", "")
        if accepted.startswith("text/html") or "text/html" in accepted.split(",")[0]:
            return page(body)
        codes = [line["jurisdiction"] for line in body.get("jurisdictions", ()) if isinstance(line, dict)]
        one = {"OpenFisca-SP-Jurisdiction": codes[0]} if len(set(codes)) == 1 else None  # as every answer of one
        return JSONBody(body, headers=one)

    @router.get("/compliance.html", summary="ILO compliance report as an HTML page", response_class=HTMLResponse)
    async def compliance_page(
        request: Request,
        jurisdiction: str | None = query["jurisdiction"],
        date: str | None = query["date"],
        reform: str | None = query["reform"],
    ) -> HTMLResponse:
        return page(await report(request, jurisdiction, date, reform))

    return router

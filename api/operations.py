"""Health and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response

from openfisca_sp.api import metrics
from openfisca_sp.api.query_params import NO_QUERY_RESPONSES, no_query
from openfisca_sp.api.responses import JSONBody
from openfisca_sp.api.transport import Shutdown
from openfisca_sp.rules.version import rules_version


def operations_router(systems: dict[str, Any], ready_check: Any) -> APIRouter:
    """``/health`` (the process answers), ``/ready`` (every jurisdiction's rules are loaded and compute) and
    ``/metrics`` (Prometheus)."""
    router = APIRouter(
        tags=["Operations"], dependencies=[Depends(no_query)], responses=NO_QUERY_RESPONSES
    )  # probes send no query

    @router.get("/health", summary="Liveness: the process answers")
    async def health() -> JSONBody:
        return JSONBody({"status": "ok"})

    @router.get(
        "/ready", summary="Readiness: rules loaded and computing", responses={503: {"description": "Not ready"}}
    )
    async def ready() -> JSONBody:
        if Shutdown.started:
            body = {"status": "shutting down", "rules": [rules_version(system) for system in systems.values()]}
            return JSONBody({**body, "problems": ["the worker is shutting down"]}, status_code=503)
        problems = ready_check()
        body = {
            "status": "ready" if not problems else "not ready",
            "rules": [rules_version(system) for system in systems.values()],
            "problems": problems,
        }
        return JSONBody(body, status_code=200 if not problems else 503)

    @router.get(
        "/metrics",
        summary="Prometheus metrics: requests, latency, persons decided and errors by route",
        response_class=Response,
        responses={200: {"content": {metrics.CONTENT_TYPE: {}}, "description": "Prometheus text format"}},
    )
    async def prometheus_metrics() -> Response:
        return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)

    return router

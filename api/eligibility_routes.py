"""``POST /eligibility``: decisions for a batch of person records, each claim on the date of its event."""

import time
from typing import Any

from fastapi import APIRouter, Body, Request

from openfisca_sp.api.batching import Batcher
from openfisca_sp.api.dci_async_routes import AsyncContext, add_dci_async_routes
from openfisca_sp.api.dci_intake import Deciding, settings_message_store
from openfisca_sp.api.dci_routes import add_dci_routes
from openfisca_sp.api.eligibility_answers import Claims, EligibilityAnswers
from openfisca_sp.api.examples import eligibility_example
from openfisca_sp.api.hot_lane import HotRoutes, parsed_body, validated
from openfisca_sp.api.json_route import OrjsonRoute
from openfisca_sp.api.memory import collector_paused
from openfisca_sp.api.middleware import Scope
from openfisca_sp.api.models import eligibility_request_model
from openfisca_sp.api.reading_together import UnreadClaims, reading_together
from openfisca_sp.api.registry_routes import add_registry_routes
from openfisca_sp.api.response_models import EligibilityResponse
from openfisca_sp.api.responses import EncodedJSON, decide_timing, version_headers
from openfisca_sp.api.settings import Settings
from openfisca_sp.decisions.dci_message_store import MessageStore


def eligibility_router(
    tax_benefit_system: Any,
    settings: Settings,
    prefix: str = "",
    message_ids: MessageStore | None = None,
    async_context: AsyncContext | None = None,
    hot_routes: HotRoutes | None = None,
) -> APIRouter:
    """The eligibility endpoints over ``tax_benefit_system``: ``/eligibility`` and its DCI form
    (:mod:`~openfisca_sp.api.dci_routes`, refusing a message id ``message_ids`` holds); concurrent requests
    are decided together (:mod:`~openfisca_sp.api.eligibility_answers`). ``/eligibility`` is also added to
    ``hot_routes`` (:mod:`~openfisca_sp.api.hot_lane`), where the body is validated as FastAPI validates it."""
    RequestModel = eligibility_request_model(tax_benefit_system, settings.max_persons)  # noqa: N806 - a model class
    answers = EligibilityAnswers(tax_benefit_system, settings.max_rules_days)
    together = reading_together(tax_benefit_system, answers, settings.max_persons)
    batcher = Batcher(together.decide, settings.max_persons, name="eligibility")
    router = APIRouter(prefix=prefix, tags=[f"Eligibility{' ' + prefix if prefix else ''}"], route_class=OrjsonRoute)

    @router.post(
        "/eligibility",
        summary="Decide eligibility, amount and duration per person and branch",
        response_model=None,
        responses={
            200: {"model": EligibilityResponse, "description": "A decision per person and branch"},
            400: {"description": "The body is not JSON"},
            413: {"description": "Body or batch too large"},
            422: {
                "description": (
                    "A field is invalid, or facts contradict each other (a mother born after her child, an event "
                    "after as_of): the body names the field and says what was expected"
                )
            },
        },
    )
    async def eligibility(
        http: Request,
        request: RequestModel = Body(..., openapi_examples={"household": {"value": eligibility_example()}}),
    ) -> EncodedJSON:  # type: ignore[valid-type]
        return await decided(request, http.scope)  # the collector is paused meanwhile (OrjsonRoute)

    async def decided(request: Any, scope: Scope) -> EncodedJSON:
        """The decisions on a validated request, with those of concurrent requests."""
        claims = answers.claims(request)
        return await submitted(claims, claims.persons.count, scope)

    async def submitted(claims: Claims | UnreadClaims, count: int, scope: Scope) -> EncodedJSON:
        """The answer to ``claims`` of ``count`` persons, decided with those of concurrent requests;
        ``Server-Timing`` says how long that took (waiting for the batch, reading unread records, deciding)."""
        started = time.perf_counter()
        body = await batcher.submit(claims, claims.key, count)
        deciding = decide_timing(time.perf_counter() - started)
        scope.setdefault("state", {})["persons_decided"] = count  # for the metrics
        return EncodedJSON(body, headers=version_headers(answers.version(claims.as_of)) | deciding)

    async def decided_from_body(raw: bytes, scope: Scope) -> EncodedJSON:
        """The hot lane's ``/eligibility``: a small request's records read with those of concurrent requests
        (:mod:`~openfisca_sp.api.reading_together`), any other read now, as FastAPI would."""
        with collector_paused():
            body = parsed_body(raw)
            unread = together.unread(body)
            if unread is None:
                return await decided(validated(RequestModel, body), scope)
            return await submitted(unread, len(unread.records), scope)

    if hot_routes is not None:
        hot_routes.add(f"{prefix}/eligibility", decided_from_body)

    if message_ids is None:
        message_ids = settings_message_store(settings)
    deciding = Deciding(
        answers, batcher, RequestModel, settings.max_persons, message_ids, settings.dci_message_ts_max_age
    )
    add_dci_routes(router, deciding)
    async_context = async_context or AsyncContext.from_settings(settings)  # asynchronous DCI, docs/dci.md
    add_dci_async_routes(router, deciding, async_context)
    add_registry_routes(router, answers, batcher, RequestModel, settings)  # /eligibility/by-identifier
    return router

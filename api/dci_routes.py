"""``POST /dci/sync/eligibility``: an ``/eligibility`` request in a DCI envelope, answered in one (``docs/dci.md``).

The header is read first and checked
(:func:`~openfisca_sp.decisions.dci_envelope.check_header`): a wrong one is
refused with ``status: rjct`` and its DCI reason code, before the message is
read. The message is then validated as ``/eligibility`` validates its body,
errors named from the envelope's root (``message.eligibility_request.persons[0].sex``),
and decided with the ``/eligibility`` requests of the same moment (the same
batcher): the same persons get the same decisions. A message id is remembered
once its message is valid (:class:`~openfisca_sp.decisions.dci_envelope.MessageIds`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import orjson
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool

from openfisca_sp.api.dci_intake import (
    REF,
    TOKEN_REFUSED,
    Deciding,
    Envelope,
    Received,
    keep,
    receive,
    refusal,
    request_body,
)
from openfisca_sp.api.dci_items import item_reader, partial_header
from openfisca_sp.api.dci_models import ENVELOPES, DCIEligibilityAnswer, DCIRefusal, MsgHeader, envelope_model
from openfisca_sp.api.dci_security import DCISecurity
from openfisca_sp.api.examples import eligibility_example
from openfisca_sp.api.responses import EncodedJSON, version_headers
from openfisca_sp.decisions.dci_envelope import RejectedError, answer_header, check_header
from openfisca_sp.decisions.ibr_enrolments import beneficiaries

ACTION, ANSWER_ACTION = "eligibility", "on-eligibility"


def eligibility_header_check(max_persons: int, max_age: float | None = None) -> Callable[[Envelope], None]:
    """The check of an eligibility message's header: ``total_count`` against the persons sent (the header's count
    when ``persons`` is no list: the message's error says so), at most ``max_persons``; ``message_ts`` at most
    ``max_age`` seconds old."""

    def check(outer: Envelope) -> None:
        request = outer.message.get("eligibility_request")
        persons = request.get("persons") if isinstance(request, dict) else None
        sent = len(persons) if isinstance(persons, list) else outer.header.total_count
        check_header(outer.header, ACTION, sent, max_persons, max_age)

    return check


def eligibility_example_envelope() -> dict[str, Any]:
    """The ``/eligibility`` example in a DCI envelope."""
    header = {
        "version": "1.0.0",
        "message_id": "0f9c2e7a-msg-1",
        "message_ts": "2024-06-15T10:20:07-04:00",
        "action": ACTION,
        "sender_id": "spp.example.org",
        "receiver_id": "openfisca-sp.example.org",
        "is_msg_encrypted": False,
    }
    request = eligibility_example()
    header["total_count"] = len(request["persons"])
    return {"header": header, "message": {"transaction_id": "T-1", "eligibility_request": request}}


def _answer_signature(
    security: DCISecurity,
    header: dict[str, Any],
    message: Any,
    correlation_id: str,
    decided: bytes,
    enrolments: list[dict[str, Any]] | None,
    statuses: list[dict[str, Any]] | None,
) -> str | None:
    """Our signature of a decided answer (its envelope as a client parses it back)."""
    body = {"transaction_id": message.transaction_id, "correlation_id": correlation_id}
    body["eligibility_response"] = orjson.loads(decided)
    if enrolments is not None:
        body["ibr_enrolments"] = enrolments
    if statuses is not None:
        body["eligibility_status"] = statuses
    return security.sign({"header": header, "message": body})


def add_dci_routes(router: APIRouter, deciding: Deciding) -> None:
    """Add the DCI eligibility routes to ``router``, deciding as its ``/eligibility`` does."""
    answers, batcher, message_ids = deciding.answers, deciding.batcher, deciding.message_ids
    envelope = envelope_model(deciding.request_model)
    message_model = envelope.model_fields["message"].annotation
    check = eligibility_header_check(deciding.max_persons, deciding.message_ts_max_age)
    read = item_reader(message_model, answers)

    @router.post(
        "/dci/sync/eligibility",
        summary="Decide eligibility: a DCI message (envelope, header, message) in, a DCI answer out",
        response_model=None,
        openapi_extra=request_body(envelope.__name__, "household", eligibility_example_envelope()),
        responses={
            200: {"model": DCIEligibilityAnswer, "description": "`status: succ`: a decision per person and branch"},
            400: {"description": "`rjct` (version, message_ts, action, total_count: a `DCIRefusal`), or not JSON"},
            **TOKEN_REFUSED,
            403: {"description": "`err.signature.missing`/`invalid` (if senders' keys are set), or the token's scope"},
            409: {"model": DCIRefusal, "description": "`status: rjct`, `rjct.message_id.duplicate`"},
            413: {
                "description": "`rjct.total_count.limit_exceeded` (a `DCIRefusal`: persons, Groups' members, rules "
                "days); a body too large: DCI's `HttpErrorResponse`, `err.request.bad`"
            },
            422: {"description": "A field of the envelope or the message is invalid (as `/eligibility`)"},
            503: {
                "description": "`err.service.unavailable`: the message ids' store is busy (a `DCIRefusal`), or too "
                "many request bytes in flight (DCI's `HttpErrorResponse`); `Retry-After`"
            },
        },
    )
    async def dci_sync_eligibility(http: Request) -> Any:
        correlation_id = uuid.uuid4().hex
        http.state.correlation_id = correlation_id  # in the access log line
        security: DCISecurity = http.app.state.dci_security

        def refuse(header: MsgHeader, rejection: RejectedError) -> Response:
            return refusal(header, rejection, correlation_id, security, ANSWER_ACTION)

        received = await receive(http, check, message_model, refuse, message_ids, read)
        if not isinstance(received, Received):
            return received
        header = received.header
        try:
            answer = await _answered(http, received, correlation_id)
        except BaseException:  # not answered: it may come again (released in a thread, as it was accepted)
            await run_in_threadpool(message_ids.release, header.sender_id, header.message_id)
            raise
        return await keep(http, message_ids, header, answer, refuse)

    async def _answered(http: Request, received: Received, correlation_id: str) -> EncodedJSON:
        """The decided answer to a message taken in."""
        security: DCISecurity = http.app.state.dci_security
        header, message, read_message = received.header, received.message, received.prepared
        claims, statuses = read_message.claims, read_message.statuses
        decided = await batcher.submit(claims, claims.key, claims.persons.count)
        http.state.persons_decided = claims.persons.count
        http.state.dci_status = "succ"
        answered = partial_header(answer_header(header, ANSWER_ACTION, sender_id=security.sender_id), statuses)
        enrolments = None
        if message.ibr_enrolments:  # answered, not sent to the IBR (the asynchronous route sends them)
            enrolments = await run_in_threadpool(lambda: beneficiaries(orjson.loads(decided)))
        signed = b""
        if security.signer:  # the signature covers the answer as parsed back (docs/dci.md, "Security")
            signature = await run_in_threadpool(
                _answer_signature, security, answered, message, correlation_id, decided, enrolments, statuses
            )
            signed = b'"signature":' + orjson.dumps(signature) + b","
        content = b"".join(
            (
                b"{",
                signed,
                b'"header":',
                orjson.dumps(answered),
                b',"message":{"transaction_id":',
                orjson.dumps(message.transaction_id),
                b',"correlation_id":"',
                correlation_id.encode(),
                b'","eligibility_response":',
                decided,
                b"" if enrolments is None else b',"ibr_enrolments":' + orjson.dumps(enrolments),
                b"" if statuses is None else b',"eligibility_status":' + orjson.dumps(statuses),
                b"}}",
            )
        )
        headers = {**version_headers(answers.version(claims.as_of)), "X-Correlation-ID": correlation_id}
        return EncodedJSON(content, headers=headers)


def install_dci_schemas(app: FastAPI) -> None:
    """Add the schemas of the DCI envelopes to the app's OpenAPI components (the routes read their bodies
    themselves, header first, so FastAPI does not find them)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in ENVELOPES.values():
            found = model.model_json_schema(ref_template=REF)
            for name, definition in {**found.pop("$defs", {}), model.__name__: found}.items():
                components.setdefault(name, definition)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

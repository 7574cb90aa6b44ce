"""The asynchronous DCI flow (``docs/dci.md``): ``POST /dci/async/eligibility`` and ``POST /dci/txn/status``.

A message is checked as ``/dci/sync/eligibility`` checks it (header first, then
``sender_uri``, then the message and its facts), and acknowledged at once
(HTTP 202, the DCI acknowledgement ``{message: {ack_status: ACK, timestamp,
correlation_id}}``); a wrong header gets a ``NACK`` with the ``rjct`` header of
the synchronous route, a ``sender_uri`` not accepted an ``ERR``
(``err.sender_uri.invalid``). The message is then decided with the other
requests of the moment (the same batcher), its entitlements enrolled in the IBR
when asked and configured, and the answer (``action: on-eligibility``) POSTed to
``sender_uri`` (:mod:`~openfisca_sp.api.dci_async_flow`). ``/dci/txn/status``
says where a transaction is (:mod:`~openfisca_sp.decisions.dci_transactions`),
with its answer once decided: a credential sees the transactions it sent only
(an API key, a verified bearer token's client, a verified signer; without any, a
transaction is found by its ``correlation_id`` only), those its worker process received (or every worker's,
in a shared store). Both routes check tokens and signatures as the
synchronous route does (:mod:`~openfisca_sp.api.dci_security`), and every answer
and outgoing message is signed when the service has a signing key.
"""

from __future__ import annotations

import functools
import sqlite3
import uuid
from typing import Any, Literal

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from openfisca_sp.api.dci_async_flow import AsyncContext, AsyncEligibility
from openfisca_sp.api.dci_callbacks import CallbackRefusedError
from openfisca_sp.api.dci_intake import (
    HTTP_STATUS,
    NOT_READ,
    NOT_RECORDED,
    TOKEN_REFUSED,
    Deciding,
    Envelope,
    Received,
    Refuse,
    keep,
    receive,
    refusal,
    request_body,
    signed_body,
    unavailable,
)
from openfisca_sp.api.dci_items import item_reader
from openfisca_sp.api.dci_models import ENVELOPES, MAX_ID, MAX_TRANSACTION_ID, MsgHeader, async_envelope_model
from openfisca_sp.api.dci_routes import eligibility_example_envelope, eligibility_header_check
from openfisca_sp.api.dci_security import DCISecurity
from openfisca_sp.api.responses import EncodedJSON
from openfisca_sp.decisions.dci_envelope import RejectedError, answer_header, check_header
from openfisca_sp.decisions.dci_transactions import ATTRIBUTES, Transaction, now_ts

ACTION, ANSWER_ACTION = "eligibility", "on-eligibility"
TXN_ACTION, TXN_ANSWER_ACTION = "txn-status", "txn-on-status"
SENDER_URI_INVALID = "err.sender_uri.invalid"
__all__ = ["AsyncContext", "add_dci_async_routes"]


class TxnStatusQuery(BaseModel):
    """``TxnStatusRequest.txnstatus_request``: the transaction looked up by one of its identifiers."""

    model_config = ConfigDict(extra="forbid")

    reference_id: StrictStr = Field(max_length=MAX_ID)
    txn_type: StrictStr = Field("eligibility", max_length=64, description="Read as `eligibility`")
    attribute_type: Literal[ATTRIBUTES] = Field(  # type: ignore[valid-type]
        description="`transaction_id`, `correlation_id`, or (an extension) `message_id`"
    )
    attribute_value: StrictStr = Field(max_length=MAX_ID)
    locale: StrictStr | None = Field(None, max_length=8)


class TxnStatusMessage(BaseModel):
    """A ``TxnStatusRequest``."""

    model_config = ConfigDict(extra="forbid", title="TxnStatusRequest")

    transaction_id: StrictStr = Field(max_length=MAX_TRANSACTION_ID)
    txnstatus_request: TxnStatusQuery


class TxnStatusEnvelope(BaseModel):
    """A transaction status request (``action: txn-status``)."""

    model_config = ConfigDict(extra="forbid", title="DCI txn status request")

    signature: StrictStr | None = None
    header: MsgHeader
    message: TxnStatusMessage


ENVELOPES[TxnStatusEnvelope.__name__] = TxnStatusEnvelope


def _async_example() -> dict[str, Any]:
    """The synchronous route's example, with its callback and enrolments asked."""
    example = eligibility_example_envelope()
    example["header"]["sender_uri"] = "https://spp.example.org/callback/on-eligibility"
    example["message"]["ibr_enrolments"] = True
    return example


TXN_EXAMPLE = {
    "header": {
        "version": "1.0.0",
        "message_id": "0f9c2e7a-status-1",
        "message_ts": "2024-06-15T10:21:07-04:00",
        "action": TXN_ACTION,
        "sender_id": "spp.example.org",
        "total_count": 1,
    },
    "message": {
        "transaction_id": "T-1",
        "txnstatus_request": {
            "reference_id": "R-1",
            "txn_type": "search",
            "attribute_type": "transaction_id",
            "attribute_value": "T-1",
        },
    },
}


def _ack(
    security: DCISecurity,
    status: str,
    correlation_id: str,
    code: int,
    header: dict[str, Any] | None = None,
    **extra: Any,
) -> EncodedJSON:
    """A DCI acknowledgement (``ACK``, ``NACK`` or ``ERR``), with the refused message's header if any; signed
    when we sign."""
    body: dict[str, Any] = {} if header is None else {"header": header}
    body["message"] = {"ack_status": status, "timestamp": now_ts(), "correlation_id": correlation_id, **extra}
    return EncodedJSON(signed_body(security, body), status_code=code, headers={"X-Correlation-ID": correlation_id})


def _acknowledgement_refusal(security: DCISecurity, correlation_id: str) -> Refuse:
    """How the asynchronous route refuses a message: ``ERR`` for a ``sender_uri`` not accepted (400) or a
    signature missing or wrong (403, with the ``rjct`` header, as synchronously), else ``NACK`` with it."""

    def refuse(header: MsgHeader, rejection: RejectedError) -> EncodedJSON:
        status = HTTP_STATUS.get(rejection.code, 400)
        error = {"code": rejection.code, "message": rejection.message}
        if rejection.code == SENDER_URI_INVALID:
            return _ack(security, "ERR", correlation_id, status, error=error)
        reply = answer_header(header, ANSWER_ACTION, rejection, sender_id=security.sender_id)
        if not rejection.code.startswith("err."):
            return _ack(security, "NACK", correlation_id, status, reply)
        reply.pop("status_reason_code", None)  # a DCI Error code, not a MsgHeaderStatusReasonCode
        return _ack(security, "ERR", correlation_id, status, reply, error=error)

    return refuse


async def _status_answer(
    header: MsgHeader, query: TxnStatusMessage, found: Transaction | None, security: DCISecurity, owner: str
) -> EncodedJSON:
    reply = answer_header(header, TXN_ANSWER_ACTION, sender_id=security.sender_id)
    if found is None:
        what = query.txnstatus_request.attribute_type
        reason = f"no transaction of this sender_id and credential with this {what}"
        if not owner and what != "correlation_id":  # the same whether it exists or not
            reason += (
                " (without an API key, a verified token or a verified signature, look a transaction up by its"
                " correlation_id)"
            )
        reply.update(status="rjct", completed_count=0, status_reason_message=reason)
        return EncodedJSON(signed_body(security, {"header": reply}), status_code=404)
    status = found.summary()
    if found.answer is not None:
        status["eligibility_response"] = orjson.Fragment(found.answer)
    if found.enrolments is not None:
        status["ibr_enrolments"] = found.enrolments
    if found.statuses is not None:
        status["eligibility_status"] = found.statuses
    message = {
        "transaction_id": query.transaction_id,
        "correlation_id": found.correlation_id,
        "txnstatus_response": {"txn_type": "eligibility", "txn_status": status},
    }
    content = await run_in_threadpool(signed_body, security, {"header": reply, "message": message})
    return EncodedJSON(content, headers={"X-Correlation-ID": found.correlation_id})


def add_dci_async_routes(router: APIRouter, deciding: Deciding, context: AsyncContext) -> None:
    """Add ``/dci/async/eligibility`` and ``/dci/txn/status`` to ``router`` (see the module)."""
    answers, message_ids = deciding.answers, deciding.message_ids
    envelope = async_envelope_model(deciding.request_model)
    message_model = envelope.model_fields["message"].annotation
    flow = AsyncEligibility(context, answers, deciding.batcher)
    max_age = deciding.message_ts_max_age
    eligibility_check = eligibility_header_check(deciding.max_persons, max_age)
    read = item_reader(message_model, answers)

    def check(outer: Envelope) -> None:
        eligibility_check(outer)
        try:
            context.delivery.check(outer.header.sender_uri)
        except CallbackRefusedError as refused:
            raise RejectedError(SENDER_URI_INVALID, str(refused)) from None

    @router.post(
        "/dci/async/eligibility",
        summary="Decide eligibility asynchronously: acknowledged at once, the answer POSTed to header.sender_uri",
        status_code=202,
        response_model=None,
        openapi_extra=request_body(envelope.__name__, "household", _async_example()),
        responses={
            202: {"description": "`ack_status: ACK`: the answer (`on-eligibility`) will be POSTed to `sender_uri`"},
            400: {"description": "`NACK` with the `rjct` header, or `ERR` `err.sender_uri.invalid`, or not JSON"},
            **TOKEN_REFUSED,
            403: {"description": "`ERR` `err.signature.missing`/`invalid` (if senders' keys are set), or the scope"},
            409: {"description": "`NACK`, `rjct.message_id.duplicate`"},
            413: {
                "description": "`NACK`, `rjct.total_count.limit_exceeded` (persons, Groups' members, rules days); a "
                "body too large: DCI's `HttpErrorResponse`, `err.request.bad`"
            },
            422: {"description": "A field of the envelope or the message is invalid (as `/eligibility`)"},
            503: {
                "description": "`ERR` `err.service.unavailable`: the store (ids, transactions) is busy; too many "
                "request bytes in flight: DCI's `HttpErrorResponse`; `Retry-After`"
            },
        },
    )
    async def dci_async_eligibility(http: Request) -> Any:
        correlation_id = uuid.uuid4().hex
        http.state.correlation_id = correlation_id
        security: DCISecurity = http.app.state.dci_security
        refuse = _acknowledgement_refusal(security, correlation_id)
        received = await receive(http, check, message_model, refuse, message_ids, read)
        if not isinstance(received, Received):
            return received
        header, message, read_message = received.header, received.message, received.prepared
        transaction = Transaction(
            header.sender_id,
            header.message_id,
            message.transaction_id,
            correlation_id,
            header.total_count,
            owner=security.owner(http.headers.get("x-api-key"), received.token, header.sender_id),
        )
        try:  # recorded before it is acknowledged (in a thread: the store's busy timeout waits there)
            await run_in_threadpool(context.transactions.add, transaction)
        except sqlite3.Error as error:  # not acknowledged, nothing started: the same message may come again
            release = functools.partial(message_ids.release, header.sender_id, header.message_id)
            return unavailable(http, refuse, header, NOT_RECORDED, "dci transaction not recorded", error, release)
        forget = functools.partial(context.transactions.forget, correlation_id)
        acknowledged = await keep(http, message_ids, header, _ack(security, "ACK", correlation_id, 202), refuse, forget)
        if acknowledged.status_code != 202:  # not kept for retries: not acknowledged, nothing started
            return acknowledged
        try:
            flow.start(transaction, read_message, header, message.ibr_enrolments, security)
        except BaseException:  # not acknowledged: it may come again (released in a thread, as it was accepted)
            await run_in_threadpool(message_ids.release, header.sender_id, header.message_id)
            raise
        http.state.dci_status = "rcvd"
        return acknowledged

    @router.post(
        "/dci/txn/status",
        summary="The state of an asynchronous transaction, and its answer once decided (DCI TxnStatusRequest)",
        response_model=None,
        openapi_extra=request_body(TxnStatusEnvelope.__name__, "by transaction_id", TXN_EXAMPLE),
        responses={
            200: {"description": "`txn-on-status`: `txnstatus_response.txn_status` (`rcvd`, `pdng`, `succ`, `rjct`)"},
            400: {"description": "`rjct` (version, message_ts, action, total_count), or not JSON"},
            **TOKEN_REFUSED,
            403: {"description": "`err.signature.missing`/`invalid` (if senders' keys are set), or the token's scope"},
            404: {
                "description": "`rjct`: no such transaction of this sender and credential (another's, forgotten, "
                "never received; without a key or a signature, looked up by other than its `correlation_id`)"
            },
            413: {
                "description": "`rjct.total_count.limit_exceeded` (one status request a message); a body too large: "
                "DCI's `HttpErrorResponse`, `err.request.bad`"
            },
            422: {"description": "A field of the envelope or the message is invalid"},
            503: {
                "description": "`err.service.unavailable`: the store of transactions cannot be read (a `rjct` "
                "header and the DCI error); too many request bytes in flight: DCI's `HttpErrorResponse`; `Retry-After`"
            },
        },
    )
    async def dci_txn_status(http: Request) -> Any:
        security: DCISecurity = http.app.state.dci_security

        def refuse(header: MsgHeader, rejection: RejectedError) -> Response:
            return refusal(header, rejection, uuid.uuid4().hex, security, TXN_ANSWER_ACTION)

        received = await receive(
            http,
            lambda outer: check_header(outer.header, TXN_ACTION, 1, 1, max_age),  # one txnstatus_request a message
            TxnStatusMessage,
            refuse,
        )
        if not isinstance(received, Received):
            return received
        header, query = received.header, received.message
        asked = query.txnstatus_request
        owner = security.owner(http.headers.get("x-api-key"), received.token, header.sender_id)
        find = context.transactions.find
        try:  # in a thread: an answer read may be megabytes, and a store busy past its timeout waits there
            found = await run_in_threadpool(find, header.sender_id, asked.attribute_type, asked.attribute_value, owner)
        except sqlite3.Error as error:
            return unavailable(http, refuse, header, NOT_READ, "dci transaction status not read", error)
        if found is not None:
            http.state.correlation_id = found.correlation_id
        http.state.dci_status = "succ" if found else "rjct"
        return await _status_answer(header, query, found, security, owner)

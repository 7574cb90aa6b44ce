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
from typing import Any

import orjson
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError

from openfisca_sp.api.batching import Batcher
from openfisca_sp.api.dci_models import ENVELOPES, DCIEligibilityAnswer, DCIRefusal, MsgHeader, envelope_model
from openfisca_sp.api.eligibility_answers import EligibilityAnswers
from openfisca_sp.api.examples import eligibility_example
from openfisca_sp.api.openfisca_routes import InvalidJSONError
from openfisca_sp.api.responses import EncodedJSON, JSONBody, version_headers
from openfisca_sp.decisions.dci_envelope import MessageIds, RejectedError, answer_header, check_header

ACTION, ANSWER_ACTION = "eligibility", "on-eligibility"
REF = "#/components/schemas/{model}"
# The HTTP status of each refusal (the body says the same with its DCI reason code)
HTTP_STATUS = {"rjct.message_id.duplicate": 409, "rjct.total_count.limit_exceeded": 413}


class Envelope(BaseModel):
    """The envelope around a message not read yet."""

    model_config = ConfigDict(extra="forbid")

    signature: StrictStr | None = None  # accepted, not verified yet (issue 13, item 3)
    header: MsgHeader
    message: dict[str, Any]


def _validated(model: type[BaseModel], value: Any, location: tuple[str, ...]) -> Any:
    """``value`` validated by ``model``, or the request validation error naming its fields from ``location``."""
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problems = [dict(item, loc=("body", *location, *item["loc"])) for item in error.errors()]
        raise RequestValidationError(problems) from None


def _records(message: dict[str, Any], header: MsgHeader) -> int:
    """The number of records sent (the header's count when ``persons`` is no list: the message's error says so)."""
    request = message.get("eligibility_request")
    persons = request.get("persons") if isinstance(request, dict) else None
    return len(persons) if isinstance(persons, list) else header.total_count


def _example() -> dict[str, Any]:
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


def _refusal(header: MsgHeader, rejection: RejectedError, correlation_id: str) -> JSONBody:
    body = {"header": answer_header(header, ANSWER_ACTION, rejection)}
    status = HTTP_STATUS.get(rejection.code, 400)
    return JSONBody(body, status_code=status, headers={"X-Correlation-ID": correlation_id})


def add_dci_routes(
    router: APIRouter,
    answers: EligibilityAnswers,
    batcher: Batcher,
    request_model: type[BaseModel],
    max_persons: int,
    message_ids: MessageIds,
) -> None:
    """Add the DCI eligibility routes to ``router``, deciding as its ``/eligibility`` does."""
    envelope = envelope_model(request_model)
    message_model = envelope.model_fields["message"].annotation

    @router.post(
        "/dci/sync/eligibility",
        summary="Decide eligibility: a DCI message (envelope, header, message) in, a DCI answer out",
        response_model=None,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": REF.format(model=envelope.__name__)},
                        "examples": {"household": {"value": _example()}},
                    }
                },
            }
        },
        responses={
            200: {"model": DCIEligibilityAnswer, "description": "`status: succ`: a decision per person and branch"},
            400: {"description": "`rjct` (version, message_ts, action, total_count: a `DCIRefusal`), or not JSON"},
            409: {"model": DCIRefusal, "description": "`status: rjct`, `rjct.message_id.duplicate`"},
            413: {"description": "`rjct.total_count.limit_exceeded` (a `DCIRefusal`), or the body is too large"},
            422: {"description": "A field of the envelope or the message is invalid (as `/eligibility`)"},
        },
    )
    async def dci_sync_eligibility(http: Request) -> Any:
        correlation_id = uuid.uuid4().hex
        http.state.correlation_id = correlation_id  # in the access log line
        try:
            body = await http.json()
        except orjson.JSONDecodeError as error:
            raise InvalidJSONError(str(error)) from None
        outer = _validated(Envelope, body, ())
        header = outer.header
        try:
            check_header(header, ACTION, _records(outer.message, header), max_persons)
        except RejectedError as rejection:
            http.state.dci_status = rejection.code
            return _refusal(header, rejection, correlation_id)
        message = _validated(message_model, outer.message, ("message",))
        try:
            message_ids.accept(header.sender_id, header.message_id)
        except RejectedError as rejection:
            http.state.dci_status = rejection.code
            return _refusal(header, rejection, correlation_id)
        try:
            claims = answers.claims(message.eligibility_request)
            decided = await batcher.submit(claims, claims.key, claims.persons.count)
        except BaseException:
            message_ids.forget(header.sender_id, header.message_id)  # not accepted: it may come again
            raise
        http.state.persons_decided = claims.persons.count
        http.state.dci_status = "succ"
        content = b"".join(
            (
                b'{"header":',
                orjson.dumps(answer_header(header, ANSWER_ACTION)),
                b',"message":{"transaction_id":',
                orjson.dumps(message.transaction_id),
                b',"correlation_id":"',
                correlation_id.encode(),
                b'","eligibility_response":',
                decided,
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

"""What every DCI route does with a message it receives, in order (``docs/dci.md``): the bearer token (before the
body is parsed), the JSON, the envelope, the sender's signature (before the header is trusted), the API key's
senders (when tied to them), the header, any check of the route's own, the message, then its ``message_id``
accepted (:func:`receive`). A refusal is built by
the route (:data:`Refuse`): a DCI answer with its ``rjct`` header, or an acknowledgement."""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError
from starlette.background import BackgroundTask

from openfisca_sp.api.batching import Batcher
from openfisca_sp.api.bodies import DCI_UNAVAILABLE, json_problem
from openfisca_sp.api.dci_models import MsgHeader
from openfisca_sp.api.dci_security import SENDER_INVALID, DCISecurity, TokenRefusal
from openfisca_sp.api.eligibility_answers import EligibilityAnswers
from openfisca_sp.api.errors import over_limit
from openfisca_sp.api.openfisca_routes import InvalidJSONError
from openfisca_sp.api.responses import EncodedJSON, JSONBody
from openfisca_sp.api.settings import Settings
from openfisca_sp.decisions.dci_envelope import DUPLICATE, RejectedError, Reply, answer_header, message_digest
from openfisca_sp.decisions.dci_message_store import MessageStore, message_store
from openfisca_sp.decisions.json_depth import nested_deeper
from openfisca_sp.decisions.rules_day_limit import TooManyRulesDaysError

STORE_UNAVAILABLE = DCI_UNAVAILABLE  # the store of message ids (or transactions) cannot be written or read
LIMIT_EXCEEDED = "rjct.total_count.limit_exceeded"  # a message with more than the service takes (413)
MAX_REASON = 999  # characters of a status_reason_message (the specification's maxLength)
NOT_KEPT = (
    "the answer could not be kept for retries (the store of message ids is busy): it is not given; send the "
    "same message again in a moment"
)
NOT_ACCEPTED = "the message id could not be recorded (the store of message ids is busy); send it again in a moment"
NOT_RECORDED = (
    "the transaction could not be recorded (the store of transactions is busy): it is not started; send the same "
    "message again in a moment"
)
NOT_READ = "the store of transactions could not be read (it is busy); ask again in a moment"
MAX_MESSAGE_DEPTH = 128  # levels a message's header or message may nest (its digest is written up to 255)
RETRY_AFTER = "1"  # seconds a client waits before sending again a message the store could not take
log = logging.getLogger("openfisca_sp.api.dci")
# The HTTP status of each refusal (the body says the same with its DCI reason code)
HTTP_STATUS = {
    STORE_UNAVAILABLE: 503,
    DUPLICATE: 409,
    LIMIT_EXCEEDED: 413,
    "err.signature.missing": 403,
    "err.signature.invalid": 403,
    SENDER_INVALID: 403,
}
Refuse = Callable[[MsgHeader, RejectedError], Response]  # the answer of a refused message
# the headers of an answer kept for retries (X-Request-ID is each request's own)
KEPT_HEADERS = (
    "x-correlation-id", "openfisca-sp-jurisdiction", "openfisca-sp-legislation-date", "openfisca-sp-reforms"
)  # fmt: skip
REF = "#/components/schemas/{model}"
TOKEN_REFUSED = {401: {"description": "No valid bearer token, if tokens are required (`err.request.unauthorized`)"}}


class Envelope(BaseModel):
    """The envelope around a message not read yet."""

    model_config = ConfigDict(extra="forbid")

    signature: StrictStr | None = None  # verified when senders' keys are set (dci_security)
    header: MsgHeader
    message: dict[str, Any]


@dataclass(frozen=True)
class Deciding:
    """What the DCI eligibility routes decide with: the ``/eligibility`` route's answers, batcher and request
    model, its persons limit, the message ids seen (refused again) and how old a message may be sent."""

    answers: EligibilityAnswers
    batcher: Batcher
    request_model: type[BaseModel]
    max_persons: int
    message_ids: MessageStore
    message_ts_max_age: float | None = None  # seconds a message_ts may be behind our clock (None: any)


@dataclass(frozen=True)
class Received:
    """A message taken in: its header, the message validated, what ``read`` made of it, and the credential its
    verified bearer token names (\"\": none, or tokens not verified)."""

    header: MsgHeader
    message: Any
    prepared: Any = None
    token: str = ""


def request_body(model: str, name: str, example: dict[str, Any]) -> dict[str, Any]:
    """The ``openapi_extra`` of a DCI route: its envelope's schema (FastAPI does not see the body the route reads
    itself) and an example."""
    content = {"schema": {"$ref": REF.format(model=model)}, "examples": {name: {"value": example}}}
    return {"requestBody": {"required": True, "content": {"application/json": content}}}


def validated(model: type[BaseModel], value: Any, location: tuple[str, ...]) -> Any:
    """``value`` validated by ``model``, or the request validation error naming its fields from ``location``."""
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problems = [dict(item, loc=("body", *location, *item["loc"])) for item in error.errors()]
        raise RequestValidationError(problems) from None


def signed_body(security: DCISecurity, body: dict[str, Any]) -> bytes:
    """``body`` (JSON values, ``orjson.Fragment`` s too) as JSON, with our ``signature`` first when we sign: the
    signature covers the envelope as the receiver parses it back. Slow for large bodies: call it in a thread."""
    content = orjson.dumps(body)
    if not security.signer:
        return content
    signature = security.sign(orjson.loads(content))
    return b'{"signature":' + orjson.dumps(signature) + b"," + content[1:]


def refusal(
    header: MsgHeader, rejection: RejectedError, correlation_id: str, security: DCISecurity, action: str
) -> JSONBody:
    """A refused message's answer: its ``rjct`` header (and DCI ``Error``), signed when we sign."""
    body: dict[str, Any] = {"header": answer_header(header, action, rejection, sender_id=security.sender_id)}
    if rejection.code.startswith("err."):  # a DCI Error code (signatures), not a MsgHeaderStatusReasonCode
        del body["header"]["status_reason_code"]
        body["errors"] = [{"code": rejection.code, "message": rejection.message}]
    if security.signer:
        body = {"signature": security.sign(body), **body}
    status = HTTP_STATUS.get(rejection.code, 400)
    return JSONBody(body, status_code=status, headers={"X-Correlation-ID": correlation_id})


async def receive(
    http: Request,
    check: Callable[[Envelope], None],
    message_model: type[BaseModel],
    refuse: Refuse,
    message_ids: MessageStore | None = None,
    read: Callable[[dict[str, Any]], Any] | None = None,
) -> Received | Response:
    """The message of ``http`` taken in (see the module), or the answer refusing it. ``check`` raises
    :class:`RejectedError` for a header (or a ``sender_uri``…) the route refuses; ``read`` (before the message
    id is accepted), when given, reads the message instead of ``message_model``: what it gives is ``prepared``,
    its ``message`` the message (it may raise a request validation error). ``http.state.dci_status`` says a
    refusal."""
    security: DCISecurity = http.app.state.dci_security
    if isinstance(token := security.check_token(http.headers.get("authorization")), TokenRefusal):
        http.state.dci_status = token.code  # before the body is parsed; the token is never logged
        return token.response()
    try:
        body = await http.json()
    except orjson.JSONDecodeError as error:
        raise InvalidJSONError(json_problem(await http.body(), str(error), error.pos)[0]) from None
    outer = validated(Envelope, body, ())
    header = outer.header
    try:
        if (forged := await security.check_signature(body, header.sender_id)) is not None:
            raise forged  # verified before the header is trusted
        if (foreign := security.check_sender(http.headers.get("x-api-key"), header.sender_id)) is not None:
            raise foreign
        if (elsewhere := security.check_receiver(header.receiver_id)) is not None:
            raise elsewhere
        check(outer)
        try:
            if read is None:
                message, prepared = validated(message_model, outer.message, ("message",)), None
            else:
                prepared = read(outer.message)
                message = prepared.message
        except (RequestValidationError, TooManyRulesDaysError) as error:
            raise _limit_exceeded(error) from None
        if message_ids is not None:
            digest = message_digest(_within_depth(body))
            try:  # in a thread: the store's busy timeout waits there, not in the event loop
                kept = await run_in_threadpool(message_ids.accept, header.sender_id, header.message_id, digest)
            except sqlite3.Error as error:  # nothing recorded: the message may come again
                return unavailable(http, refuse, header, NOT_ACCEPTED, "dci message id not recorded", error)
            if kept is not None:
                return replayed(http, kept)
    except RejectedError as rejection:
        http.state.dci_status = rejection.code
        return refuse(header, rejection)
    return Received(header, message, prepared, token)


def unavailable(
    http: Request,
    refuse: Refuse,
    header: MsgHeader,
    message: str,
    logged: str,
    error: Exception,
    *cleanups: Callable[[], None],
) -> Response:
    """The route's refusal of a message the shared store could not take (busy past its timeout): a 503
    ``err.service.unavailable`` with ``Retry-After``, ``logged`` with the error's type (never the message nor its
    ids); ``cleanups`` run once it is sent (the store may still be busy: each may fail, and is left to its own
    fallback)."""
    log.warning("%s: %s", logged, type(error).__name__)
    http.state.dci_status = STORE_UNAVAILABLE
    refused = refuse(header, RejectedError(STORE_UNAVAILABLE, message))
    refused.headers["Retry-After"] = RETRY_AFTER
    if cleanups:
        refused.background = BackgroundTask(_run_quietly, cleanups)
    return refused


def _run_quietly(cleanups: tuple[Callable[[], None], ...]) -> None:
    """Run each of ``cleanups``, a store still busy leaving one undone (each says how it is done later)."""
    for cleanup in cleanups:
        try:
            cleanup()
        except sqlite3.Error as error:
            log.warning("dci store still busy: %s", type(error).__name__)


def _limit_exceeded(error: RequestValidationError | TooManyRulesDaysError) -> Exception:
    """A message over a limit of the service as the route refuses it (a 413): ``rjct.total_count.limit_exceeded``,
    the specification's reason for a message with more than the receiver takes, saying which limit, where and how to
    split the message; any other error as it is (a 422 naming each field)."""
    body = over_limit(error)
    if body is None:
        return error
    problems = "; ".join(f"{item['field']}: {item['message']}" for item in body.get("errors", ())[:3])
    text = f"{body['error']} ({problems}); expected {body['expected']}"
    return RejectedError(LIMIT_EXCEEDED, text if len(text) <= MAX_REASON else text[: MAX_REASON - 3] + "...")


def _within_depth(body: dict[str, Any]) -> dict[str, Any]:
    """``body``, if it nests no deeper than :data:`MAX_MESSAGE_DEPTH`, else the 422 naming its part that does: a
    value the message may carry unread (``header.meta``, a person's ``address``) nested deeper than its digest
    can be written was a 500."""
    for part in ("header", "message"):
        if nested_deeper(body.get(part), MAX_MESSAGE_DEPTH):
            expected = f"at most {MAX_MESSAGE_DEPTH} levels of objects and lists (a DCI message nests about ten)"
            problem = {"type": "nested_too_deep", "loc": ("body", part), "msg": f"{part} nests too deep"}
            raise RequestValidationError([{**problem, "ctx": {"expected": expected}}])
    return body


def replayed(http: Request, reply: Reply) -> Response:
    """The answer kept for a message sent again with the same content (``docs/dci.md``, "Duplicates"): as first
    sent, marked ``Idempotent-Replayed``; its correlation id logged again, ``dci_status: replayed``."""
    http.state.dci_status = "replayed"
    if correlation_id := reply.headers.get("x-correlation-id"):
        http.state.correlation_id = correlation_id
    headers = {**reply.headers, "Idempotent-Replayed": "true"}
    return EncodedJSON(reply.content, status_code=reply.status, headers=headers)


async def keep(
    http: Request,
    message_ids: MessageStore,
    header: MsgHeader,
    answer: EncodedJSON,
    refuse: Refuse,
    *cleanups: Callable[[], None],
) -> Response:
    """``answer``, kept for the message's retries (in a thread: a large answer is a long write); or, when the
    store cannot be written (busy past its timeout), a 503 ``err.service.unavailable`` with ``Retry-After``, the
    message id released (after the answer is sent: the store may still be busy) so that the retry is answered, and
    ``cleanups`` run then too."""
    headers = {name: answer.headers[name] for name in KEPT_HEADERS if name in answer.headers}
    reply = Reply(answer.status_code, headers, bytes(answer.body))
    try:
        await run_in_threadpool(message_ids.keep, header.sender_id, header.message_id, reply)
    except sqlite3.Error as error:
        release = functools.partial(message_ids.release, header.sender_id, header.message_id)
        return unavailable(http, refuse, header, NOT_KEPT, "dci answer not kept", error, release, *cleanups)
    return answer


def settings_message_store(settings: Settings) -> MessageStore:
    """The DCI message ids store ``settings`` ask for (:mod:`openfisca_sp.decisions.dci_message_store`)."""
    return message_store(
        settings.dci_store,
        settings.dci_message_ids,
        settings.dci_message_id_ttl,
        settings.dci_answer_bytes,
        settings.dci_answer_ttl,
        settings.dci_store_busy_timeout,
    )

"""Models of the DCI envelope (DCI v1.0.0 ``registry_core``: ``MsgHeader``, ``MsgCallbackHeader``), and of the
eligibility messages it carries here (DCI defines no eligibility call: see ``docs/dci.md``).

The header's fields take the specification's names and types. ``version``,
``message_ts``, ``action`` and ``total_count`` are read as given and checked
afterwards (:func:`~openfisca_sp.decisions.dci_envelope.check_header`), so that
a wrong one is answered with its DCI reason code rather than as a field error.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, create_model

from openfisca_sp.decisions.dci_envelope import REASON_CODES, STATUSES

ReasonCode = Literal[REASON_CODES]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
MAX_ID = 256
MAX_TRANSACTION_ID = 99  # registry_core's TransactionId: maxLength 99
ENVELOPES: dict[str, type[BaseModel]] = {}  # each envelope model made, by name (for the OpenAPI components)


class MsgHeader(BaseModel):
    """A request's header (``MsgHeader_V1.0.0``)."""

    model_config = ConfigDict(extra="forbid", title="MsgHeader")

    version: StrictStr = Field("1.0.0", max_length=32, description="DCI protocol version: 1.0.0")
    message_id: StrictStr = Field(min_length=1, max_length=MAX_ID, description="Unique per sender_id")
    message_ts: StrictStr = Field(
        max_length=64, description="ISO 8601 with its time zone, e.g. 2022-12-04T17:20:07-04:00"
    )
    action: StrictStr = Field(max_length=64, description="`eligibility`")
    sender_id: StrictStr = Field(min_length=1, max_length=MAX_ID)
    sender_uri: StrictStr | None = Field(None, max_length=2048, description="Callbacks (asynchronous calls)")
    receiver_id: StrictStr | None = Field(None, max_length=MAX_ID)
    total_count: StrictInt = Field(description="The number of records in `persons`")
    is_msg_encrypted: StrictBool = Field(False, description="Encrypted messages are not accepted yet: false")
    meta: dict[str, Any] | None = None


class MsgCallbackHeader(BaseModel):
    """An answer's header (``MsgCallbackHeader_V1.0.0``)."""

    model_config = ConfigDict(title="MsgCallbackHeader")

    version: str = "1.0.0"
    message_id: str = Field(description="The request's message_id")
    message_ts: str
    action: str = Field(description="`on-eligibility`")
    status: Status
    status_reason_code: ReasonCode | None = None
    status_reason_message: str | None = None
    total_count: int
    completed_count: int
    sender_id: str | None = Field(None, description="Ours (`OPENFISCA_SP_DCI_SENDER_ID`)")
    receiver_id: str = Field(description="The request's sender_id")
    is_msg_encrypted: bool = False


class EligibilityResponseMessage(BaseModel):
    transaction_id: str
    correlation_id: str = Field(description="Generated per message; also in the X-Correlation-ID header and logs")
    eligibility_response: dict[str, Any] = Field(description="The answer of `/eligibility` for the same request")
    ibr_enrolments: list[dict[str, Any]] | None = Field(
        None, description="Asked with `ibr_enrolments: true`: each entitlement as an IBR `Beneficiary` (docs/dci.md)"
    )
    eligibility_status: list[RecordStatus] | None = Field(
        None, description="When records were rejected: each record's status, in the order sent (docs/dci.md)"
    )


class RecordStatus(BaseModel):
    """A record of ``persons``, decided or rejected (an item of a DCI ``SearchResponse``, without ``data``)."""

    reference_id: str = Field(description="The record's place in the request: `persons[2]`")
    timestamp: str
    status: Literal["succ", "rjct"]
    status_reason_code: Literal["rjct.search_criteria.invalid"] | None = Field(
        None, description="`SearchStatusReasonCode`: the record cannot be read, or is decided with one that cannot"
    )
    status_reason_message: str | None = Field(None, description="Its field, from the record, and what was expected")


class DCIEligibilityAnswer(BaseModel):
    """The answer of ``/dci/sync/eligibility``, signed when the service has a signing key."""

    model_config = ConfigDict(title="DCI eligibility answer")

    signature: str | None = Field(None, description="Ours, verified by /.well-known/jwks.json (docs/dci.md)")
    header: MsgCallbackHeader
    message: EligibilityResponseMessage | None = Field(None, description="Absent when the message is refused")


class DCIRefusal(BaseModel):
    """A message refused by its header (``status: rjct``)."""

    header: MsgCallbackHeader


ENROL = "Answer each entitlement as an IBR `Beneficiary` enrolment (`message.ibr_enrolments`), not sent to the IBR"
ENROL_ASYNC = "Answer each entitlement as an IBR `Beneficiary` enrolment, and send them to the IBR if configured"


def _envelope(request_model: type[BaseModel], prefix: str, title: str, enrol: str) -> type[BaseModel]:
    """An eligibility envelope model named ``DCI{prefix}Envelope_…``, titled ``DCI {title}``, its message
    ``{title}`` (capitalised), kept in :data:`ENVELOPES`."""
    message = create_model(
        f"{prefix}EligibilityMessage_{request_model.__name__}",
        __config__=ConfigDict(extra="forbid", title=title[0].upper() + title[1:]),
        transaction_id=(StrictStr, Field(min_length=1, max_length=MAX_TRANSACTION_ID)),
        eligibility_request=(request_model, ...),
        ibr_enrolments=(StrictBool, Field(False, description=enrol)),
    )
    envelope = create_model(
        f"DCI{prefix}Envelope_{request_model.__name__}",
        __config__=ConfigDict(extra="forbid", title=f"DCI {title}"),
        signature=(StrictStr | None, Field(None, description="Required and verified when senders' keys are set")),
        header=(MsgHeader, ...),
        message=(message, ...),
    )
    ENVELOPES[envelope.__name__] = envelope
    return envelope


@cache
def envelope_model(request_model: type[BaseModel]) -> type[BaseModel]:
    """The DCI eligibility message whose ``eligibility_request`` is ``request_model`` (an ``/eligibility``
    request), for the documentation: the route reads the header first, then the message."""
    return _envelope(request_model, "", "eligibility message", ENROL)


@cache
def async_envelope_model(request_model: type[BaseModel]) -> type[BaseModel]:
    """The asynchronous eligibility message: the synchronous one's fields, its own names and titles."""
    return _envelope(request_model, "Async", "asynchronous eligibility message", ENROL_ASYNC)

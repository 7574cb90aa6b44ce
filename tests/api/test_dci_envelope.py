"""The DCI envelope on a real server (``/dci/sync/eligibility``): decisions as ``/eligibility`` gives them, DCI
reason codes for wrong headers and duplicate message ids, answers valid against the vendored ``registry_core``
schemas (``MsgCallbackHeader_V1.0.0``)."""

from __future__ import annotations

import datetime
import uuid
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
import pytest
import yaml

from openfisca_sp.api.settings import Settings, SettingsError
from tests.api.server import Server, start

AS_OF = "2024-06-15"
SPEC = resources.files("openfisca_sp") / "data" / "dci" / "registry_core_api_v1.0.0.yaml"
PERSONS = [
    {"identifier": "LA-0001", "sex": "male", "birth_date": "1960-01-10", "contribution_months": 200},
    {
        "identifier": "LA-0002",
        "sex": "F",
        "birth_date": "1994-09-30T00:00:00Z",
        "contribution_months": 40,
        "pregnancy_outcome": "live_birth",
        "child_birth_date": "2024-05-28",
        "number_of_children_born": 1,
        "insured_wage": {f"2023-{month}": 3_000_000 for month in ("11", "12")}
        | {f"2024-0{month}": 3_000_000 for month in range(1, 5)},
    },
]


@cache
def _validator(schema: str) -> Any:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return jsonschema_rs.Draft4Validator({**spec, "$ref": f"#/components/schemas/{schema}"})


def _message(persons: list[Any] = PERSONS, **header: Any) -> dict[str, Any]:
    return {
        "signature": 'Signature: namespace="spdci", algorithm="ed25519"',
        "header": {
            "version": "1.0.0",
            "message_id": uuid.uuid4().hex,
            "message_ts": "2024-06-15T10:20:07-04:00",
            "action": "eligibility",
            "sender_id": "spp.example.org",
            "receiver_id": "openfisca-sp.example.org",
            "total_count": len(persons),
            "is_msg_encrypted": False,
            "meta": {},
            **header,
        },
        "message": {"transaction_id": "T-1", "eligibility_request": {"as_of": AS_OF, "persons": persons}},
    }


def _other_transaction(message: dict[str, Any]) -> dict[str, Any]:
    """``message`` with its ``message_id`` and another ``transaction_id``: another content (the same is a retry)."""
    return dict(message, message=dict(message["message"], transaction_id="T-other"))


def _answer_header(answer: Any) -> dict[str, Any]:
    header = answer.json()["header"]
    _validator("MsgCallbackHeader_V1.0.0").validate(header)
    assert answer.headers["x-correlation-id"]
    return header


def test_a_message_is_decided_as_eligibility_decides_it(client) -> None:
    message = _message()
    _validator("MsgHeader_V1.0.0").validate(message["header"])
    answer = client.post("/dci/sync/eligibility", json=message)
    assert answer.status_code == 200, answer.text
    header = _answer_header(answer)
    assert header["status"] == "succ" and "status_reason_code" not in header
    assert header["message_id"] == message["header"]["message_id"] and header["action"] == "on-eligibility"
    assert header["total_count"] == header["completed_count"] == 2 and header["receiver_id"] == "spp.example.org"
    body = answer.json()["message"]
    assert body["transaction_id"] == "T-1" and body["correlation_id"] == answer.headers["x-correlation-id"]
    plain = client.post("/eligibility", json={"as_of": AS_OF, "persons": PERSONS})
    assert plain.status_code == 200
    assert body["eligibility_response"] == plain.json()
    maternity = body["eligibility_response"]["persons"][1]["benefits"]["maternity"]
    assert maternity["eligible"] is True
    assert answer.headers["openfisca-sp-rules-version"] == plain.headers["openfisca-sp-rules-version"]


def test_every_jurisdiction_prefix_takes_messages(client) -> None:
    message = _message([{"sex": "male", "birth_date": "1960-01-10", "contribution_months": 300}])
    message["message"]["eligibility_request"]["branches"] = ["old_age"]
    answer = client.post("/vnm/dci/sync/eligibility", json=message)
    assert answer.status_code == 200, answer.text
    plain = client.post("/vnm/eligibility", json=message["message"]["eligibility_request"])
    assert answer.json()["message"]["eligibility_response"] == plain.json()


@pytest.mark.parametrize(
    ("header", "code", "status"),
    [
        ({"version": "2.0.0"}, "rjct.version.invalid", 400),
        ({"message_ts": "2024-06-15T10:20:07"}, "rjct.message_ts.invalid", 400),
        ({"message_ts": "15/06/2024 10:20"}, "rjct.message_ts.invalid", 400),
        ({"message_ts": "9999-12-31T23:59:59-23:59"}, "rjct.message_ts.invalid", 400),  # not a sending time
        ({"message_ts": "0001-01-01T00:00:00Z"}, "rjct.message_ts.invalid", 400),  # a zero value, never set
        ({"message_ts": "1970-01-01T00:00:00+00:00"}, "rjct.message_ts.invalid", 400),  # the Unix epoch
        ({"action": "search"}, "rjct.action.not_supported", 400),
        ({"action": "decide-please"}, "rjct.action.invalid", 400),
        ({"total_count": 3}, "rjct.total_count.invalid", 400),
        ({"total_count": -1}, "rjct.total_count.invalid", 400),
        ({"total_count": 10_001}, "rjct.total_count.limit_exceeded", 413),
    ],
)
def test_a_wrong_header_is_rejected_with_its_dci_reason_code(client, header, code, status) -> None:
    answer = client.post("/dci/sync/eligibility", json=_message(**header))
    assert answer.status_code == status, answer.text
    found = _answer_header(answer)
    assert found["status"] == "rjct" and found["status_reason_code"] == code
    assert found["status_reason_message"] and found["completed_count"] == 0
    assert "message" not in answer.json()


def test_an_encrypted_message_is_refused_not_read_as_clear(client) -> None:
    """``is_msg_encrypted: true`` is not supported (docs/dci.md): the message is refused with the DCI error
    ``err.encryption.invalid``, never decided as if its message were in clear."""
    answer = client.post("/dci/sync/eligibility", json=_message(is_msg_encrypted=True))
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["header"]["status"] == "rjct" and "message" not in body
    assert body["errors"] == [
        {"code": "err.encryption.invalid", "message": "is_msg_encrypted: encrypted messages are not supported; "
         "send false, over TLS"}
    ]  # fmt: skip


def test_a_message_id_is_accepted_once_per_sender(client) -> None:
    message = _message()
    assert client.post("/dci/sync/eligibility", json=message).status_code == 200
    again = client.post("/dci/sync/eligibility", json=_other_transaction(message))  # the same content: its answer
    assert again.status_code == 409, again.text
    assert _answer_header(again)["status_reason_code"] == "rjct.message_id.duplicate"
    other_sender = dict(message, header=dict(message["header"], sender_id="g2p.example.org"))
    assert client.post("/dci/sync/eligibility", json=other_sender).status_code == 200
    # a message refused for its content may be sent again, corrected
    wrong = _message([{"sex": "martian"}], message_id="fixed-later")
    assert client.post("/dci/sync/eligibility", json=wrong).status_code == 422
    assert client.post("/dci/sync/eligibility", json=_message(message_id="fixed-later")).status_code == 200


def test_errors_in_the_envelope_or_the_message_name_their_field(client) -> None:
    message = _message([{"sex": "martian"}])
    answer = client.post("/dci/sync/eligibility", json=message)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "message.eligibility_request.persons[0].sex"
    del message["header"]["message_id"]
    answer = client.post("/dci/sync/eligibility", json=message)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "header.message_id"
    answer = client.post("/dci/sync/eligibility", content=b"{", headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    answer = client.post("/dci/sync/eligibility", json=[1])
    assert answer.status_code == 422


def test_the_message_ids_kept_are_bounded_and_expire() -> None:
    from openfisca_sp.decisions.dci_envelope import MessageIds, RejectedError

    now = [0.0]
    ids = MessageIds(size=2, ttl=10, clock=lambda: now[0])
    ids.accept("a", "1")
    with pytest.raises(RejectedError):
        ids.accept("a", "1")
    ids.accept("a", "2")
    ids.accept("a", "3")  # the oldest, "1", forgotten
    ids.accept("a", "1")
    now[0] = 11.0  # all expired
    ids.accept("a", "3")
    assert len(ids.seen) == 1


def test_the_correlation_id_is_in_the_log_line_and_the_store_is_configured() -> None:
    server: Server = start(environment={"OPENFISCA_SP_DCI_MESSAGE_IDS": "1", "OPENFISCA_SP_DCI_MESSAGE_ID_TTL": "3600"})
    try:
        with server.client() as http:
            first, second = _message(), _message()
            answer = http.post("/dci/sync/eligibility", json=first)
            assert answer.status_code == 200
            assert http.post("/dci/sync/eligibility", json=second).status_code == 200
            assert http.post("/dci/sync/eligibility", json=first).status_code == 200  # forgotten: one id kept
            assert http.post("/dci/sync/eligibility", json=_other_transaction(first)).status_code == 409
        correlation = f'"correlation_id":"{answer.headers["x-correlation-id"]}"'
        log = server.log_with(correlation, '"dci_status":"rjct.message_id.duplicate"')
        assert correlation in log and '"dci_status":"succ"' in log
        assert '"dci_status":"rjct.message_id.duplicate"' in log
        assert "LA-0002" not in log and "spp.example.org" not in log and first["header"]["message_id"] not in log
    finally:
        server.stop()


def test_the_documented_example_is_decided(client) -> None:
    spec = client.get("/openapi.json").json()
    content = spec["paths"]["/dci/sync/eligibility"]["post"]["requestBody"]["content"]["application/json"]
    example = content["examples"]["household"]["value"]
    _validator("MsgHeader_V1.0.0").validate(example["header"])
    answer = client.post("/dci/sync/eligibility", json=example)
    assert answer.status_code == 200, answer.text
    assert _answer_header(answer)["status"] == "succ"
    assert "DCIEnvelope_EligibilityRequest_lao" in spec["components"]["schemas"]


def test_how_old_a_message_may_be_is_a_setting_of_every_dci_route() -> None:
    """A review: ``message_ts`` ``0001-01-01T00:00:00Z`` (a time never set) was accepted, bounded only ahead of our
    clock. A message older than ``OPENFISCA_SP_DCI_MESSAGE_TS_MAX_AGE`` seconds (10 years by default) is refused,
    on the synchronous, asynchronous and status routes alike."""
    assert Settings().dci_message_ts_max_age == 10 * 365 * 86_400
    assert Settings.from_environment({"OPENFISCA_SP_DCI_MESSAGE_TS_MAX_AGE": "86400"}).dci_message_ts_max_age == 86_400
    with pytest.raises(SettingsError, match="OPENFISCA_SP_DCI_MESSAGE_TS_MAX_AGE"):
        Settings.from_environment({"OPENFISCA_SP_DCI_MESSAGE_TS_MAX_AGE": "0"})
    now = datetime.datetime.now(datetime.UTC)
    old, recent = (now - datetime.timedelta(days=2)).isoformat(), (now - datetime.timedelta(hours=1)).isoformat()
    server: Server = start(environment={"OPENFISCA_SP_DCI_MESSAGE_TS_MAX_AGE": "86400"})
    try:
        with server.client() as http:
            assert http.post("/dci/sync/eligibility", json=_message(message_ts=recent)).status_code == 200
            for path, action in (
                ("/dci/sync/eligibility", "eligibility"),
                ("/dci/async/eligibility", "eligibility"),
                ("/dci/txn/status", "txn-status"),
            ):
                answer = http.post(path, json=_message(message_ts=old, action=action))
                assert answer.status_code == 400, (path, answer.text)
                found = _answer_header(answer)
                assert found["status_reason_code"] == "rjct.message_ts.invalid", path
                assert found["status_reason_message"].startswith(
                    "message_ts: expected the time the message was sent, at most 86,400 s ago"
                ), path
    finally:
        server.stop()


@pytest.mark.parametrize("moment", ["2024-06-15t10:20:07z", "2024-06-15T10:20:07.5z", "2024-06-15t10:20:07-04:00"])
def test_a_message_ts_in_rfc_3339_s_lower_case_is_a_time(client, moment: str) -> None:
    """RFC 3339 (the specification's ``format: date-time``) writes ``T`` and ``Z`` in either case: such a
    ``message_ts`` was refused, ``rjct.message_ts.invalid``, though the published schema validates it."""
    message = _message(message_ts=moment)
    _validator("MsgHeader_V1.0.0").validate(message["header"])
    answer = client.post("/dci/sync/eligibility", json=message)
    assert answer.status_code == 200, answer.text
    assert _answer_header(answer)["status"] == "succ"

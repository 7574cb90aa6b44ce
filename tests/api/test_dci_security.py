"""DCI security on a real server: OAuth2 bearer tokens (JWT), senders' Ed25519 message signatures, our signed
answers and ``/.well-known/jwks.json`` (``docs/dci.md``, "Security"), on the synchronous and asynchronous routes;
our outgoing callbacks and IBR pushes signed, with a token from a real receiver's token endpoint
(``dci_receiver.py``).

Keys are made here; requests are signed and answers verified by this file's own reading of the documented
bytes (RFC 8785 canonical JSON, BLAKE2b-512 digest, the ``(created) (expires) digest`` signing string), not by
the service's module, so a difference between the documentation and the code fails.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs
import jwt
import pytest
import rfc8785
import yaml
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from jwt.algorithms import ECAlgorithm, OKPAlgorithm

from tests.api.dci_receiver import TOKEN_AUDIENCE, TOKEN_PATH, Receiver, start_receiver
from tests.api.server import API_KEYS, Server, free_port, start

ROUTE = "/dci/sync/eligibility"
ISSUER, AUDIENCE, SCOPE = "https://auth.example.org", "openfisca-sp.example.org", "eligibility"
SENDER = "spp.example.org"
ISSUER_KEY, OTHER_KEY = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
ISSUER_EC_KEY = generate_private_key(SECP256R1())
SENDER_KEY, OUR_KEY = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
RECEIVER_KEY, CLIENT_ID, CLIENT_SECRET = Ed25519PrivateKey.generate(), "openfisca-sp-client", uuid.uuid4().hex
CALLBACK, IBR_PATH = "/callback/on-eligibility", "/registry/sync/enrollment/updates"
PERSONS = [{"identifier": "LA-0001", "sex": "male", "birth_date": "1960-01-10", "contribution_months": 200}]
SPEC = resources.files("openfisca_sp") / "data" / "dci" / "registry_core_api_v1.0.0.yaml"


def _jwk(key: Any, kid: str, algorithm: Any = OKPAlgorithm) -> dict[str, Any]:
    return {**algorithm.to_jwk(key, as_dict=True), "kid": kid}


def _token(key: Any = ISSUER_KEY, kid: str = "issuer-1", algorithm: str = "EdDSA", **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 300, "scope": f"openid {SCOPE}", **claims}
    return jwt.encode(
        {name: value for name, value in payload.items() if value is not None}, key, algorithm, {"kid": kid}
    )


def _signed_bytes(envelope: dict[str, Any], created: int, expires: int) -> bytes:
    """The documented signing string of ``envelope`` (its signature member left out)."""
    content = rfc8785.dumps({name: value for name, value in envelope.items() if name != "signature"})
    digest = base64.b64encode(hashlib.blake2b(content, digest_size=64).digest()).decode()
    return f"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest}".encode()


def _sign(envelope: dict[str, Any], key_id: str = f"{SENDER}|k1|ed25519", key: Any = SENDER_KEY, age: int = 0) -> dict:
    created = int(time.time()) - age
    expires = created + 120
    value = base64.b64encode(key.sign(_signed_bytes(envelope, created, expires))).decode()
    signature = (
        f'Signature: namespace="spdci", kidId="{key_id}", algorithm="ed25519", created="{created}", '
        f'expires="{expires}", headers="(created) (expires) digest", signature="{value}"'
    )
    return {"signature": signature, **envelope}


def _message(**header: Any) -> dict[str, Any]:
    return {
        "header": {
            "version": "1.0.0",
            "message_id": uuid.uuid4().hex,
            "message_ts": "2024-06-15T10:20:07-04:00",
            "action": "eligibility",
            "sender_id": SENDER,
            "total_count": len(PERSONS),
            **header,
        },
        "message": {"transaction_id": "T-1", "eligibility_request": {"as_of": "2024-06-15", "persons": PERSONS}},
    }


@cache
def _validator(schema: str) -> Any:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return jsonschema_rs.Draft4Validator({**spec, "$ref": f"#/components/schemas/{schema}"})


def _verify_ours(answer: dict[str, Any], jwks: dict[str, Any]) -> None:
    """The answer's signature is valid by the key our jwks.json publishes under the keyId's kid."""
    found = dict(re.findall(r'(\w+)="([^"]*)"', answer["signature"]))
    service, kid, algorithm = found["keyId"].split("|")
    assert (service, algorithm, found["headers"]) == (
        "openfisca-sp.example.org",
        "ed25519",
        "(created) (expires) digest",
    )
    (jwk,) = [key for key in jwks["keys"] if key["kid"] == kid]
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "=="))
    created, expires = int(found["created"]), int(found["expires"])
    assert created <= time.time() + 5 < expires
    public.verify(base64.b64decode(found["signature"]), _signed_bytes(answer, created, expires))


@pytest.fixture(scope="module")
def keys_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dci-keys")


@pytest.fixture(scope="module")
def receiver(keys_folder: Path) -> Iterator[Receiver]:
    """A sender's callback endpoint and an IBR, with an OAuth2 token endpoint signing with RECEIVER_KEY."""
    pem = RECEIVER_KEY.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    environment = {
        "DCI_RECEIVER_TOKEN_KEY": _write(keys_folder, "receiver.pem", pem),
        "DCI_RECEIVER_CLIENT_ID": CLIENT_ID,
        "DCI_RECEIVER_CLIENT_SECRET": CLIENT_SECRET,
    }
    running = start_receiver(free_port(), environment)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def secured(keys_folder: Path, receiver: Receiver) -> Iterator[Server]:
    folder = keys_folder
    files = {
        "issuer.json": {
            "keys": [_jwk(ISSUER_KEY.public_key(), "issuer-1"), _jwk(ISSUER_EC_KEY.public_key(), "ec-1", ECAlgorithm)]
        },
        "senders.json": {"keys": [_jwk(SENDER_KEY.public_key(), f"{SENDER}|k1")]},
        "ours.json": OKPAlgorithm.to_jwk(OUR_KEY, as_dict=True),
    }
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content), encoding="utf-8")
    running = start(
        "--workers",
        "1",
        environment={
            "OPENFISCA_SP_DCI_TOKEN_JWKS_FILE": str(folder / "issuer.json"),
            "OPENFISCA_SP_CORS_ORIGINS": "https://portal.example.org",
            "OPENFISCA_SP_DCI_TOKEN_ISSUER": ISSUER,
            "OPENFISCA_SP_DCI_TOKEN_AUDIENCE": AUDIENCE,
            "OPENFISCA_SP_DCI_TOKEN_SCOPE": SCOPE,
            "OPENFISCA_SP_DCI_SENDER_KEYS_FILE": str(folder / "senders.json"),
            "OPENFISCA_SP_DCI_SIGNING_KEY_FILE": str(folder / "ours.json"),
            "OPENFISCA_SP_DCI_SENDER_ID": "openfisca-sp.example.org",
            "OPENFISCA_SP_DCI_CALLBACK_HOSTS": "127.0.0.1",
            "OPENFISCA_SP_DCI_CALLBACK_ATTEMPTS": "2",
            "OPENFISCA_SP_DCI_IBR_URL": receiver.url + IBR_PATH,
            "OPENFISCA_SP_DCI_CLIENT_TOKEN_URL": receiver.url + TOKEN_PATH,
            "OPENFISCA_SP_DCI_CLIENT_ID": CLIENT_ID,
            "OPENFISCA_SP_DCI_CLIENT_SECRET_FILE": _write(folder, "client-secret", CLIENT_SECRET + "\n"),
        },
    )  # asynchronous transactions are per worker: one worker
    yield running
    running.stop()


def test_a_signed_message_with_a_valid_token_is_decided_and_the_answer_is_signed(secured: Server) -> None:
    token = _token()
    with secured.client(Authorization=f"Bearer {token}") as client:
        jwks = client.get("/.well-known/jwks.json").json()
        assert [sorted(key) for key in jwks["keys"]] == [["alg", "crv", "kid", "kty", "use", "x"]]
        for path in (ROUTE, f"/vnm{ROUTE}"):
            answer = client.post(path, json=_sign(_message()))
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert body["header"]["status"] == "succ" and body["message"]["eligibility_response"]["persons"]
            _verify_ours(body, jwks)
        ec = client.post(ROUTE, json=_sign(_message()), headers={"Authorization": f"Bearer {_ec_token()}"})
        assert ec.status_code == 200, ec.text
    assert token not in secured.log()  # tokens are never logged


def _ec_token() -> str:
    return _token(ISSUER_EC_KEY, "ec-1", "ES256")


@pytest.mark.parametrize(
    ("authorization", "status", "error"),
    [
        (None, 401, None),
        ("Basic dXNlcjpwYXNz", 401, None),
        ("Bearer not-a-jwt", 401, "invalid_token"),
        (lambda: f"Bearer {_token(exp=int(time.time()) - 600)}", 401, "invalid_token"),
        (lambda: f"Bearer {_token(aud='someone-else')}", 401, "invalid_token"),
        (lambda: f"Bearer {_token(iss='https://evil.example.org')}", 401, "invalid_token"),
        (lambda: f"Bearer {_token(exp=None)}", 401, "invalid_token"),
        (lambda: f"Bearer {_token(OTHER_KEY)}", 401, "invalid_token"),  # a known kid, signed by another key
        (lambda: f"Bearer {_token(OTHER_KEY, kid='unknown')}", 401, "invalid_token"),
        (lambda: f"Bearer {_token(scope='openid')}", 403, "insufficient_scope"),
    ],
    ids=["missing", "basic", "garbage", "expired", "audience", "issuer", "no-exp", "bad-key", "unknown-kid", "scope"],
)
def test_a_missing_or_wrong_token_is_refused_before_the_body_is_read(
    secured: Server, authorization: str | Callable[[], str] | None, status: int, error: str | None
) -> None:
    if callable(authorization):  # a token made when the test runs: made at collection, it could expire first
        authorization = authorization()
    headers = {"Authorization": authorization} if authorization else {}
    with secured.client(**headers) as client:
        answer = client.post(ROUTE, content=b"not even JSON", headers={"Content-Type": "application/json"})
    assert answer.status_code == status, answer.text
    (refusal,) = answer.json()["errors"]
    assert refusal["code"] == ("err.request.forbidden" if status == 403 else "err.request.unauthorized")
    challenge = answer.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="openfisca-sp"')
    assert (f'error="{error}"' in challenge) if error else ("error=" not in challenge)
    if authorization and " " in authorization:
        assert authorization.split(" ", 1)[1] not in answer.text + challenge


def _tampered() -> dict[str, Any]:
    signed = _sign(_message())
    signed["message"]["eligibility_request"]["persons"][0]["contribution_months"] = 400
    return signed


def _unsigned() -> dict[str, Any]:
    return _message()


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (_unsigned, "err.signature.missing"),
        (_tampered, "err.signature.invalid"),
        (lambda: _sign(_message(), key_id=f"{SENDER}|k2|ed25519"), "err.signature.invalid"),
        (lambda: _sign(_message(sender_id="other.example.org")), "err.signature.invalid"),
        (lambda: _sign(_message(), key=OTHER_KEY), "err.signature.invalid"),
        (lambda: _sign(_message(), age=600), "err.signature.invalid"),
        (lambda: _sign(_message(), age=-600), "err.signature.invalid"),
        (lambda: {**_sign(_message()), "signature": 'Signature: keyId="x"'}, "err.signature.invalid"),
    ],
    ids=["missing", "tampered", "unknown-key", "other-sender", "wrong-key", "expired", "future", "malformed"],
)
def test_a_missing_or_wrong_signature_is_refused_with_a_dci_error_code(secured: Server, make: Any, code: str) -> None:
    with secured.client(Authorization=f"Bearer {_token()}") as client:
        jwks = client.get("/.well-known/jwks.json").json()
        answer = client.post(ROUTE, json=make())
    assert answer.status_code == 403, answer.text
    body = answer.json()
    (error,) = body["errors"]
    assert error["code"] == code and error["message"].startswith("signature:")
    _validator("MsgCallbackHeader_V1.0.0").validate(body["header"])
    assert body["header"]["status"] == "rjct" and "status_reason_code" not in body["header"]
    _verify_ours(body, jwks)  # refusals are signed too


def test_a_refused_signature_does_not_use_up_the_message_id(secured: Server) -> None:
    message = _message()
    with secured.client(Authorization=f"Bearer {_token()}") as client:
        forged = _sign(copy.deepcopy(message), key=OTHER_KEY)
        assert client.post(ROUTE, json=forged).status_code == 403
        first = client.post(ROUTE, json=_sign(message))
        assert first.status_code == 200
        resigned = _sign(message, age=1)  # a retry signed again: its answer, as signed then
        assert client.post(ROUTE, json=resigned).content == first.content
        other = dict(message, message=dict(message["message"], transaction_id="T-other"))
        assert client.post(ROUTE, json=_sign(other)).json()["header"]["status_reason_code"] == (
            "rjct.message_id.duplicate"
        )


def test_without_security_settings_the_route_works_as_before(server: Server) -> None:
    with server.client() as open_client:  # our keys are public: no API key needed
        assert open_client.get("/.well-known/jwks.json").json() == {"keys": []}
    with server.client(**{"X-API-Key": API_KEYS[0]}) as client:
        answer = client.post(ROUTE, json=_message())  # no token, no signature
    assert answer.status_code == 200, answer.text
    assert "signature" not in answer.json() and answer.json()["header"]["status"] == "succ"


def _write(folder: Path, name: str, content: str) -> str:
    (folder / name).write_text(content, encoding="utf-8")
    return str(folder / name)


def _async(receiver: Receiver) -> dict[str, Any]:
    return _message(sender_uri=receiver.url + CALLBACK)


def _txn_status(sender_id: str = SENDER, **request: str) -> dict[str, Any]:
    header = {"message_id": uuid.uuid4().hex, "action": "txn-status", "sender_id": sender_id, "total_count": 1}
    query = {"reference_id": "R-1", "txn_type": "eligibility", **request}
    return {
        "header": {**_message()["header"], **header},
        "message": {"transaction_id": "Q", "txnstatus_request": query},
    }


def test_the_asynchronous_routes_check_tokens_and_signatures_as_the_synchronous_one(
    secured: Server, receiver: Receiver
) -> None:
    message = _async(receiver)
    with secured.client() as anonymous:
        for path in ("/dci/async/eligibility", "/dci/txn/status"):  # the token first: the body is not parsed
            refused = anonymous.post(path, content=b"not JSON", headers={"Content-Type": "application/json"})
            assert refused.status_code == 401 and refused.json()["errors"][0]["code"] == "err.request.unauthorized"
        scope = {"Authorization": f"Bearer {_token(scope='openid')}"}
        scoped = anonymous.post("/dci/async/eligibility", json=_sign(message), headers=scope)
        assert scoped.status_code == 403 and scoped.json()["errors"][0]["code"] == "err.request.forbidden"
    with secured.client(Authorization=f"Bearer {_token()}") as client:
        jwks = client.get("/.well-known/jwks.json").json()
        for forged, code in (
            (message, "err.signature.missing"),
            (_sign(message, key=OTHER_KEY), "err.signature.invalid"),
        ):
            answer = client.post("/dci/async/eligibility", json=forged)
            assert answer.status_code == 403, answer.text
            ack = answer.json()
            assert ack["message"]["ack_status"] == "ERR" and ack["message"]["error"]["code"] == code
            assert ack["header"]["status"] == "rjct" and "status_reason_code" not in ack["header"]
            _verify_ours(ack, jwks)
        accepted = client.post("/dci/async/eligibility", json=_sign(message))  # the forged ones took no message_id
        assert accepted.status_code == 202 and accepted.json()["message"]["ack_status"] == "ACK", accepted.text
        _verify_ours(accepted.json(), jwks)
        retried = client.post("/dci/async/eligibility", json=_sign(message, age=1))
        assert retried.status_code == 202 and retried.content == accepted.content  # its acknowledgement again
        other = dict(message, message=dict(message["message"], transaction_id="T-other"))
        again = client.post("/dci/async/eligibility", json=_sign(other))
        assert again.status_code == 409 and again.json()["message"]["ack_status"] == "NACK"
        _verify_ours(again.json(), jwks)
        correlation_id = accepted.json()["message"]["correlation_id"]
        query = _txn_status(attribute_type="correlation_id", attribute_value=correlation_id)
        unsigned = client.post("/dci/txn/status", json=query)
        assert unsigned.status_code == 403 and unsigned.json()["errors"][0]["code"] == "err.signature.missing"
        assert unsigned.json()["header"]["action"] == "txn-on-status"
        _verify_ours(unsigned.json(), jwks)
        other = _sign(_txn_status("other.example.org", attribute_type="correlation_id", attribute_value="x"))
        assert client.post("/dci/txn/status", json=other).json()["errors"][0]["code"] == "err.signature.invalid"
        status = client.post("/dci/txn/status", json=_sign(query))
        assert status.status_code == 200, status.text
        assert status.json()["message"]["correlation_id"] == correlation_id
        _verify_ours(status.json(), jwks)
        # the signer is the credential: its transaction is found by the id it chose too (no key is set here)
        by_id = _txn_status(attribute_type="transaction_id", attribute_value=message["message"]["transaction_id"])
        assert client.post("/dci/txn/status", json=_sign(by_id)).json()["message"]["correlation_id"] == correlation_id


def test_callbacks_and_ibr_pushes_are_signed_and_carry_our_token(secured: Server, receiver: Receiver) -> None:
    message = _async(receiver)
    message["message"]["ibr_enrolments"] = True
    with secured.client(Authorization=f"Bearer {_token()}") as client:
        jwks = client.get("/.well-known/jwks.json").json()
        answer = client.post("/dci/async/eligibility", json=_sign(message))
        assert answer.status_code == 202, answer.text
    correlation_id = answer.json()["message"]["correlation_id"]
    (callback,) = receiver.wait_for(CALLBACK, correlation_id)
    (pushed,) = receiver.wait_for(IBR_PATH, correlation_id)
    assert callback["body"]["message"]["ibr"]["status"] == "sent", callback["body"]["message"]["ibr"]
    for received in (callback, pushed):
        assert received["signature"] == received["body"]["signature"]
        _verify_ours(received["body"], jwks)  # exactly the documented bytes, by the key jwks.json publishes
        scheme, token = received["authorization"].split(" ")
        claims = jwt.decode(token, RECEIVER_KEY.public_key(), algorithms=["EdDSA"], audience=TOKEN_AUDIENCE)
        assert scheme == "Bearer" and claims["sub"] == CLIENT_ID
    asked = [item for item in receiver.received() if item["path"] == TOKEN_PATH]
    assert asked and asked[0]["body"] == {"grant_type": "client_credentials", "client_id": CLIENT_ID}
    assert len(asked) == 1  # kept until shortly before it expires (the earlier tests' callbacks used it too)
    assert CLIENT_SECRET not in secured.log() and token not in secured.log()


def test_the_synchronous_answer_offers_ibr_enrolments_when_asked_and_signs_them(
    secured: Server, receiver: Receiver
) -> None:
    pushes = len([item for item in receiver.received() if item["path"] == IBR_PATH])
    with secured.client(Authorization=f"Bearer {_token()}") as client:
        jwks = client.get("/.well-known/jwks.json").json()
        message = _message()
        message["message"]["ibr_enrolments"] = True
        answer = client.post(ROUTE, json=_sign(message))
        assert answer.status_code == 200, answer.text
        (record,) = answer.json()["message"]["ibr_enrolments"]
        assert record["@type"] == "Beneficiary" and record["member"]["member_identifier"] == "LA-0001"
        _verify_ours(answer.json(), jwks)
        plain = client.post(ROUTE, json=_sign(_message())).json()
        assert "ibr_enrolments" not in plain["message"]
    assert len([item for item in receiver.received() if item["path"] == IBR_PATH]) == pushes  # answered, not sent


def test_cors_allows_authorization_only_when_tokens_are_configured(secured: Server, server: Server) -> None:
    preflight = {
        "Origin": "https://portal.example.org",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    with secured.client() as client:
        allowed = client.options("/dci/async/eligibility", headers=preflight)
    assert allowed.status_code == 200 and "authorization" in allowed.headers["access-control-allow-headers"].lower()
    with server.client() as client:
        refused = client.options("/dci/async/eligibility", headers=preflight)
    assert (
        refused.status_code == 400
        and "authorization" not in refused.headers.get("access-control-allow-headers", "").lower()
    )


def test_a_message_nested_too_deep_for_its_canonical_form_is_refused_not_a_500(secured: Server) -> None:
    """``header.meta`` nested a thousand levels (within JSON's reading, 1,024) made the canonical JSON of the
    signature's check recurse past Python's limit: a 500 on every DCI route. It has no canonical form: its
    signature cannot be checked, so it is refused as one that is invalid, and the message id stays unused."""
    message = _message(meta={"nested": "NESTED"})
    now = int(time.time())
    message["signature"] = (
        f'Signature: kidId="{SENDER}|k1|ed25519", algorithm="ed25519", created="{now}", expires="{now + 60}", '
        'headers="(created) (expires) digest", signature="AAAA"'
    )
    raw = json.dumps(message).replace('"NESTED"', '{"a": ' * 1000 + "1" + "}" * 1000)
    headers = {"Authorization": f"Bearer {_token()}", "Content-Type": "application/json"}
    with secured.client(**headers) as client:
        for route in (ROUTE, "/dci/async/eligibility", "/vnm/dci/sync/eligibility"):
            answer = client.post(route, content=raw)
            assert answer.status_code == 403, (route, answer.text)
            (error,) = (
                answer.json()["errors"] if route != "/dci/async/eligibility" else [answer.json()["message"]["error"]]
            )
            assert error["code"] == "err.signature.invalid" and "canonical" in error["message"], error
        assert client.post(ROUTE, json=_sign(_message(message_id=message["header"]["message_id"]))).status_code == 200

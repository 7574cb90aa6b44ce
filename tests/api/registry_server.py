"""A DCI registry for the tests, as a separate process on 127.0.0.1: ``/registry/sync/search`` answers a search by
identifier (``query_type: idtype-value``) with records in the specifications' own shapes.

``python -m tests.api.registry_server social|disability|crvs PORT``. The Social Registry serves the social
specification's example Group, the Disability Registry the disability specification's example person, the CRVS
the ``dci_PersonRecord`` events of :data:`CRVS_EVENTS`. ``POST /control`` switches how it answers
(``{"mode": "up" | "down" | "slow", "delay": seconds, "failures": n, "page_size": n, "copies": n, "events": [...]}``:
down answers 503, slow waits ``delay`` before answering, ``failures`` answers 503 that many times first, ``copies``
serves each item found that many times, ``page_size`` answers that many items a page with their ``pagination``,
``events`` serves these ``data`` objects instead of its own, each found by the identifier values in it); ``GET /count``
says how many searches came, and the ``Authorization`` header and envelope of the last one (``last``).
``POST /oauth2/client/token`` gives a client-credentials token (:data:`TOKEN`), whatever the mode.

With ``REGISTRY_SENDER_ID`` and ``REGISTRY_SIGNING_KEY`` (an Ed25519 private key's PEM file) in its environment, its
answers name that ``sender_id`` and are signed as docs/dci.md says (keyId ``{sender_id}|registry-1|ed25519``),
written here from the documentation, not with the service's module; ``GET /.well-known/jwks.json`` publishes the
public key (``kid`` ``registry-1``) and the JWKs of ``"published"`` (a control), and ``/count`` says how many times
it was fetched (``jwks_fetches``); ``GET /moved`` redirects there. The control ``"signature": "bad"`` signs other bytes, ``"none"`` signs nothing.
"""

from __future__ import annotations

import base64
import copy
import datetime
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

import rfc8785
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SPECS = resources.files("openfisca_sp") / "data" / "dci"
RECORDS = "/components/schemas/SearchResponse/properties/search_response/items/properties/data/properties/reg_records"
MOTHER, FATHER, DECEASED = "9876543210", "1234567890", "7777777777"  # Alice and Bob of the social example Group
TOKEN_PATH, TOKEN = "/oauth2/client/token", "registry-test-token"
CONTROLS = {"mode": "up", "delay": 0.0, "failures": 0, "searches": 0, "page_size": None, "copies": 1, "last": None}
CONTROLS.update(events=None)
CONTROLS.update(signature="good", published=[], jwks_fetches=0)
KID, JWKS_PATH = "registry-1", "/.well-known/jwks.json"
CRVS_EVENTS: list[dict[str, Any]] = [  # a CRVS search's data: reg_event_type and dci_PersonRecord records
    {
        "reg_type": "ns:org:RegistryType:Civil",
        "reg_event_type": "spdci-common:RegistryEventType:LiveBirth",
        "reg_record_type": "person",
        "reg_records": [
            {
                "identifier_type": "BRN",
                "identifier": "BRN-2024-000123",
                "sex": "female",
                "birthdate": "2024-05-02T08:30:00+07:00",
                "parent1_identifier": {"identifier_type": "UIN", "identifier": MOTHER},
                "parent2_identifier": {"identifier_type": "UIN", "identifier": FATHER},
            }
        ],
    },
    {
        "reg_type": "ns:org:RegistryType:Civil",
        "reg_event_type": "spdci-common:RegistryEventType:Death",
        "reg_record_type": "person",
        "reg_records": {
            "identifier_type": "UIN",
            "identifier": DECEASED,
            "sex": "male",
            "birthdate": "1950-02-01T00:00:00Z",
            "deathdate": "2024-03-10T14:00:00+07:00",
        },
    },
]


def _at(document: Any, pointer: str) -> Any:
    for part in pointer.strip("/").split("/"):
        document = document[part]
    return document


def _spec_example(name: str, pointer: str) -> dict[str, Any]:
    spec = yaml.safe_load((SPECS / f"{name}_api_v1.0.0.yaml").read_text(encoding="utf-8"))
    example = copy.deepcopy(_at(spec, pointer)["example"])
    return example.get("example", example)


def _values(value: Any) -> set[str]:
    """Every identifier value anywhere in a record."""
    if isinstance(value, dict):
        found = set().union(*map(_values, value.values())) if value else set()
        for key in ("identifier_value", "identifier"):
            if isinstance(value.get(key), str):
                found.add(value[key])
        return found
    if isinstance(value, list):
        return set().union(*map(_values, value)) if value else set()
    return set()


def served(registry: str) -> list[tuple[set[str], dict[str, Any]]]:
    """What a registry serves: each answer's ``data`` and the identifier values that find it."""
    if registry == "social":
        data = {"reg_record_type": "Group", "reg_records": [_spec_example("social", RECORDS + "/items")]}
    elif registry == "disability":
        data = {"reg_record_type": "DisabledPerson", "reg_records": _spec_example("dr", RECORDS)}
    else:
        return [(_values(event["reg_records"]), event) for event in CRVS_EVENTS]
    return [(_values(data["reg_records"]), data)]


def signature(envelope: dict[str, Any], sender_id: str, key: Ed25519PrivateKey, bad: bool = False) -> str:
    """The documented ``signature`` of ``envelope``: Ed25519 over ``(created)``, ``(expires)`` and the BLAKE2b-512
    digest of its RFC 8785 form (other bytes when ``bad``)."""
    created = int(time.time())
    canonical = rfc8785.dumps({**envelope, "bad": True} if bad else envelope)
    digest = "BLAKE-512=" + base64.b64encode(hashlib.blake2b(canonical, digest_size=64).digest()).decode()
    signed = key.sign(f"(created): {created}\n(expires): {created + 300}\ndigest: {digest}".encode())
    return (
        f'Signature: namespace="spdci", keyId="{sender_id}|{KID}|ed25519", algorithm="ed25519", '
        f'created="{created}", expires="{created + 300}", headers="(created) (expires) digest", '
        f'signature="{base64.b64encode(signed).decode()}"'
    )


def public_jwk(key: Ed25519PrivateKey, kid: str = KID) -> dict[str, Any]:
    """The public JWK of ``key`` under ``kid``."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "use": "sig", "alg": "EdDSA"}


class Registry(BaseHTTPRequestHandler):
    state: dict[str, Any]
    lock = threading.Lock()

    def log_message(self, *arguments: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: Any) -> None:
        content = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def do_GET(self) -> None:
        if self.path == "/moved":  # a redirect to the JWK Set, not to be followed
            self.send_response(302)
            self.send_header("Location", JWKS_PATH)
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if self.path == JWKS_PATH:
            with self.lock:
                self.state["jwks_fetches"] += 1
            key = self.state["key"]
            return self._send(200, {"keys": ([public_jwk(key)] if key else []) + self.state["published"]})
        names = ("searches", "last", "jwks_fetches")
        self._send(200, {name: self.state[name] for name in names})

    def do_POST(self) -> None:
        content = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == TOKEN_PATH:  # a form: grant_type=client_credentials&client_id=…&client_secret=…
            if b"grant_type=client_credentials" not in content:
                return self._send(400, {"error": "unsupported_grant_type"})
            return self._send(200, {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 300})
        body = json.loads(content or b"{}")
        if self.path == "/control":
            with self.lock:
                self.state.update(CONTROLS, **body)
            return self._send(200, {key: value for key, value in self.state.items() if key not in ("served", "key")})
        with self.lock:
            self.state["searches"] += 1
            self.state["last"] = {"authorization": self.headers.get("Authorization"), "envelope": body}
            mode, failing = self.state["mode"], self.state["failures"] > 0
            self.state["failures"] -= failing
        if mode == "slow":
            time.sleep(self.state["delay"])
        if mode == "down" or failing:
            return self._send(503, {"error": "registry unavailable"})
        self._send(200, self.answer(body))

    def answer(self, envelope: dict[str, Any]) -> dict[str, Any]:
        request = envelope["message"]["search_request"][0]
        query = request["search_criteria"]["query"]
        now = datetime.datetime.now(datetime.UTC).isoformat()
        events = self.state["events"]
        listed = self.state["served"] if events is None else [(_values(data["reg_records"]), data) for data in events]
        found = [data for values, data in listed if query["value"] in values] * self.state["copies"]
        size, total = self.state["page_size"], len(found)
        pagination = {}
        if size:
            number = request["search_criteria"].get("pagination", {}).get("page_number", 1)
            found = found[(number - 1) * size : number * size]
            pagination = {"pagination": {"page_size": size, "page_number": number, "total_count": total}}
        items = [
            {"reference_id": request["reference_id"], "timestamp": now, "status": "succ", "data": data, **pagination}
            for data in found
        ] or [
            {
                "reference_id": request["reference_id"],
                "timestamp": now,
                "status": "succ",
                "data": {"reg_record_type": "person", "reg_records": []},
            }
        ]
        header = {
            "version": "1.0.0",
            "message_id": envelope["header"]["message_id"],
            "message_ts": now,
            "action": "on-search",
            "status": "succ",
            "total_count": len(found),
            "completed_count": len(found),
        }
        transaction = envelope["message"]["transaction_id"]
        answer = {
            "header": header,
            "message": {"transaction_id": transaction, "correlation_id": "c1", "search_response": items},
        }
        key, sender_id = self.state["key"], self.state["sender_id"]
        if sender_id:
            header["sender_id"] = sender_id
        if key and sender_id and self.state["signature"] != "none":
            return {"signature": signature(answer, sender_id, key, self.state["signature"] == "bad"), **answer}
        return answer


def main(registry: str, port: int) -> None:
    key = None
    if os.environ.get("REGISTRY_SIGNING_KEY"):
        with open(os.environ["REGISTRY_SIGNING_KEY"], "rb") as pem:
            key = serialization.load_pem_private_key(pem.read(), password=None)
    sender_id = os.environ.get("REGISTRY_SENDER_ID")
    Registry.state = {**CONTROLS, "served": served(registry), "key": key, "sender_id": sender_id}
    server = ThreadingHTTPServer(("127.0.0.1", port), Registry)
    server.daemon_threads = True
    print(f"registry {registry} on {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

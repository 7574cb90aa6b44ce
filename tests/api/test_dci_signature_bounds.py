"""A sender's signature valid for at most ``OPENFISCA_SP_DCI_SIGNATURE_MAX_LIFETIME`` seconds, and each of its
parameters given once, on a real server (``docs/dci.md``, "Security"): a message signed to be valid for 10**12 s
was accepted, and could be replayed once the store of message ids seen had forgotten it; a second
``signature="…"`` was accepted (the first one read)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openfisca_sp.api.settings import Settings, SettingsError
from tests.api.server import Server, start
from tests.api.test_dci_security import ROUTE, SENDER, SENDER_KEY, _jwk, _message, _signed_bytes

LIFETIME = 600


@pytest.fixture(scope="module")
def signed_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    keys = tmp_path_factory.mktemp("dci-bounds") / "senders.json"
    keys.write_text(json.dumps({"keys": [_jwk(SENDER_KEY.public_key(), f"{SENDER}|k1")]}), encoding="utf-8")
    environment = {
        "OPENFISCA_SP_DCI_SENDER_KEYS_FILE": str(keys),
        "OPENFISCA_SP_DCI_SIGNATURE_MAX_LIFETIME": str(LIFETIME),
        "OPENFISCA_SP_API_KEYS": "",
        "OPENFISCA_SP_API_KEYS_FILE": "",
    }
    running = start("--workers", "1", environment=environment)
    yield running
    running.stop()


def _signed(lifetime: int, extra: str = "") -> dict[str, Any]:
    envelope = _message()
    created = int(time.time())
    value = base64.b64encode(SENDER_KEY.sign(_signed_bytes(envelope, created, created + lifetime))).decode()
    signature = (
        f'Signature: namespace="spdci", kidId="{SENDER}|k1|ed25519", algorithm="ed25519", created="{created}", '
        f'expires="{created + lifetime}", headers="(created) (expires) digest", signature="{value}"{extra}'
    )
    return {"signature": signature, **envelope}


def _refused(server: Server, envelope: dict[str, Any]) -> str:
    with server.client() as client:
        answer = client.post(ROUTE, json=envelope)
    assert answer.status_code == 403, answer.text
    (error,) = answer.json()["errors"]
    assert error["code"] == "err.signature.invalid"
    return error["message"]


def test_a_signature_valid_longer_than_the_setting_is_refused(signed_only: Server) -> None:
    with signed_only.client() as client:
        assert client.post(ROUTE, json=_signed(LIFETIME)).status_code == 200
    assert "valid for more than 600 s" in _refused(signed_only, _signed(LIFETIME + 1))
    assert "valid for more than 600 s" in _refused(signed_only, _signed(10**12))


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (', signature="AAAA"', "signature given twice"),
        (', created="1"', "created given twice"),
        (f', keyId="{SENDER}|k1|ed25519"', "keyId and kidId both given"),
    ],
)
def test_a_signature_parameter_given_twice_is_refused(signed_only: Server, extra: str, words: str) -> None:
    assert words in _refused(signed_only, _signed(60, extra))


def test_the_lifetime_is_at_most_what_the_duplicate_store_remembers(tmp_path: Path) -> None:
    assert Settings.from_environment({}).dci_signature_max_lifetime == 3600
    assert Settings.from_environment({"OPENFISCA_SP_DCI_MESSAGE_ID_TTL": "600"}).dci_signature_max_lifetime == 480
    read = Settings.from_environment({"OPENFISCA_SP_DCI_SIGNATURE_MAX_LIFETIME": "7200"})
    assert read.dci_signature_max_lifetime == 7200
    with pytest.raises(SettingsError, match="OPENFISCA_SP_DCI_SIGNATURE_MAX_LIFETIME"):
        Settings.from_environment({"OPENFISCA_SP_DCI_SIGNATURE_MAX_LIFETIME": "86400"})

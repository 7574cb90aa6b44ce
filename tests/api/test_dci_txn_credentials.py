"""``/dci/txn/status`` answers a transaction to the credential that sent it only (security review, finding 2): with
API keys on, another key gets the answer of a transaction that does not exist (404, the same reason), whatever
identifier it names; the key that sent it finds it by each. So does a verified bearer token's client; a token the
service does not verify names no one. With ``OPENFISCA_SP_DCI_KEY_SENDERS_FILE``, a key sends for its own
``sender_id`` s only, on every DCI route. Real servers (one worker each, no signatures)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from openfisca_sp.api.setting_values import SettingsError
from openfisca_sp.api.settings import Settings
from tests.api.server import Server, free_port, start
from tests.api.test_dci_async import _acknowledged, _async_message, _settled, _status
from tests.api.test_dci_envelope import PERSONS, _message
from tests.api.test_dci_security import AUDIENCE, ISSUER, ISSUER_KEY, SENDER, _jwk, _token

KEYS = ("key-sender-one", "key-sender-two")
KEYLESS = {  # callbacks to this machine, one attempt; no API key
    "OPENFISCA_SP_DCI_CALLBACK_HOSTS": "127.0.0.1",
    "OPENFISCA_SP_DCI_CALLBACK_ATTEMPTS": "1",
    "OPENFISCA_SP_API_KEYS": "",
    "OPENFISCA_SP_API_KEYS_FILE": "",
}


@pytest.fixture(scope="module")
def keyed() -> Iterator[Server]:
    environment = {
        "OPENFISCA_SP_DCI_CALLBACK_HOSTS": "127.0.0.1",
        "OPENFISCA_SP_DCI_CALLBACK_ATTEMPTS": "1",
        "OPENFISCA_SP_DCI_CALLBACK_TIMEOUT": "2",
        "OPENFISCA_SP_API_KEYS": ",".join(KEYS),
        "OPENFISCA_SP_API_KEYS_FILE": "",
    }
    running = start("--workers", "1", environment=environment)
    yield running
    running.stop()


def test_another_key_cannot_read_a_transaction_and_the_same_key_can(keyed: Server) -> None:
    down = f"http://127.0.0.1:{free_port()}/down"  # nobody listens: the answer stays to be fetched here
    with keyed.client(**{"X-API-Key": KEYS[0]}) as owner, keyed.client(**{"X-API-Key": KEYS[1]}) as other:
        message = _async_message(down)
        correlation_id = _acknowledged(owner, message)
        identifiers = {
            "transaction_id": message["message"]["transaction_id"],
            "message_id": message["header"]["message_id"],
            "correlation_id": correlation_id,
        }
        deadline = time.monotonic() + 60
        while (mine := _status(owner, "correlation_id", correlation_id).json()["message"])["txnstatus_response"][
            "txn_status"
        ]["status"] != "succ":
            assert time.monotonic() < deadline, mine
            time.sleep(0.1)
        assert "eligibility_response" in mine["txnstatus_response"]["txn_status"]
        for attribute, value in identifiers.items():
            found = _status(owner, attribute, value)
            assert found.status_code == 200, found.text
            assert found.json()["message"]["correlation_id"] == correlation_id
            refused = _status(other, attribute, value)
            missing = _status(other, attribute, value + "-never-sent")
            assert refused.status_code == missing.status_code == 404
            assert refused.json()["header"]["status"] == "rjct"
            assert "message" not in refused.json() and "eligibility_response" not in refused.text
            # no existence leak: the same reason as for a transaction never sent
            reason = refused.json()["header"]["status_reason_message"]
            assert reason == missing.json()["header"]["status_reason_message"]


def _reads(sender: httpx.Client, readers: dict[str, httpx.Client]) -> dict[str, int]:
    """A transaction ``sender`` sent (its callback down, its answer kept here), looked up by its transaction_id
    by each of ``readers``: the status each gets."""
    message = _async_message(f"http://127.0.0.1:{free_port()}/down")
    _settled(sender, _acknowledged(sender, message))
    return {
        name: _status(reader, "transaction_id", message["message"]["transaction_id"]).status_code
        for name, reader in readers.items()
    }


@pytest.fixture(scope="module")
def tokened(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Bearer tokens verified (the issuer's keys set), no API key, no signature."""
    issuer = tmp_path_factory.mktemp("issuer") / "issuer.json"
    issuer.write_text(json.dumps({"keys": [_jwk(ISSUER_KEY.public_key(), "issuer-1")]}), encoding="utf-8")
    environment = {
        **KEYLESS,
        "OPENFISCA_SP_DCI_TOKEN_JWKS_FILE": str(issuer),
        "OPENFISCA_SP_DCI_TOKEN_ISSUER": ISSUER,
        "OPENFISCA_SP_DCI_TOKEN_AUDIENCE": AUDIENCE,
    }
    running = start("--workers", "1", environment=environment)
    yield running
    running.stop()


def _bearer(server: Server, token: str) -> httpx.Client:
    return server.client(Authorization=f"Bearer {token}")


def test_a_verified_token_reads_its_clients_transactions_only(tokened: Server) -> None:
    """The credential is the token's client (``client_id``, else ``azp``, else ``sub``) at its issuer: the
    client's next token reads what the last one sent (a client-credentials token lives minutes, a transaction an
    hour); another client's token gets the 404 of a transaction never sent. A token naming no client is its own
    credential: that token only."""
    first, again = _token(client_id="mis-a", jti="1"), _token(client_id="mis-a", jti="2")
    other, by_sub = _token(client_id="mis-b"), _token(sub="mis-a")
    anonymous, another_anonymous = _token(jti="3"), _token(jti="4")
    with (
        _bearer(tokened, first) as sender,
        _bearer(tokened, again) as same_client,
        _bearer(tokened, other) as other_client,
        _bearer(tokened, by_sub) as sub_client,
        _bearer(tokened, anonymous) as no_client,
        _bearer(tokened, another_anonymous) as no_client_again,
    ):
        readers = {"same token": sender, "same client": same_client, "other client": other_client}
        readers |= {"same client, as sub": sub_client, "no client": no_client}
        assert _reads(sender, readers) == {
            "same token": 200,
            "same client": 200,
            "other client": 404,
            "same client, as sub": 200,  # sub when the token has no client_id
            "no client": 404,
        }
        assert _reads(no_client, {"same token": no_client, "another token": no_client_again}) == {
            "same token": 200,
            "another token": 404,
        }


@pytest.fixture(scope="module")
def unverified() -> Iterator[Server]:
    """No API key, no token verified, no signature: the defaults."""
    running = start("--workers", "1", environment=KEYLESS)
    yield running
    running.stop()


def test_a_token_the_service_does_not_verify_names_no_one(unverified: Server) -> None:
    """Anyone may send any text as a token where none is verified: it is no credential, and a transaction sent
    with it is found by its correlation_id only, even with the same token."""
    with _bearer(unverified, "not-verified-anywhere") as sender:
        message = _async_message(f"http://127.0.0.1:{free_port()}/down")
        correlation_id = _acknowledged(sender, message)
        _settled(sender, correlation_id)
        refused = _status(sender, "transaction_id", message["message"]["transaction_id"])
        assert refused.status_code == 404 and "look a transaction up by its correlation_id" in refused.text
        assert _status(sender, "correlation_id", correlation_id).status_code == 200


TIED = {"key-for-spp": SENDER, "key-for-mis": "mis.example.org"}


@pytest.fixture(scope="module")
def tied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """API keys tied to senders (OPENFISCA_SP_DCI_KEY_SENDERS_FILE), beside a key of the usual setting."""
    senders: Path = tmp_path_factory.mktemp("senders") / "key-senders"
    lines = [f"{key} {sender}" for key, sender in TIED.items()]
    senders.write_text("# key, then the senders it may send for\n" + "\n".join(lines) + "\n", encoding="utf-8")
    environment = {
        **KEYLESS,
        "OPENFISCA_SP_API_KEYS": "key-untied",
        "OPENFISCA_SP_DCI_KEY_SENDERS_FILE": str(senders),
    }
    running = start("--workers", "1", environment=environment)
    yield running
    running.stop()


def test_a_key_tied_to_senders_sends_for_them_only_on_every_dci_route(tied: Server) -> None:
    """A message of ``spp.example.org`` with the key of another sender, or with a key tied to no sender, is
    refused (403, ``err.sender_id.invalid``) on the synchronous and asynchronous routes and on the status route,
    before its message_id is used up; the sender's own key is answered, and every key still opens the other
    routes."""
    down = f"http://127.0.0.1:{free_port()}/down"
    clients = {key: tied.client(**{"X-API-Key": key}) for key in (*TIED, "key-untied")}
    try:
        own = clients["key-for-spp"]
        for key in ("key-for-mis", "key-untied"):
            message = _message(PERSONS[:1])
            refused = clients[key].post("/dci/sync/eligibility", json=message)
            assert refused.status_code == 403, refused.text
            assert refused.json()["errors"][0]["code"] == "err.sender_id.invalid"
            assert own.post("/dci/sync/eligibility", json=message).status_code == 200  # its message_id unused
            acknowledgement = clients[key].post("/dci/async/eligibility", json=_async_message(down))
            assert acknowledgement.status_code == 403, acknowledgement.text
            assert acknowledgement.json()["message"]["ack_status"] == "ERR"
            assert acknowledgement.json()["message"]["error"]["code"] == "err.sender_id.invalid"
            status = _status(clients[key], "correlation_id", "0" * 32)
            assert status.status_code == 403 and "err.sender_id.invalid" in status.text
            assert clients[key].get("/variables").status_code == 200
        assert _acknowledged(own, _async_message(down))
        assert _status(own, "correlation_id", "0" * 32).status_code == 404  # its own sender: looked up
        mis = _message(PERSONS[:1], sender_id="mis.example.org")
        assert clients["key-for-mis"].post("/dci/sync/eligibility", json=mis).status_code == 200
    finally:
        for client in clients.values():
            client.close()


def test_a_bad_line_of_the_key_senders_file_is_named_by_its_number_never_its_key(tmp_path: Path) -> None:
    senders = tmp_path / "key-senders"
    senders.write_text("key-for-spp spp.example.org\nsecret-key-without-senders\n", encoding="utf-8")
    with pytest.raises(SettingsError) as refused:
        Settings.from_environment({"OPENFISCA_SP_DCI_KEY_SENDERS_FILE": str(senders)})
    assert "line 2, not shown" in str(refused.value) and "secret-key" not in str(refused.value)
    senders.write_text("key-for-spp spp.example.org # the MIS\nkey-for-spp other.example.org\n", encoding="utf-8")
    settings = Settings.from_environment({"OPENFISCA_SP_DCI_KEY_SENDERS_FILE": str(senders)})
    assert settings.api_keys == {"key-for-spp"} and "key-for-spp" not in repr(settings)
    assert settings.dci_key_senders == (("key-for-spp", frozenset({"spp.example.org", "other.example.org"})),)

"""``/dci/txn/status`` answers a transaction to the credential that sent it only (security review, finding 2): with
API keys on, another key gets the answer of a transaction that does not exist (404, the same reason), whatever
identifier it names; the key that sent it finds it by each. A real server (one worker, keys on, no signatures)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.api.server import Server, free_port, start
from tests.api.test_dci_async import _acknowledged, _async_message, _status

KEYS = ("key-sender-one", "key-sender-two")


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

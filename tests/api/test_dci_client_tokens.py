"""DCI settings read at start-up (security keys, our outgoing client credentials), and the OAuth2
client-credentials token client of outgoing messages against a real receiver's token endpoint
(``dci_receiver.py``): tokens kept while fresh, a token that cannot be had recorded as the POST's outcome."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from openfisca_sp.api.dci_callbacks import ClientCredentials, Delivery, TokenUnavailableError
from openfisca_sp.api.settings import Settings, SettingsError
from tests.api.dci_receiver import TOKEN_AUDIENCE, TOKEN_PATH, Receiver, start_receiver
from tests.api.server import free_port
from tests.api.test_dci_security import ISSUER, ISSUER_KEY, OUR_KEY, SENDER, SENDER_KEY, _jwk, _write

KEY, CLIENT, SECRET = Ed25519PrivateKey.generate(), "openfisca-sp-client", "s3cret-of-the-client"


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Receiver]:
    pem = KEY.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    environment = {
        "DCI_RECEIVER_TOKEN_KEY": _write(tmp_path_factory.mktemp("receiver"), "key.pem", pem),
        "DCI_RECEIVER_CLIENT_ID": CLIENT,
        "DCI_RECEIVER_CLIENT_SECRET": SECRET,
        "DCI_RECEIVER_TOKEN_LIFE": "120",
    }
    running = start_receiver(free_port(), environment)
    yield running
    running.stop()


def _asked(receiver: Receiver) -> int:
    return len([item for item in receiver.received() if item["path"] == TOKEN_PATH])


def _received(receiver: Receiver, path: str) -> list[dict]:
    return [item for item in receiver.received() if item["path"] == path]


def test_a_token_is_asked_once_and_sent_with_every_post_while_fresh(receiver: Receiver) -> None:
    tokens = ClientCredentials(receiver.url + TOKEN_PATH, CLIENT, SECRET, timeout=5)
    delivery = Delivery(["127.0.0.1"], timeout=5, attempts=1, tokens=tokens)
    before = _asked(receiver)

    async def twice() -> list:
        return [await delivery.post(receiver.url + "/cb/fresh", b"{}", "c0ffee", "test") for _ in range(2)]

    assert [outcome.status for outcome in asyncio.run(twice())] == ["sent", "sent"]
    assert _asked(receiver) == before + 1
    first, second = _received(receiver, "/cb/fresh")
    assert first["authorization"] == second["authorization"]
    claims = jwt.decode(first["authorization"].split(" ")[1], KEY.public_key(), ["EdDSA"], audience=TOKEN_AUDIENCE)
    assert claims["sub"] == CLIENT
    tokens._until = 0.0  # as if it were about to expire: asked again
    assert asyncio.run(delivery.post(receiver.url + "/cb/fresh", b"{}", "c0ffee", "test")).status == "sent"
    assert _asked(receiver) == before + 2


@pytest.mark.parametrize(
    ("url", "secret", "reason"),
    [
        ("{receiver}" + TOKEN_PATH, "wrong secret", "no access token (HTTP 401)"),
        ("{receiver}/status/503", SECRET, "no access token (HTTP 503)"),
        ("http://127.0.0.1:{free}/token", SECRET, "no access token (no connection: ConnectError)"),
    ],
    ids=["refused", "unavailable", "down"],
)
def test_a_token_not_had_is_the_outcome_and_nothing_is_sent(
    receiver: Receiver, url: str, secret: str, reason: str
) -> None:
    tokens = ClientCredentials(url.format(receiver=receiver.url, free=free_port()), CLIENT, secret, timeout=5)
    delivery = Delivery(["127.0.0.1"], timeout=5, attempts=2, backoff=0.01, tokens=tokens)
    outcome = asyncio.run(delivery.post(receiver.url + "/cb/never", b"{}", "c0ffee", "test"))
    assert (outcome.status, outcome.reason, outcome.attempts) == ("failed", reason, 0)
    assert not _received(receiver, "/cb/never")
    with pytest.raises(TokenUnavailableError):
        asyncio.run(tokens.authorization())


def test_our_client_credentials_are_read_from_a_file_all_three_or_none(tmp_path: Path) -> None:
    secret = _write(tmp_path, "secret", SECRET + "\n")
    environment = {
        "OPENFISCA_SP_DCI_CLIENT_TOKEN_URL": "https://auth.example.org/oauth2/client/token",
        "OPENFISCA_SP_DCI_CLIENT_ID": CLIENT,
        "OPENFISCA_SP_DCI_CLIENT_SECRET_FILE": secret,
    }
    settings = Settings.from_environment(environment)
    assert (settings.dci_client_id, settings.dci_client_secret) == (CLIENT, SECRET) and SECRET not in repr(settings)
    assert Settings().dci_client_token_url is None
    for name in environment:
        with pytest.raises(SettingsError, match=name):
            Settings.from_environment({**environment, name: ""})
    for name, value in (
        ("OPENFISCA_SP_DCI_CLIENT_TOKEN_URL", "ftp://auth.example.org/token"),
        ("OPENFISCA_SP_DCI_CLIENT_SECRET_FILE", str(tmp_path / "absent")),
        ("OPENFISCA_SP_DCI_CLIENT_SECRET_FILE", _write(tmp_path, "empty", "\n")),
    ):
        with pytest.raises(SettingsError, match=name):
            Settings.from_environment({**environment, name: value})


def test_security_settings_are_checked_at_start_up(tmp_path: Path) -> None:
    issuer = _write(tmp_path, "issuer.json", json.dumps({"keys": [_jwk(ISSUER_KEY.public_key(), "issuer-1")]}))
    with pytest.raises(SettingsError, match="OPENFISCA_SP_DCI_TOKEN_AUDIENCE"):
        Settings.from_environment({"OPENFISCA_SP_DCI_TOKEN_JWKS_FILE": issuer, "OPENFISCA_SP_DCI_TOKEN_ISSUER": ISSUER})
    with pytest.raises(SettingsError, match="OPENFISCA_SP_DCI_TOKEN_JWKS_FILE"):
        Settings.from_environment({"OPENFISCA_SP_DCI_TOKEN_ISSUER": ISSUER, "OPENFISCA_SP_DCI_TOKEN_AUDIENCE": "x"})
    private = _write(tmp_path, "private.json", json.dumps({"keys": [_jwk(SENDER_KEY, f"{SENDER}|k1")]}))
    with pytest.raises(SettingsError, match=r"OPENFISCA_SP_DCI_SENDER_KEYS_FILE.*public Ed25519 keys only"):
        Settings.from_environment({"OPENFISCA_SP_DCI_SENDER_KEYS_FILE": private})
    with pytest.raises(SettingsError, match="OPENFISCA_SP_DCI_SIGNING_KEY_FILE"):
        Settings.from_environment({"OPENFISCA_SP_DCI_SIGNING_KEY_FILE": _write(tmp_path, "bad.pem", "secret text")})
    with pytest.raises(SettingsError, match="readable file"):
        Settings.from_environment({"OPENFISCA_SP_DCI_SIGNING_KEY_FILE": str(tmp_path / "absent.pem")})
    text = OUR_KEY.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    settings = Settings.from_environment({"OPENFISCA_SP_DCI_SIGNING_KEY_FILE": _write(tmp_path, "ours.pem", text)})
    assert settings.dci_signing_key == text and "PRIVATE KEY" not in repr(settings)

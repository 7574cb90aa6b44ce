"""DCI message signatures (``MsgSignature``): the exact bytes signed, Ed25519 signing and verification, and the
JSON Web Keys that name the keys. No cryptography is written here: Ed25519 is the ``cryptography`` package's,
JWK parsing PyJWT's, the canonical JSON ``rfc8785``'s and the digest :mod:`hashlib`'s.

DCI v1.0.0 describes ``signature`` as a string such as::

    Signature: namespace="spdci", kidId="{sender_id}|{unique_key_id}|{algorithm}", algorithm="ed25519",
    created="1606970629", expires="1607030629", headers="(created) (expires) digest", signature="Base64(…)"

"a signature of {header}+{message} verified using the sender's signing public key". Where it is silent, this
module follows the scheme that string comes from (Beckn's HTTP signatures), over a canonical envelope:

* the **signed content** is the envelope without its ``signature`` member (``{"header": …, "message": …}``, or
  ``{"header": …}`` for a refusal), serialised by the JSON Canonicalization Scheme (RFC 8785), UTF-8;
* its **digest** is ``BLAKE-512=`` and the standard base64 of its BLAKE2b-512 hash;
* the **signing string** is ``(created): {created}\\n(expires): {expires}\\ndigest: {digest}`` (no final
  newline), signed with Ed25519; ``signature`` is the standard base64 of the 64 signature bytes.

``keyId`` (or DCI's ``kidId``) is ``{sender_id}|{unique_key_id}|ed25519``; a sender's public key is the JWK whose
``kid`` is ``{sender_id}|{unique_key_id}``, and its ``sender_id`` must be the header's. Refusals are
:class:`~openfisca_sp.decisions.dci_envelope.RejectedError` with DCI's ``err.signature.missing`` or
``err.signature.invalid`` (``Error`` codes: ``MsgHeaderStatusReasonCode`` has none for signatures).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt import PyJWK, PyJWKError
from jwt.algorithms import OKPAlgorithm

from openfisca_sp.decisions.dci_envelope import RejectedError

ALGORITHM = "ed25519"
SIGNED_HEADERS = "(created) (expires) digest"
LEEWAY = 60  # seconds of clock difference allowed on created and expires
LIFETIME = 300  # seconds our own signatures are valid
MISSING, INVALID = "err.signature.missing", "err.signature.invalid"
PARAMETER = re.compile(r'\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')


def signed_content(envelope: Mapping[str, Any]) -> bytes:
    """The bytes a signature covers: the envelope without ``signature``, in RFC 8785 canonical JSON."""
    try:
        return rfc8785.dumps({name: value for name, value in envelope.items() if name != "signature"})
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as error:
        raise RejectedError(INVALID, f"signature: the message has no canonical JSON form ({error})") from None
    except RecursionError:  # rfc8785 recurses: a message nested near JSON's own limit (1,024 levels) is past it
        raise RejectedError(INVALID, "signature: the message has no canonical JSON form (nested too deep)") from None


def digest(content: bytes) -> str:
    """``BLAKE-512=`` and the base64 of the BLAKE2b-512 hash of ``content``."""
    return "BLAKE-512=" + base64.b64encode(hashlib.blake2b(content, digest_size=64).digest()).decode()


def signing_string(created: int, expires: int, content: bytes) -> bytes:
    """The bytes signed with Ed25519 for a signature created and expiring at these Unix times."""
    return f"(created): {created}\n(expires): {expires}\ndigest: {digest(content)}".encode()


@dataclass(frozen=True)
class Signature:
    """A parsed ``signature`` string."""

    key_id: str
    created: int
    expires: int
    value: bytes

    @property
    def sender_id(self) -> str:
        return self.key_id.rsplit("|", 2)[0]

    @property
    def kid(self) -> str:
        """The ``kid`` of the JWK that verifies it: ``{sender_id}|{unique_key_id}``."""
        return self.key_id.rsplit("|", 1)[0]


def parse(text: str) -> Signature:
    """A ``signature`` string's parameters, or an ``err.signature.invalid`` rejection saying which is wrong."""
    body = text.strip()
    if body[:10].lower() in ("signature:", "signature "):
        body = body[10:]
    found: dict[str, str] = {}
    position = 0
    while position < len(body.rstrip()):
        match = PARAMETER.match(body, position)
        if match is None:
            raise RejectedError(INVALID, 'signature: expected name="value" parameters, comma-separated')
        if match.group(1) in found:  # which one would be read is a guess: a second signature="…" hides nothing
            raise RejectedError(INVALID, f"signature: parameter {match.group(1)} given twice, expected once")
        found[match.group(1)] = match.group(2)
        position = match.end()
    if "keyId" in found and "kidId" in found:
        raise RejectedError(INVALID, "signature: keyId and kidId both given, expected one of them")
    key_id = found.get("keyId", found.get("kidId", ""))
    parts = key_id.split("|")
    if len(parts) != 3 or not all(parts):
        raise RejectedError(INVALID, "signature: expected keyId (kidId) {sender_id}|{unique_key_id}|ed25519")
    if found.get("algorithm", "").lower() != ALGORITHM or parts[2].lower() != ALGORITHM:
        raise RejectedError(INVALID, "signature: expected algorithm ed25519")
    if " ".join(found.get("headers", "").split()) != SIGNED_HEADERS:
        raise RejectedError(INVALID, f'signature: expected headers="{SIGNED_HEADERS}"')
    try:
        created, expires = int(found["created"]), int(found["expires"])
        value = base64.b64decode(found["signature"], validate=True)
    except (KeyError, ValueError, binascii.Error):
        raise RejectedError(
            INVALID, "signature: expected created, expires (Unix seconds) and a base64 signature"
        ) from None
    return Signature(key_id, created, expires, value)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def thumbprint(public_key: Ed25519PublicKey) -> str:
    """The key's RFC 7638 thumbprint (SHA-256, base64url): the ``kid`` DCI's JWKS API gives a key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    members = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    return _b64url(hashlib.sha256(rfc8785.dumps(members)).digest())


def public_jwk(public_key: Ed25519PublicKey, kid: str) -> dict[str, Any]:
    """The public JWK published for ``public_key`` (``use: sig``, ``alg: EdDSA``)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw), "kid": kid, "use": "sig", "alg": "EdDSA"}


def jwks_keys(text: str) -> list[dict[str, Any]]:
    """The keys of a JWK Set (``{"keys": [...]}``) in JSON ``text``; a :class:`ValueError` if it is none."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):  # a document nested a thousand deep (a published key set is fetched)
        raise ValueError("a JSON Web Key Set (JSON)") from None
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list) or not keys or not all(isinstance(key, dict) for key in keys):
        raise ValueError('a JSON Web Key Set: {"keys": [at least one JWK]}')
    return keys


def token_keys(text: str) -> list[PyJWK]:
    """A token issuer's public keys from a JWK Set (OKP, EC or RSA keys, as PyJWT reads them)."""
    keys = jwks_keys(text)
    if any("d" in jwk or jwk.get("kty") == "oct" for jwk in keys):
        raise ValueError("public keys only (no d, no shared secret)")
    try:
        return [PyJWK(jwk) for jwk in keys]
    except PyJWKError as error:
        raise ValueError(f"keys PyJWT can read ({error})") from None


def sender_keys(text: str, sender_id: str | None = None) -> dict[str, Ed25519PublicKey]:
    """Senders' public keys by ``kid`` (``{sender_id}|{unique_key_id}``) from a JWK Set of Ed25519 keys.

    With ``sender_id`` (a JWK Set that sender publishes), a ``kid`` may be the ``unique_key_id`` alone (as DCI's
    JWKS API names keys), keys of another type are passed over, and one naming another sender is refused."""
    found: dict[str, Ed25519PublicKey] = {}
    for jwk in jwks_keys(text):
        kid = jwk.get("kid")
        if sender_id is not None and isinstance(kid, str) and kid and "|" not in kid:
            kid = f"{sender_id}|{kid}"
        if not isinstance(kid, str) or kid.count("|") != 1 or not all(kid.split("|")):
            raise ValueError("each JWK with a kid {sender_id}|{unique_key_id}")
        if sender_id is not None and (kid.split("|")[0] != sender_id or "d" in jwk):
            raise ValueError(f"public keys of {sender_id} only: not kid {kid}")
        if sender_id is not None and (jwk.get("kty"), jwk.get("crv")) != ("OKP", "Ed25519"):
            continue  # a sender may publish keys of other uses beside its signing keys
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" in jwk:
            raise ValueError(f"public Ed25519 keys only (kty OKP, crv Ed25519, no d): not kid {kid}")
        try:
            key = OKPAlgorithm.from_jwk({name: value for name, value in jwk.items() if name != "alg"})
        except Exception as error:  # PyJWT raises InvalidKeyError or ValueError for a malformed key
            raise ValueError(f"a valid Ed25519 JWK for kid {kid} ({error})") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"a public Ed25519 key for kid {kid}")
        found[kid] = key
    if not found:
        raise ValueError("at least one Ed25519 key (kty OKP, crv Ed25519)")
    return found


def private_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM (PKCS #8) or a JWK (``kty OKP``, ``crv Ed25519``, with ``d``)."""
    stripped = text.strip()
    try:
        if stripped.startswith("{"):
            key = OKPAlgorithm.from_jwk(stripped)
        else:
            key = serialization.load_pem_private_key(stripped.encode(), password=None)
    except Exception:  # every library error means the same here: not such a key (never echo the text)
        raise ValueError("an unencrypted Ed25519 private key, PEM (PKCS #8) or JWK with d") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("an Ed25519 private key (PEM or JWK)")
    return key


def signature_of(envelope: Mapping[str, Any], sender_id: str) -> Signature:
    """``envelope``'s parsed signature, by a key of ``sender_id``; else a rejection (missing or invalid)."""
    text = envelope.get("signature")
    if not isinstance(text, str) or not text.strip():
        raise RejectedError(MISSING, "signature: required (signed by a key of the sender)")
    signature = parse(text)
    if signature.sender_id != sender_id:
        raise RejectedError(INVALID, "signature: keyId names another sender than header.sender_id")
    return signature


def verify(
    envelope: Mapping[str, Any],
    signature: Signature,
    key: Ed25519PublicKey | None,
    now: float | None = None,
    leeway: int = LEEWAY,
    max_lifetime: float | None = None,
) -> None:
    """None if ``signature`` (:func:`signature_of` ``envelope``) is valid by ``key`` now; else a rejection
    (``key`` None: the keyId names no key known of the sender). With ``max_lifetime``, a signature valid for
    longer (``expires - created``, so ``expires`` at most that and ``leeway`` from now) is refused: a message
    captured could be replayed once the store of the message ids seen has forgotten it."""
    if key is None:
        raise RejectedError(INVALID, "signature: keyId names no known key of this sender")
    moment = int(time.time() if now is None else now)
    if signature.expires < signature.created:
        raise RejectedError(INVALID, "signature: expires is before created")
    if max_lifetime is not None and signature.expires - signature.created > max_lifetime:
        raise RejectedError(
            INVALID, f"signature: valid for more than {max_lifetime:g} s (expires - created), expected at most that"
        )
    if signature.created > moment + leeway:
        raise RejectedError(INVALID, "signature: created is in the future")
    if signature.expires < moment - leeway:
        raise RejectedError(INVALID, "signature: expired")
    content = signing_string(signature.created, signature.expires, signed_content(envelope))
    try:
        key.verify(signature.value, content)
    except InvalidSignature:
        raise RejectedError(INVALID, "signature: does not match the header and message sent") from None


class SenderKeys:
    """Verifies the ``signature`` of the envelopes senders send, against their public keys."""

    def __init__(self, keys: Mapping[str, Ed25519PublicKey], leeway: int = LEEWAY) -> None:
        self.keys, self.leeway = dict(keys), leeway

    def senders(self) -> frozenset[str]:
        """The senders with a key here."""
        return frozenset(kid.split("|")[0] for kid in self.keys)

    def verify(self, envelope: Mapping[str, Any], sender_id: str, now: float | None = None) -> None:
        """None if ``envelope``'s signature is valid, by a key of ``sender_id``, now; else a rejection."""
        signature = signature_of(envelope, sender_id)
        verify(envelope, signature, self.keys.get(signature.kid), now, self.leeway)


class Signer:
    """Signs our answers with our private key; ``jwks`` publishes its public half."""

    def __init__(self, key: Ed25519PrivateKey, service_id: str, lifetime: int = LIFETIME) -> None:
        self.key, self.lifetime = key, lifetime
        self.kid = thumbprint(key.public_key())
        self.key_id = f"{service_id}|{self.kid}|{ALGORITHM}"

    def sign(self, envelope: Mapping[str, Any], now: float | None = None) -> str:
        """The ``signature`` string of ``envelope`` (its ``signature`` member, if any, left out)."""
        created = int(time.time() if now is None else now)
        expires = created + self.lifetime
        value = self.key.sign(signing_string(created, expires, signed_content(envelope)))
        return (
            f'Signature: namespace="spdci", keyId="{self.key_id}", algorithm="{ALGORITHM}", created="{created}", '
            f'expires="{expires}", headers="{SIGNED_HEADERS}", signature="{base64.b64encode(value).decode()}"'
        )

    def jwks(self) -> dict[str, Any]:
        """Our JWK Set: the public key, its ``kid`` the RFC 7638 thumbprint."""
        return {"keys": [public_jwk(self.key.public_key(), self.kid)]}

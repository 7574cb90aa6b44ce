"""DCI security on the DCI routes (``docs/dci.md``, "Security"): OAuth2 bearer tokens (JWT), the senders'
message signatures, our answers' signatures and ``GET /.well-known/jwks.json``.

Each part is on only when configured (:class:`~openfisca_sp.api.settings.Settings`). Tokens are checked from
the ``Authorization`` header before the body is parsed, with PyJWT; signatures with
:mod:`openfisca_sp.decisions.dci_signatures`, by the senders' keys of a file or of the JWK Sets they publish
(:mod:`~openfisca_sp.api.dci_keys`). A token is never logged nor echoed. :meth:`DCISecurity.owner` names the
credential a message came with, to which its asynchronous transaction belongs: an API key, a verified token's
client, a verified signer (each kept as a digest or a name, never a secret). A bearer token the service does
not verify (no issuer's keys set) names no one. With ``OPENFISCA_SP_DCI_KEY_SENDERS_FILE``, an API key may send
only for the ``sender_id`` s it is given (:meth:`DCISecurity.check_sender`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool

from openfisca_sp.api.dci_callbacks import ClientCredentials, client_credentials
from openfisca_sp.api.dci_keys import KeysUnavailableError, PublishedKeys
from openfisca_sp.api.query_params import NO_QUERY_RESPONSES, no_query
from openfisca_sp.api.responses import JSONBody
from openfisca_sp.api.settings import Settings
from openfisca_sp.decisions import dci_signatures
from openfisca_sp.decisions.dci_envelope import RejectedError

JWKS_PATH = "/.well-known/jwks.json"
TOKEN_ALGORITHMS = frozenset({"EdDSA", "ES256", "ES384", "RS256", "RS384", "RS512", "PS256"})
TOKEN_LEEWAY = 60  # seconds of clock difference allowed on exp, nbf and iat
REALM = "openfisca-sp"
UNAUTHORIZED, FORBIDDEN = "err.request.unauthorized", "err.request.forbidden"
INVALID = dci_signatures.INVALID
SENDER_INVALID = "err.sender_id.invalid"  # DCI's Error code for a sender_id the credential may not use
RECEIVER_INVALID = "err.receiver_id.invalid"  # DCI's Error code for a message addressed to another receiver
CLIENT_CLAIMS = ("client_id", "azp", "sub")  # who a token was issued to (RFC 9068, OpenID Connect), first found


@dataclass(frozen=True)
class TokenRefusal:
    """Why a bearer token is refused: DCI ``Error`` code, HTTP status, RFC 6750 error and a message."""

    code: str
    status: int
    error: str | None
    message: str

    def response(self) -> JSONBody:
        """The DCI ``HttpErrorResponse`` (``{"errors": [{code, message}]}``) with its ``WWW-Authenticate``."""
        challenge = f'Bearer realm="{REALM}"'
        if self.error:
            challenge += f', error="{self.error}", error_description="{self.message}"'
        body = {"errors": [{"code": self.code, "message": self.message}]}
        return JSONBody(body, status_code=self.status, headers={"WWW-Authenticate": challenge})


def _invalid(message: str) -> TokenRefusal:
    return TokenRefusal(UNAUTHORIZED, 401, "invalid_token", message)


class TokenVerifier:
    """Checks OAuth2 client-credentials access tokens (JWT) against the authorisation server's keys."""

    def __init__(self, jwks_text: str, issuer: str, audience: str, scope: str | None = None) -> None:
        self.keys = dci_signatures.token_keys(jwks_text)
        self.issuer, self.audience, self.scope = issuer, audience, scope

    def _key(self, token: str) -> jwt.PyJWK:
        kid = jwt.get_unverified_header(token).get("kid")
        matching = [key for key in self.keys if kid is None or key.key_id == kid]
        if kid is None and len(matching) > 1:
            raise jwt.InvalidTokenError("a kid naming one of the issuer's keys")
        if not matching:
            raise jwt.InvalidKeyError("no key of the issuer has this kid")
        return matching[0]

    def check(self, authorization: str | None) -> TokenRefusal | str:
        """The credential a valid bearer token in ``authorization`` (the header's value) names
        (:func:`token_credential`), else the refusal."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return TokenRefusal(UNAUTHORIZED, 401, None, "Authorization: Bearer <access token> required")
        try:
            key = self._key(token)
            if key.algorithm_name not in TOKEN_ALGORITHMS:
                return _invalid("the token's key is of an algorithm not accepted")
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm_name],
                audience=self.audience,
                issuer=self.issuer,
                leeway=TOKEN_LEEWAY,
                options={"require": ["exp", "iat", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            return _invalid("the token has expired")
        except jwt.ImmatureSignatureError:
            return _invalid("the token is not valid yet")
        except jwt.InvalidAudienceError:
            return _invalid("the token is not for this audience")
        except jwt.InvalidIssuerError:
            return _invalid("the token is not from the expected issuer")
        except jwt.MissingRequiredClaimError as error:
            return _invalid(f"the token has no {error.claim} claim")
        except (jwt.InvalidKeyError, jwt.InvalidSignatureError):
            return _invalid("the token is not signed by a key of the issuer")
        except (jwt.InvalidTokenError, ValueError, TypeError):
            return _invalid("the token is not a valid JWT")
        if self.scope and self.scope not in _scopes(claims):
            return TokenRefusal(FORBIDDEN, 403, "insufficient_scope", f"the token lacks the scope {self.scope}")
        return token_credential(claims, token)


def token_credential(claims: Mapping[str, Any], token: str) -> str:
    """The credential of a verified token: a digest of its issuer and the client it was issued to (its first
    :data:`CLIENT_CLAIMS`), so that the client's next token (a client-credentials token lives minutes) is the
    same credential; a token naming no client, a digest of the token itself (that token only). Never the token."""
    client = next((value for name in CLIENT_CLAIMS if isinstance(value := claims.get(name), str) and value), None)
    named = f"{claims.get('iss')}\0{client}" if client is not None else token
    return "token:" + hashlib.sha256(named.encode()).hexdigest()[:32]


def _scopes(claims: Mapping[str, Any]) -> set[str]:
    """The scopes a token grants: ``scope`` (space-separated, RFC 8693) or ``scp`` (a list or a string)."""
    found: set[str] = set()
    for name in ("scope", "scp"):
        value = claims.get(name)
        if isinstance(value, str):
            found.update(value.split())
        elif isinstance(value, list):
            found.update(item for item in value if isinstance(item, str))
    return found


class DCISecurity:
    """What the DCI routes enforce and sign with, and the token client of our outgoing messages, from the
    settings: each part ``None`` when not configured."""

    def __init__(self, settings: Settings) -> None:
        self.tokens = (
            TokenVerifier(
                settings.dci_token_jwks,
                settings.dci_token_issuer or "",
                settings.dci_token_audience or "",
                settings.dci_token_scope,
            )
            if settings.dci_token_jwks
            else None
        )
        self.senders = (
            dci_signatures.SenderKeys(dci_signatures.sender_keys(settings.dci_sender_keys))
            if settings.dci_sender_keys
            else None
        )
        self.published = (
            PublishedKeys(
                dict(settings.dci_sender_jwks_urls), settings.dci_sender_jwks_ttl, settings.dci_sender_jwks_refresh
            )
            if settings.dci_sender_jwks_urls
            else None
        )
        self.signer = (
            dci_signatures.Signer(dci_signatures.private_key(settings.dci_signing_key), settings.dci_sender_id)
            if settings.dci_signing_key
            else None
        )
        self.signature_lifetime = settings.dci_signature_max_lifetime  # seconds a signature may be valid
        self.sender_id = settings.dci_sender_id  # ours, in every answer's header
        self.receiver_id = settings.dci_receiver_id  # the receiver_id a message must name, if any
        self.api_keys = [key.encode() for key in sorted(settings.api_keys)]
        # OPENFISCA_SP_DCI_KEY_SENDERS_FILE: each key's sender_ids (None: keys are not tied to senders)
        self.key_senders = (
            [(key.encode(), senders) for key, senders in settings.dci_key_senders] if settings.dci_key_senders else None
        )
        # our bearer tokens for outgoing messages (callbacks, IBR pushes, registry searches): one client per app
        self.client: ClientCredentials | None = client_credentials(settings)

    def check_token(self, authorization: str | None) -> TokenRefusal | str:
        """The credential a valid token names, \"\" if tokens are not required (a token sent is then not verified,
        so names no one), else why it is refused (401 or 403)."""
        return self.tokens.check(authorization) if self.tokens else ""

    def check_sender(self, api_key: str | None, sender_id: str) -> RejectedError | None:
        """None if API keys are not tied to senders or the key ``api_key`` may send for ``sender_id``, else the
        ``err.sender_id.invalid`` rejection (a key given no sender, or none, may send for none)."""
        if self.key_senders is None:
            return None
        given = (api_key or "").encode()
        allowed = [senders for key, senders in self.key_senders if hmac.compare_digest(given, key)]
        if given and any(sender_id in senders for senders in allowed):
            return None
        return RejectedError(SENDER_INVALID, "sender_id: not one this API key may send for")

    def check_receiver(self, receiver_id: str | None) -> RejectedError | None:
        """None if the message names no ``receiver_id``, or ours (any, when ours is not set), else the
        ``err.receiver_id.invalid`` rejection: the message is for another service."""
        if self.receiver_id is None or receiver_id is None or receiver_id == self.receiver_id:
            return None
        return RejectedError(
            RECEIVER_INVALID, f"header.receiver_id: expected {self.receiver_id!r} (this service), or none"
        )

    @property
    def verifies(self) -> bool:
        """Whether senders' keys are set (a file, published JWK Sets): every message must then be signed."""
        return self.senders is not None or self.published is not None

    def owner(self, api_key: str | None, token: str, sender_id: str) -> str:
        """The credential of a message from ``sender_id`` that passed its checks, with the header ``X-API-Key``
        ``api_key`` and the verified token's credential ``token`` (:meth:`check_token`; \"\": none): the key's
        digest (the key itself is kept nowhere) if it is one of the keys, the token's, and the sender if its
        signature was verified; \"\" with none (:func:`~openfisca_sp.decisions.dci_transactions.may_read`)."""
        parts = []
        given = (api_key or "").encode()
        if given and any(hmac.compare_digest(given, key) for key in self.api_keys):
            parts.append("key:" + hashlib.sha256(given).hexdigest()[:32])
        if token:
            parts.append(token)
        if self.verifies:  # every message is then signed, by a key of its sender_id
            parts.append("signed:" + sender_id)
        return " ".join(parts)

    def knows(self, sender_id: str) -> bool:
        """Whether keys of ``sender_id`` are set (in the file, or a JWK Set it publishes)."""
        return (self.senders is not None and sender_id in self.senders.senders()) or (
            self.published is not None and sender_id in self.published.urls
        )

    async def check_signature(self, envelope: Mapping[str, Any], sender_id: str) -> RejectedError | None:
        """None if signatures are not required or this envelope's is valid by a key of ``sender_id``, else why
        not (``err.signature.invalid`` too when the sender's published keys cannot be fetched)."""
        if not self.verifies:
            return None
        try:
            signature = dci_signatures.signature_of(envelope, sender_id)
            key = await self._sender_key(sender_id, signature.kid)
            await run_in_threadpool(  # canonical JSON takes time
                dci_signatures.verify, envelope, signature, key, max_lifetime=self.signature_lifetime
            )
        except RejectedError as rejection:
            return rejection
        return None

    async def _sender_key(self, sender_id: str, kid: str) -> Ed25519PublicKey | None:
        """The key ``kid`` of ``sender_id``: the file's, else the JWK Set it publishes (fetched when needed)."""
        key = self.senders.keys.get(kid) if self.senders is not None else None
        if key is None and self.published is not None and sender_id in self.published.urls:
            try:
                key = await self.published.key(sender_id, kid)
            except KeysUnavailableError:
                raise RejectedError(INVALID, "signature: the sender's keys could not be fetched") from None
        return key

    def sign(self, envelope: Mapping[str, Any]) -> str | None:
        """Our ``signature`` of an answer's envelope, or None without a signing key."""
        return self.signer.sign(envelope) if self.signer else None

    def jwks(self) -> dict[str, Any]:
        """Our public keys (none without a signing key)."""
        return self.signer.jwks() if self.signer else {"keys": []}


def install_dci_security(app: FastAPI, settings: Settings) -> DCISecurity:
    """Keep the DCI security on ``app.state`` (the DCI routes read it) and serve our keys at ``JWKS_PATH``."""
    security = app.state.dci_security = DCISecurity(settings)
    keys = security.jwks()

    @app.get(
        JWKS_PATH,
        tags=["DCI"],
        summary="Our public keys (JWK Set, RFC 7517): they verify the signature of our DCI answers",
        response_model=None,
        dependencies=[Depends(no_query)],
        responses={200: {"description": '`{"keys": [...]}`; empty when the service signs nothing'}}
        | NO_QUERY_RESPONSES,
    )
    def jwks() -> JSONBody:
        return JSONBody(keys, headers={"Cache-Control": "public, max-age=300"})

    return security

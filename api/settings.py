"""Service settings, from the environment (``OPENFISCA_SP_*``), each checked with a clear error.

Secrets (API keys) come from the environment or a file, never from the command
line, where every local user could read them in the process list.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

from openfisca_sp.api.api_keys import KeySenders, key_senders_file, keys_file, keys_variable
from openfisca_sp.api.setting_values import SettingsError, comma_items, flag
from openfisca_sp.decisions import dci_signatures

MEBIBYTE = 1024 * 1024
DEFAULT_OPEN_PATHS = ("/health", "/ready", "/docs", "/redoc", "/openapi.json", "/explorer")
PUBLIC_KEYS = "/.well-known/jwks.json"  # always open
# A DCI message_ts older than this (10 years) is no time a message was sent: a zero value (0001-01-01T00:00:00Z, the
# Unix epoch) or a typo. Not a replay window: an unsigned message_ts proves nothing, and a tighter default would
# refuse a delivery that waited in a queue; set it to OPENFISCA_SP_DCI_MESSAGE_ID_TTL to refuse what the store forgot.
MESSAGE_TS_MAX_AGE = 10 * 365 * 86_400.0


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or below one."""
    return any(path == prefix or path.startswith(prefix.rstrip("/") + "/") for prefix in prefixes)


def _integer(minimum: int, maximum: int | None = None) -> Callable[[str, str], int]:
    def read(name: str, text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            bounds = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
            raise SettingsError(name, text, f"a whole number {bounds}")
        return value

    return read


def _number(minimum: float) -> Callable[[str, str], float]:
    def read(name: str, text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or value != value or value < minimum or value == float("inf"):
            raise SettingsError(name, text, f"a number, {minimum:g} or more")
        return value

    return read


def _paths(name: str, text: str) -> tuple[str, ...]:
    paths = comma_items(text)
    wrong = [path for path in paths if not path.startswith("/")]
    if wrong:
        raise SettingsError(name, text, "paths starting with '/', comma-separated")
    return paths


def _split(text: str) -> SplitResult:
    """``text`` split as a URL; an empty one where it is not one (an unclosed IPv6 bracket, a port that is not a
    number from 0 to 65535), so that the caller's message names the setting."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a port that is not one
    except ValueError:
        return urlsplit("")
    return parts


def _origins(name: str, text: str) -> tuple[str, ...]:
    origins = comma_items(text)
    for origin in origins:
        parts = _split(origin)
        if origin != "*" and (parts.scheme not in ("http", "https") or not parts.netloc or parts.path):
            raise SettingsError(name, text, "'*' or origins such as https://portal.example.org, comma-separated")
    return origins


def _public_url(name: str, text: str) -> str:
    parts = _split(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingsError(name, text, "an http(s) URL such as https://api.example.org/social (no query)")
    return text.strip().rstrip("/")


def _hosts(name: str, text: str) -> tuple[str, ...]:
    """Host names, or ``host:port``, comma-separated; ``*`` for any host (not advised: see docs/dci.md)."""
    hosts = tuple(host.lower() for host in comma_items(text))
    for host in hosts:
        parts = _split(f"//{host}")
        if host != "*" and (not parts.hostname or parts.path or parts.username):
            raise SettingsError(name, text, "host names or host:port (spp.example.org, 10.0.0.5:8443), comma-separated")
    return hosts


def _reforms(name: str, text: str) -> tuple[str, ...]:
    """Reforms to serve, comma-separated: shipped names or YAML reform files."""
    from openfisca_sp.reforms import served_reform

    names = comma_items(text)
    for reform in names:
        try:
            served_reform(reform)
        except ValueError as error:
            raise SettingsError(name, text, f"shipped reform names or YAML reform files ({error})") from None
    return names


def _endpoint(name: str, text: str) -> str:
    parts = _split(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.fragment:
        raise SettingsError(
            name, text, "an http(s) URL such as https://ibr.example.org/registry/sync/enrollment/updates"
        )
    return text.strip()


def _jwks_urls(name: str, text: str) -> tuple[tuple[str, str], ...]:
    """``sender_id=URL`` pairs, comma-separated: where each sender publishes its JWK Set (empty: none)."""
    expected = "sender_id=https://…/.well-known/jwks.json pairs (http or https, one per sender), comma-separated"
    pairs: dict[str, str] = {}
    for item in comma_items(text):
        sender_id, _, url = (part.strip() for part in item.partition("="))
        parts = _split(url)
        if not sender_id or "|" in sender_id or sender_id in pairs or parts.scheme not in ("http", "https"):
            raise SettingsError(name, text, expected)
        if not parts.hostname or parts.username or parts.password or parts.fragment:
            raise SettingsError(name, text, expected)
        pairs[sender_id] = url
    return tuple(pairs.items())


def _text(limit: int) -> Callable[[str, str], str]:
    def read(name: str, text: str) -> str:
        if not text.strip() or len(text.strip()) > limit:
            raise SettingsError(name, text, f"a text of 1 to {limit} characters")
        return text.strip()

    return read


def _optional_path(name: str, text: str) -> str | None:
    """A file's path, or None when set empty."""
    return _text(4096)(name, text) if text.strip() else None


def _dci_security(environ: Mapping[str, str]) -> dict[str, Any]:
    """The DCI security settings: each key file read and checked, the token's issuer and audience set with it."""
    values: dict[str, Any] = {}
    files = {
        "dci_token_jwks": ("OPENFISCA_SP_DCI_TOKEN_JWKS_FILE", dci_signatures.token_keys),
        "dci_sender_keys": ("OPENFISCA_SP_DCI_SENDER_KEYS_FILE", dci_signatures.sender_keys),
        "dci_signing_key": ("OPENFISCA_SP_DCI_SIGNING_KEY_FILE", dci_signatures.private_key),
    }
    for attribute, (name, parse) in files.items():
        if environ.get(name):
            try:
                text = Path(environ[name]).expanduser().read_text(encoding="utf-8")
            except OSError as error:
                raise SettingsError(name, environ[name], f"a readable file ({error.strerror})") from None
            try:
                parse(text)
            except ValueError as error:
                raise SettingsError(name, environ[name], f"a file holding {error}") from None
            values[attribute] = text
    token = {"dci_token_issuer": "ISSUER", "dci_token_audience": "AUDIENCE", "dci_token_scope": "SCOPE"}
    for attribute, suffix in token.items():
        if environ.get(f"OPENFISCA_SP_DCI_TOKEN_{suffix}"):
            name = f"OPENFISCA_SP_DCI_TOKEN_{suffix}"
            values[attribute] = _text(2048)(name, environ[name])
    if "dci_token_jwks" in values:
        for attribute, suffix in list(token.items())[:2]:
            if attribute not in values:
                name = f"OPENFISCA_SP_DCI_TOKEN_{suffix}"
                raise SettingsError(name, "", "set whenever OPENFISCA_SP_DCI_TOKEN_JWKS_FILE is")
    elif any(attribute in values for attribute in token):
        raise SettingsError(
            "OPENFISCA_SP_DCI_TOKEN_JWKS_FILE", "", "the token issuer's JWK Set whenever its issuer or audience is set"
        )
    return values


def _dci_client(environ: Mapping[str, str]) -> dict[str, Any]:
    """Our OAuth2 client credentials for outgoing DCI messages: the token URL, the id and the secret's file, all
    three or none."""
    names = ("OPENFISCA_SP_DCI_CLIENT_TOKEN_URL", "OPENFISCA_SP_DCI_CLIENT_ID", "OPENFISCA_SP_DCI_CLIENT_SECRET_FILE")
    if not any(environ.get(name) for name in names):
        return {}
    for name in names:
        if not environ.get(name):
            raise SettingsError(name, "", f"set whenever {' or '.join(other for other in names if other != name)} is")
    try:
        secret = Path(environ[names[2]]).expanduser().read_text(encoding="utf-8").strip()
    except OSError as error:
        raise SettingsError(names[2], environ[names[2]], f"a readable file ({error.strerror})") from None
    if not secret or "\n" in secret:
        raise SettingsError(names[2], environ[names[2]], "a file holding the client secret (one line)")
    return {
        "dci_client_token_url": _endpoint(names[0], environ[names[0]]),
        "dci_client_id": _text(256)(names[1], environ[names[1]]),
        "dci_client_secret": secret,
    }


def _signature_lifetime(environ: Mapping[str, str], values: Mapping[str, Any], defaults: Settings) -> float:
    """The longest a sender's signature may be valid: short enough that its message id is still remembered
    until it has expired (with 60 s of clock difference each way), else a captured message could be replayed
    once forgotten. Not set: an hour, or less when message ids are remembered less long."""
    ttl = values.get("dci_message_id_ttl", defaults.dci_message_id_ttl)
    longest = max(ttl - 2 * dci_signatures.LEEWAY, 1.0)
    if "dci_signature_max_lifetime" not in values:
        return min(defaults.dci_signature_max_lifetime, longest)
    lifetime = values["dci_signature_max_lifetime"]
    if lifetime > longest:
        raise SettingsError(
            "OPENFISCA_SP_DCI_SIGNATURE_MAX_LIFETIME",
            environ["OPENFISCA_SP_DCI_SIGNATURE_MAX_LIFETIME"],
            f"at most {longest:g} (OPENFISCA_SP_DCI_MESSAGE_ID_TTL less 120 s): a message id must be remembered "
            "until its signature has expired",
        )
    return lifetime


@dataclass(frozen=True)
class Settings:
    """Limits, access control and links of a running API."""

    max_body_bytes: int = 32 * MEBIBYTE  # 10,000 persons with a year of wages is about 8 MiB
    max_persons: int = 10_000
    max_rules_days: int = 120  # days whose rules decide a request's claims to one branch (months, as a rule)
    max_json_values: int = 2_000_000  # values (numbers, texts, items) in one request body
    max_reference_values: int = 10_000  # values of a situation left to openfisca-core's builder, and of /trace
    max_result_periods: int = 120  # distinct periods a /calculate situation asks results for (each computed anew)
    max_traced_periods: int = 12  # the same on /trace, whose answer holds each result's tree
    max_bytes_in_flight: int = 256 * MEBIBYTE  # request bodies held at once by one worker
    api_keys: frozenset[str] = field(default_factory=frozenset, repr=False)  # empty: no route needs a key
    # keys tied to the DCI sender_ids they may send for (OPENFISCA_SP_DCI_KEY_SENDERS_FILE; empty: not tied)
    dci_key_senders: KeySenders = field(default=(), repr=False)
    open_paths: tuple[str, ...] = DEFAULT_OPEN_PATHS  # with keys set, these routes stay open
    cors_origins: tuple[str, ...] = ()  # browser origins allowed; none: no page elsewhere may call the API
    public_url: str | None = None  # links and redirects are built from it, never from the Host header
    rate_limit_per_minute: int = 0  # per API key and worker; 0: none
    access_log: bool = True
    dci_message_ids: int = 100_000  # DCI message ids remembered (per store), to refuse duplicates
    dci_message_id_ttl: float = 86_400.0  # seconds each is remembered
    dci_answer_bytes: int = 64 * MEBIBYTE  # bytes of answers kept (per store) for messages sent again
    dci_answer_ttl: float = 3_600.0  # seconds each answer is kept at most (their personal data: as transactions)
    # seconds a message_ts may be behind our clock: older is no sending time (a zero value: 0001-01-01, 1970-01-01)
    dci_message_ts_max_age: float = MESSAGE_TS_MAX_AGE
    dci_store: str | None = None  # DCI message ids and transactions in a SQLite file every worker shares (None: memory)
    dci_store_busy_timeout: float = 5.0  # seconds a write to it waits for another writer (in a thread), then a 503
    # seconds a sender's signature may be valid (expires - created): a message is remembered until it expired
    dci_signature_max_lifetime: float = 3_600.0
    # asynchronous DCI (docs/dci.md): the hosts callbacks may go to (none by default: no SSRF), the IBR pushed to
    dci_callback_hosts: tuple[str, ...] = ()
    dci_callback_timeout: float = 10.0  # seconds per attempt (connect, read, write)
    dci_callback_attempts: int = 3  # attempts per callback or IBR push, with backoff between them
    dci_transactions: int = 1_000  # asynchronous transactions remembered (per store), with their answers
    dci_transaction_ttl: float = 3_600.0  # seconds each is remembered
    dci_transaction_bytes: int = 64 * MEBIBYTE  # bytes of their answers kept (per store), the oldest forgotten first
    dci_ibr_url: str | None = None  # an IBR's enrolment endpoint (.../registry/sync/enrollment/updates)
    dci_sender_id: str = "openfisca-sp"  # our sender_id in the messages we send (callbacks, IBR enrolments)
    dci_receiver_id: str | None = None  # the receiver_id a message must name, if any (None: any)
    # DCI security (docs/dci.md, "Security"): each part off when unset; keys from files, never the command line
    dci_token_jwks: str | None = field(default=None, repr=False)  # the token issuer's public keys (a JWK Set)
    dci_token_issuer: str | None = None  # the tokens' iss
    dci_token_audience: str | None = None  # the tokens' aud
    dci_token_scope: str | None = None  # a scope every token must grant (none: any)
    dci_sender_keys: str | None = field(default=None, repr=False)  # senders' Ed25519 public keys (a JWK Set)
    dci_sender_jwks_urls: tuple[tuple[str, str], ...] = ()  # (sender_id, URL of the JWK Set it publishes)
    dci_sender_jwks_ttl: float = 3_600.0  # seconds a sender's published keys are kept (per worker)
    dci_sender_jwks_refresh: float = 60.0  # seconds at least between two fetches of one sender's keys
    dci_signing_key: str | None = field(default=None, repr=False)  # our Ed25519 private key (PEM or JWK)
    # outgoing DCI messages (callbacks, IBR pushes): a bearer token from this OAuth2 client-credentials flow
    dci_client_token_url: str | None = None  # the authorisation server's token endpoint
    dci_client_id: str | None = None
    dci_client_secret: str | None = field(default=None, repr=False)  # from a file, never the command line
    # registries /eligibility/by-identifier searches (docs/dci.md, "Registry client"); unset: not searched
    social_registry_url: str | None = None
    disability_registry_url: str | None = None
    crvs_url: str | None = None
    registry_timeout: float = 5.0  # seconds per attempt in all (connect, send, the whole answer read)
    registry_attempts: int = 3  # attempts per search (timeouts, connection errors, 5xx, 429), with backoff
    registry_max_pages: int = 5  # pages of one search's answer read at most (more: the outcome says truncated)
    registry_max_bytes: int = 8 * MEBIBYTE  # an answer's bytes read at most, as sent and decompressed
    registry_deadline: float = 20.0  # seconds for every search of one request
    registry_concurrency: int = 32  # searches under way at once per worker
    reforms: tuple[str, ...] = ()  # applied to the law of the jurisdictions each is for (serve --reform)
    explorer_cache: str | None = None  # the folder /explorer's site is built into (None: the temporary directory's)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``OPENFISCA_SP_*`` variables (see docs/deploy.md); a bad value raises
        :class:`SettingsError` naming it."""
        environ = os.environ if environ is None else environ
        defaults = cls()
        values: dict[str, Any] = {}
        readers: dict[str, tuple[str, Callable[[str, str], Any]]] = {
            "max_body_bytes": ("OPENFISCA_SP_MAX_BODY_BYTES", _integer(1024)),
            "max_persons": ("OPENFISCA_SP_MAX_PERSONS", _integer(1, 1_000_000)),
            "max_rules_days": ("OPENFISCA_SP_MAX_RULES_DAYS", _integer(1, 100_000)),
            "max_json_values": ("OPENFISCA_SP_MAX_JSON_VALUES", _integer(1000)),
            "max_reference_values": ("OPENFISCA_SP_MAX_REFERENCE_VALUES", _integer(100)),
            "max_result_periods": ("OPENFISCA_SP_MAX_RESULT_PERIODS", _integer(1, 100_000)),
            "max_traced_periods": ("OPENFISCA_SP_MAX_TRACED_PERIODS", _integer(1, 100_000)),
            "max_bytes_in_flight": ("OPENFISCA_SP_MAX_BYTES_IN_FLIGHT", _integer(MEBIBYTE)),
            "open_paths": ("OPENFISCA_SP_OPEN_PATHS", _paths),
            "cors_origins": ("OPENFISCA_SP_CORS_ORIGINS", _origins),
            "public_url": ("OPENFISCA_SP_PUBLIC_URL", _public_url),
            "rate_limit_per_minute": ("OPENFISCA_SP_RATE_LIMIT", _integer(0)),
            "access_log": ("OPENFISCA_SP_ACCESS_LOG", flag),
            "dci_message_ids": ("OPENFISCA_SP_DCI_MESSAGE_IDS", _integer(1, 10_000_000)),
            "dci_message_id_ttl": ("OPENFISCA_SP_DCI_MESSAGE_ID_TTL", _number(1)),
            "dci_answer_bytes": ("OPENFISCA_SP_DCI_ANSWER_BYTES", _integer(0)),
            "dci_answer_ttl": ("OPENFISCA_SP_DCI_ANSWER_TTL", _number(1)),
            "dci_message_ts_max_age": ("OPENFISCA_SP_DCI_MESSAGE_TS_MAX_AGE", _number(1)),
            "dci_store": ("OPENFISCA_SP_DCI_STORE", _optional_path),
            "dci_store_busy_timeout": ("OPENFISCA_SP_DCI_STORE_BUSY_TIMEOUT", _number(0)),
            "dci_signature_max_lifetime": ("OPENFISCA_SP_DCI_SIGNATURE_MAX_LIFETIME", _number(1)),
            "dci_callback_hosts": ("OPENFISCA_SP_DCI_CALLBACK_HOSTS", _hosts),
            "dci_callback_timeout": ("OPENFISCA_SP_DCI_CALLBACK_TIMEOUT", _number(0.1)),
            "dci_callback_attempts": ("OPENFISCA_SP_DCI_CALLBACK_ATTEMPTS", _integer(1, 10)),
            "dci_transactions": ("OPENFISCA_SP_DCI_TRANSACTIONS", _integer(1, 1_000_000)),
            "dci_transaction_ttl": ("OPENFISCA_SP_DCI_TRANSACTION_TTL", _number(1)),
            "dci_transaction_bytes": ("OPENFISCA_SP_DCI_TRANSACTION_BYTES", _integer(0)),
            "dci_ibr_url": ("OPENFISCA_SP_DCI_IBR_URL", _endpoint),
            "dci_sender_id": ("OPENFISCA_SP_DCI_SENDER_ID", _text(256)),
            "dci_receiver_id": ("OPENFISCA_SP_DCI_RECEIVER_ID", _text(256)),
            "dci_sender_jwks_urls": ("OPENFISCA_SP_DCI_SENDER_JWKS_URLS", _jwks_urls),
            "dci_sender_jwks_ttl": ("OPENFISCA_SP_DCI_SENDER_JWKS_TTL", _number(1)),
            "dci_sender_jwks_refresh": ("OPENFISCA_SP_DCI_SENDER_JWKS_REFRESH", _number(0.1)),
            "social_registry_url": ("OPENFISCA_SP_SOCIAL_REGISTRY_URL", _public_url),
            "disability_registry_url": ("OPENFISCA_SP_DISABILITY_REGISTRY_URL", _public_url),
            "crvs_url": ("OPENFISCA_SP_CRVS_URL", _public_url),
            "registry_timeout": ("OPENFISCA_SP_REGISTRY_TIMEOUT", _number(0.05)),
            "registry_attempts": ("OPENFISCA_SP_REGISTRY_ATTEMPTS", _integer(1, 10)),
            "registry_max_pages": ("OPENFISCA_SP_REGISTRY_MAX_PAGES", _integer(1, 100)),
            "registry_max_bytes": ("OPENFISCA_SP_REGISTRY_MAX_BYTES", _integer(1024)),
            "registry_deadline": ("OPENFISCA_SP_REGISTRY_DEADLINE", _number(0.1)),
            "registry_concurrency": ("OPENFISCA_SP_REGISTRY_CONCURRENCY", _integer(1, 10_000)),
            "reforms": ("OPENFISCA_SP_REFORMS", _reforms),
            "explorer_cache": ("OPENFISCA_SP_EXPLORER_CACHE", _optional_path),
        }
        for attribute, (name, read) in readers.items():
            if name in environ:
                values[attribute] = read(name, environ[name])
        keys = keys_variable("OPENFISCA_SP_API_KEYS", environ.get("OPENFISCA_SP_API_KEYS", ""))
        if environ.get("OPENFISCA_SP_API_KEYS_FILE"):  # set empty: no file (the container's way to run open)
            keys |= keys_file("OPENFISCA_SP_API_KEYS_FILE", environ["OPENFISCA_SP_API_KEYS_FILE"])
        if environ.get("OPENFISCA_SP_DCI_KEY_SENDERS_FILE"):  # its keys are API keys, that send for their senders
            senders = key_senders_file(
                "OPENFISCA_SP_DCI_KEY_SENDERS_FILE", environ["OPENFISCA_SP_DCI_KEY_SENDERS_FILE"]
            )
            keys |= {key for key, _ in senders}
            values["dci_key_senders"] = senders
        values["api_keys"] = keys
        values.update(_dci_security(environ))
        values["dci_signature_max_lifetime"] = _signature_lifetime(environ, values, defaults)
        values.update(_dci_client(environ))
        if values.get("max_body_bytes", defaults.max_body_bytes) > values.get(
            "max_bytes_in_flight", defaults.max_bytes_in_flight
        ):
            raise SettingsError(
                "OPENFISCA_SP_MAX_BYTES_IN_FLIGHT",
                environ.get("OPENFISCA_SP_MAX_BYTES_IN_FLIGHT", defaults.max_bytes_in_flight),
                "at least OPENFISCA_SP_MAX_BODY_BYTES",
            )
        return cls(**values)

    def reads_no_body(self, path: str) -> bool:
        """Whether ``path`` is one of the routes open by default, none of which takes a body (health, docs,
        explorer, our public keys): a body sent there is refused unread, so that requests without a key cannot
        hold the bytes keyed requests need."""
        return _under(path, (*DEFAULT_OPEN_PATHS, PUBLIC_KEYS))

    def is_open(self, path: str) -> bool:
        """Whether ``path`` may be called without a key (always, when no key is set; our public keys always)."""
        if not self.api_keys or path == PUBLIC_KEYS:
            return True
        return _under(path, self.open_paths)

"""Outgoing DCI messages: asynchronous answers POSTed to a sender's callback, enrolments pushed to an IBR.

A callback goes to the ``sender_uri`` of the message it answers, as the DCI
``MsgHeader`` says ("sender url to accept callbacks"): the URL as given, so the
sender chooses its path (``https://spmis.example.org/callback/on-eligibility``).
A URL given by the caller is a way into the service's network (SSRF): it is
accepted only with the ``http`` or ``https`` scheme, without user or password,
and only to a host listed in ``OPENFISCA_SP_DCI_CALLBACK_HOSTS`` (none by
default; ``*`` for any). Every POST has a timeout for the whole attempt (not per
read), its answer's body is never read, it never follows a redirect, and
is tried at most ``attempts`` times, waiting ``backoff`` then twice as long after
each failure that may pass (no connection, a timeout, HTTP 429 or 5xx). Nothing
of the message is logged: only the host, the outcome and the correlation id.

With client credentials configured (:class:`ClientCredentials`), every POST
carries ``Authorization: Bearer <token>``: an OAuth2 client-credentials token,
asked of the authorisation server and kept until shortly before it expires. A
token that cannot be had is the POST's outcome (``failed``), never an exception.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx

from openfisca_sp.api.registry_reading import AnswerRefusedError, parsed, read_bounded
from openfisca_sp.api.settings import Settings
from openfisca_sp.decisions.dci_transactions import Outcome

log = logging.getLogger("openfisca_sp.api.dci")
RETRIED_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_URI = 2048
TOKEN_MAX_BYTES = 64 * 1024  # a token endpoint's answer read at most


class CallbackRefusedError(ValueError):
    """A callback URL that is not accepted, and why (the ``err.sender_uri.invalid`` of an ERR acknowledgement)."""


def _host_port(uri: str) -> tuple[str, int | None]:
    if any(character <= " " or character == "\x7f" for character in uri):  # CR, LF (a header injected) …
        raise CallbackRefusedError("sender_uri: an http(s) URL without spaces or control characters (CR, LF …)")
    try:
        parts = urlsplit(uri)
        httpx.URL(uri)  # read as the callback's client reads it: refused here, never when sending
    except (ValueError, httpx.InvalidURL):  # e.g. an IPv6 address not closed
        raise CallbackRefusedError("sender_uri: expected an http(s) URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CallbackRefusedError("sender_uri: expected an http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise CallbackRefusedError("sender_uri: a URL without user or password expected")
    try:
        port = parts.port
    except ValueError:
        raise CallbackRefusedError("sender_uri: the port is not a port") from None
    return parts.hostname.lower(), port


def _host(url: str) -> str:
    """The host of ``url``, as the log names it (never its path or query)."""
    try:
        return urlsplit(url).hostname or "no host"
    except ValueError:
        return "an unreadable URL"


class TokenUnavailableError(RuntimeError):
    """No access token could be had from the authorisation server, and why (never the secret)."""


class ClientCredentials:
    """Access tokens of the OAuth2 client-credentials grant (RFC 6749 4.4): ``grant_type=client_credentials``,
    ``client_id`` and ``client_secret`` POSTed as a form; each token kept until ``margin`` seconds (at most
    a tenth of its life) before it expires."""

    def __init__(self, url: str, client_id: str, secret: str, timeout: float = 10.0, margin: float = 30.0) -> None:
        self.url, self.client_id, self._secret = url, client_id, secret
        self.timeout, self.margin = timeout, margin
        self._token: str | None = None
        self._until = 0.0  # time.monotonic() after which the token is asked again
        self._lock: asyncio.Lock | None = None

    def forget(self) -> None:
        """Drop the token kept (the receiver refused it): the next POST asks for another."""
        self._token, self._until = None, 0.0

    async def authorization(self) -> str:
        """``Bearer <access token>``, the kept one while it is fresh; else :class:`TokenUnavailableError`."""
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:  # one request for a new token at a time, whatever the callbacks waiting
            if self._token is None or time.monotonic() >= self._until:
                self._token, life = await self._request()
                self._until = time.monotonic() + life - min(self.margin, life / 10)
            return f"Bearer {self._token}"

    async def _request(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self._secret}
        try:  # the whole request within the timeout, its answer within TOKEN_MAX_BYTES
            async with (
                asyncio.timeout(self.timeout),
                httpx.AsyncClient(
                    timeout=httpx.Timeout(self.timeout), follow_redirects=False, trust_env=False
                ) as client,
                client.stream("POST", self.url, data=form, headers={"Accept": "application/json"}) as response,
            ):
                body = await read_bounded(response, TOKEN_MAX_BYTES) if response.is_success else b""
        except (TimeoutError, httpx.TimeoutException):
            raise TokenUnavailableError("no access token (timeout)") from None
        except AnswerRefusedError as refused:
            raise TokenUnavailableError(f"no access token ({refused})") from None
        except httpx.TransportError as error:
            raise TokenUnavailableError(f"no access token (no connection: {type(error).__name__})") from None
        if not response.is_success:
            raise TokenUnavailableError(f"no access token (HTTP {response.status_code})")
        try:
            found = parsed(body)
            token, kind = found["access_token"], str(found.get("token_type", "Bearer"))
            life = float(found.get("expires_in", 300))
        except (AnswerRefusedError, KeyError, TypeError, AttributeError, ValueError):
            raise TokenUnavailableError("no access token (the answer has no access_token)") from None
        if not isinstance(token, str) or not token or kind.lower() != "bearer" or not life > 0:
            raise TokenUnavailableError("no access token (expected a bearer access_token and a positive expires_in)")
        return token, life


def client_credentials(settings: Settings) -> ClientCredentials | None:
    """The token client of our outgoing messages (callbacks, IBR pushes, registry searches), if configured."""
    if not (settings.dci_client_token_url and settings.dci_client_id and settings.dci_client_secret):
        return None
    return ClientCredentials(
        settings.dci_client_token_url, settings.dci_client_id, settings.dci_client_secret, settings.dci_callback_timeout
    )


class Delivery:
    """POSTs JSON messages with timeouts and bounded retries, to callback hosts allowed only; with a bearer
    token when ``tokens`` is set."""

    def __init__(
        self,
        hosts: Iterable[str],
        timeout: float = 10.0,
        attempts: int = 3,
        backoff: float = 0.5,
        tokens: ClientCredentials | None = None,
    ) -> None:
        self.hosts = frozenset(host.lower() for host in hosts)
        self.timeout, self.attempts, self.backoff, self.tokens = timeout, attempts, backoff, tokens

    def check(self, uri: str | None) -> str:
        """``uri`` if a callback may go there, else :class:`CallbackRefusedError` saying why."""
        if not uri:
            raise CallbackRefusedError("sender_uri: required by the asynchronous endpoint (where to POST the answer)")
        if len(uri) > MAX_URI:
            raise CallbackRefusedError(f"sender_uri: at most {MAX_URI} characters expected")
        host, port = _host_port(uri)
        if "*" in self.hosts:
            return uri
        named = f"[{host}]" if ":" in host else host  # an IPv6 address as the setting writes it
        if host not in self.hosts and named not in self.hosts and f"{named}:{port}" not in self.hosts:
            raise CallbackRefusedError(
                "sender_uri: its host is not one this service sends callbacks to (OPENFISCA_SP_DCI_CALLBACK_HOSTS)"
            )
        return uri

    async def post(self, url: str, content: bytes, correlation_id: str, what: str) -> Outcome:
        """POST ``content`` (JSON) to ``url``; the outcome says ``sent`` (2xx) or ``failed`` and why, and is
        logged (the host, never the path or the query), whatever happened."""
        outcome = Outcome()
        try:
            await self._post(url, content, correlation_id, outcome)
        except Exception as error:  # never expected (the URL was checked): a failure all the same, logged
            outcome.status, outcome.reason = "failed", f"not sent ({type(error).__name__})"
        log.info(
            "dci %s to %s: %s after %d attempt(s) (correlation_id %s)",
            what, _host(url), outcome.reason or outcome.status, outcome.attempts, correlation_id,
        )  # fmt: skip
        return outcome

    async def _post(self, url: str, content: bytes, correlation_id: str, outcome: Outcome) -> None:
        headers = {"Content-Type": "application/json", "X-Correlation-ID": correlation_id}
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(self.timeout), follow_redirects=False, trust_env=False
        ) as client:
            for attempt in range(1, self.attempts + 1):
                if self.tokens is not None:
                    try:
                        headers["Authorization"] = await self.tokens.authorization()
                    except TokenUnavailableError as error:
                        outcome.status, outcome.reason = "failed", str(error)
                        break
                outcome.attempts = attempt
                retry = await self._attempt(client, url, content, headers, outcome, self.timeout)
                if self.tokens is not None and outcome.http_status == 401:
                    self.tokens.forget()  # refused (revoked?): the next attempt asks for a new token
                    retry = True
                if not retry or attempt == self.attempts:
                    break
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))

    @staticmethod
    async def _attempt(
        client: httpx.AsyncClient, url: str, content: bytes, headers: dict[str, str], outcome: Outcome, timeout: float
    ) -> bool:
        """One POST, its result written into ``outcome``: whether trying again may help."""
        try:  # the whole attempt within the timeout (httpx's is per read); the answer's body is never read
            async with asyncio.timeout(timeout), client.stream("POST", url, content=content, headers=headers) as sent:
                response = sent
        except (TimeoutError, httpx.TimeoutException):
            outcome.status, outcome.reason = "failed", "timeout"
            return True
        except httpx.TransportError as error:
            outcome.status, outcome.reason = "failed", f"no connection ({type(error).__name__})"
            return True
        outcome.http_status = response.status_code
        if response.is_success:
            outcome.status, outcome.reason = "sent", None
            return False
        outcome.status = "failed"
        if response.is_redirect:
            outcome.reason = f"HTTP {response.status_code}: redirects are not followed"
            return False
        outcome.reason = f"HTTP {response.status_code}"
        return response.status_code in RETRIED_STATUSES

"""Senders' public keys fetched from the JWK Sets they publish (``OPENFISCA_SP_DCI_SENDER_JWKS_URLS``).

Each sender's JWK Set is fetched when a signature first needs it, with httpx: a timeout, no redirect, no proxy
from the environment, at most :data:`MAX_BYTES` read. It is kept ``ttl`` seconds per worker, then fetched again
(keys past their time are never used); a signature naming a key it does not hold fetches it again (the sender
rotated its key) at most once per ``refresh`` seconds, and a fetch that failed is tried again no sooner. Keys that
cannot be had make the signature invalid (:class:`KeysUnavailableError`), never a 500. Only the sender, the host
and why are logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from openfisca_sp.decisions import dci_signatures

log = logging.getLogger("openfisca_sp.api.dci")
MAX_BYTES = 64 * 1024  # a JWK Set larger than this is refused
TIMEOUT = 5.0  # seconds to connect, and to read or write each part


class KeysUnavailableError(RuntimeError):
    """A sender's published keys could not be fetched, and why."""


@dataclass
class _Fetched:
    keys: dict[str, Ed25519PublicKey] = field(default_factory=dict)
    until: float = 0.0  # time.monotonic() the keys are kept until
    tried: float = float("-inf")  # time.monotonic() of the last fetch, done or failed
    failure: str | None = None  # why the last fetch failed


class PublishedKeys:
    """The keys each sender of ``urls`` (sender_id -> its JWK Set's URL) publishes, fetched and kept."""

    def __init__(
        self, urls: Mapping[str, str], ttl: float = 3600.0, refresh: float = 60.0, timeout: float = TIMEOUT
    ) -> None:
        self.urls, self.ttl, self.refresh, self.timeout = dict(urls), ttl, refresh, timeout
        self._fetched: dict[str, _Fetched] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def key(self, sender_id: str, kid: str) -> Ed25519PublicKey | None:
        """The key ``kid`` of ``sender_id``, None if it publishes none such; :class:`KeysUnavailableError` if its
        keys cannot be had."""
        lock = self._locks.setdefault(sender_id, asyncio.Lock())
        async with lock:  # one fetch per sender at a time, whatever the messages waiting
            fetched = self._fetched.setdefault(sender_id, _Fetched())
            now = time.monotonic()
            expired, due = now >= fetched.until, now - fetched.tried >= self.refresh
            if (expired or kid not in fetched.keys) and (due or (expired and fetched.failure is None)):
                await self._fetch(sender_id, fetched)
            if time.monotonic() >= fetched.until:
                fetched.keys = {}  # past their time: not used, whatever the last fetch gave
            if fetched.failure and not fetched.keys:
                raise KeysUnavailableError(fetched.failure)
            return fetched.keys.get(kid)

    async def _fetch(self, sender_id: str, fetched: _Fetched) -> None:
        url = self.urls[sender_id]
        fetched.tried = time.monotonic()
        try:  # the whole fetch bounded too: a server sending a byte now and then does not hold us
            text = await asyncio.wait_for(self._download(url), self.timeout * 2)
            keys = dci_signatures.sender_keys(text, sender_id)
        except TimeoutError:
            error: Exception = KeysUnavailableError(f"not fetched within {self.timeout * 2:g} s")
        except (KeysUnavailableError, ValueError) as failed:
            error = failed
        else:
            fetched.keys, fetched.failure = keys, None
            fetched.until = time.monotonic() + self.ttl
            log.info("dci keys of %s fetched from %s: %d key(s)", sender_id, urlsplit(url).hostname, len(keys))
            return
        fetched.failure = f"{sender_id}'s keys could not be fetched ({error})"
        log.warning("dci keys of %s at %s: %s", sender_id, urlsplit(url).hostname, error)

    async def _download(self, url: str) -> str:
        """The body of ``url`` (200, at most :data:`MAX_BYTES`); else :class:`KeysUnavailableError`."""
        try:
            async with (
                httpx.AsyncClient(
                    timeout=httpx.Timeout(self.timeout), follow_redirects=False, trust_env=False
                ) as client,
                client.stream("GET", url, headers={"Accept": "application/json"}) as response,
            ):
                if response.status_code != 200:
                    raise KeysUnavailableError(f"HTTP {response.status_code}")
                content = bytearray()
                async for chunk in response.aiter_bytes():
                    content += chunk
                    if len(content) > MAX_BYTES:
                        raise KeysUnavailableError(f"larger than {MAX_BYTES} bytes")
        except httpx.TimeoutException:
            raise KeysUnavailableError(f"no answer within {self.timeout:g} s") from None
        except httpx.TransportError as error:
            raise KeysUnavailableError(f"cannot connect ({type(error).__name__})") from None
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            raise KeysUnavailableError("not UTF-8 text") from None

"""Access guards checked on the request line and headers, before a byte of the body is read.

API keys (``X-API-Key``) protect every route but the open ones
(:attr:`Settings.open_paths`); each key may be rate limited per worker.
"""

from __future__ import annotations

import hmac
import math
import time
from dataclasses import dataclass, field

from openfisca_sp.api.settings import Settings
from openfisca_sp.rules.wording import counted


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused before it is read: status, JSON body, extra headers."""

    status: int
    body: dict[str, object]
    headers: tuple[tuple[bytes, bytes], ...] = ()


def header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    """The first value of header ``name`` (lower case), if any."""
    for key, value in headers:
        if key == name:
            return value
    return None


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """A token bucket per key: ``per_minute`` requests a minute, in bursts of at most that many."""

    per_minute: int
    buckets: dict[str, _Bucket] = field(default_factory=dict)

    def wait_seconds(self, key: str, now: float | None = None) -> float:
        """0 if ``key`` may make a request now (and counts it), else how long until it may."""
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = _Bucket(float(self.per_minute), now)
        bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / rate


class AccessGuard:
    """Checks a request's key (and its rate) from its path and headers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.keys = [key.encode() for key in sorted(settings.api_keys)]
        self.limiter = RateLimiter(settings.rate_limit_per_minute) if settings.rate_limit_per_minute else None

    def check(self, path: str, headers: list[tuple[bytes, bytes]]) -> Refusal | None:
        """None if the request may go on, else the refusal to answer."""
        if self.settings.is_open(path):
            return None
        given = header(headers, b"x-api-key")
        if not given:
            return Refusal(
                401,
                {"error": "API key required", "field": "header X-API-Key", "expected": "a valid API key"},
                ((b"www-authenticate", b"APIKey"),),
            )
        matched = next((key for key in self.keys if hmac.compare_digest(given, key)), None)
        if matched is None:
            return Refusal(
                403, {"error": "API key not accepted", "field": "header X-API-Key", "expected": "a valid API key"}
            )
        if self.limiter is not None and (wait := self.limiter.wait_seconds(matched.decode())) > 0:
            seconds = max(1, math.ceil(wait))
            return Refusal(
                429,
                {
                    "error": "Too many requests for this API key",
                    "field": "header X-API-Key",
                    "expected": (
                        f"at most {counted(self.settings.rate_limit_per_minute, 'request')} a minute; "
                        f"retry in {seconds} s"
                    ),
                },
                ((b"retry-after", str(seconds).encode()),),
            )
        return None

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
from urllib.parse import urlsplit

MEBIBYTE = 1024 * 1024
DEFAULT_OPEN_PATHS = ("/health", "/ready", "/docs", "/redoc", "/openapi.json")


class SettingsError(ValueError):
    """A setting has a value the service cannot run with: which one, what it was, what was expected."""

    def __init__(self, name: str, value: Any, expected: str) -> None:
        self.name, self.value, self.expected = name, value, expected
        super().__init__(f"{name}={value!r}: expected {expected}")


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


def _flag(name: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(name, text, "true or false (1/0, yes/no)")


def _items(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _paths(name: str, text: str) -> tuple[str, ...]:
    paths = _items(text)
    wrong = [path for path in paths if not path.startswith("/")]
    if wrong:
        raise SettingsError(name, text, "paths starting with '/', comma-separated")
    return paths


def _origins(name: str, text: str) -> tuple[str, ...]:
    origins = _items(text)
    for origin in origins:
        parts = urlsplit(origin)
        if origin != "*" and (parts.scheme not in ("http", "https") or not parts.netloc or parts.path):
            raise SettingsError(name, text, "'*' or origins such as https://portal.example.org, comma-separated")
    return origins


def _public_url(name: str, text: str) -> str:
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingsError(name, text, "an http(s) URL such as https://api.example.org/social (no query)")
    return text.strip().rstrip("/")


def read_keys(text: str) -> frozenset[str]:
    """API keys: one per line or comma-separated; blank lines and ``#`` comments ignored."""
    keys = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        keys.update(_items(line))
    return frozenset(keys)


def _keys_file(name: str, text: str) -> frozenset[str]:
    path = Path(text).expanduser()
    try:
        keys = read_keys(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(name, text, f"a readable file of API keys ({error.strerror})") from None
    if not keys:
        raise SettingsError(name, text, "a file holding at least one API key")
    return keys


@dataclass(frozen=True)
class Settings:
    """Limits, access control and links of a running API."""

    max_body_bytes: int = 32 * MEBIBYTE  # 10,000 persons with a year of wages is about 8 MiB
    max_persons: int = 10_000
    max_json_values: int = 2_000_000  # values (numbers, texts, items) in one request body
    max_reference_values: int = 10_000  # values of a situation left to openfisca-core's builder, and of /trace
    max_bytes_in_flight: int = 256 * MEBIBYTE  # request bodies held at once by one worker
    api_keys: frozenset[str] = field(default_factory=frozenset)  # empty: no route needs a key
    open_paths: tuple[str, ...] = DEFAULT_OPEN_PATHS  # with keys set, these routes stay open
    cors_origins: tuple[str, ...] = ("*",)
    public_url: str | None = None  # links and redirects are built from it, never from the Host header
    rate_limit_per_minute: int = 0  # per API key and worker; 0: none
    access_log: bool = True
    dci_message_ids: int = 100_000  # DCI message ids remembered per worker, to refuse duplicates
    dci_message_id_ttl: float = 86_400.0  # seconds each is remembered

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
            "max_json_values": ("OPENFISCA_SP_MAX_JSON_VALUES", _integer(1000)),
            "max_reference_values": ("OPENFISCA_SP_MAX_REFERENCE_VALUES", _integer(100)),
            "max_bytes_in_flight": ("OPENFISCA_SP_MAX_BYTES_IN_FLIGHT", _integer(MEBIBYTE)),
            "open_paths": ("OPENFISCA_SP_OPEN_PATHS", _paths),
            "cors_origins": ("OPENFISCA_SP_CORS_ORIGINS", _origins),
            "public_url": ("OPENFISCA_SP_PUBLIC_URL", _public_url),
            "rate_limit_per_minute": ("OPENFISCA_SP_RATE_LIMIT", _integer(0)),
            "access_log": ("OPENFISCA_SP_ACCESS_LOG", _flag),
            "dci_message_ids": ("OPENFISCA_SP_DCI_MESSAGE_IDS", _integer(1, 10_000_000)),
            "dci_message_id_ttl": ("OPENFISCA_SP_DCI_MESSAGE_ID_TTL", _number(1)),
        }
        for attribute, (name, read) in readers.items():
            if name in environ:
                values[attribute] = read(name, environ[name])
        keys = read_keys(environ.get("OPENFISCA_SP_API_KEYS", ""))
        if environ.get("OPENFISCA_SP_API_KEYS_FILE"):  # set empty: no file (the container's way to run open)
            keys |= _keys_file("OPENFISCA_SP_API_KEYS_FILE", environ["OPENFISCA_SP_API_KEYS_FILE"])
        values["api_keys"] = keys
        if values.get("max_body_bytes", defaults.max_body_bytes) > values.get(
            "max_bytes_in_flight", defaults.max_bytes_in_flight
        ):
            raise SettingsError(
                "OPENFISCA_SP_MAX_BYTES_IN_FLIGHT",
                environ.get("OPENFISCA_SP_MAX_BYTES_IN_FLIGHT", defaults.max_bytes_in_flight),
                "at least OPENFISCA_SP_MAX_BODY_BYTES",
            )
        return cls(**values)

    def is_open(self, path: str) -> bool:
        """Whether ``path`` may be called without a key (always, when no key is set)."""
        if not self.api_keys:
            return True
        return any(path == open_path or path.startswith(open_path.rstrip("/") + "/") for open_path in self.open_paths)

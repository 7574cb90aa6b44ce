"""Service settings, from arguments or the environment (``OPENFISCA_SP_*``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

MEBIBYTE = 1024 * 1024


def _keys(text: str | None) -> frozenset[str]:
    return frozenset(key.strip() for key in (text or "").split(",") if key.strip())


@dataclass(frozen=True)
class Settings:
    """Limits and access control of a running API."""

    max_body_bytes: int = 32 * MEBIBYTE  # 10,000 persons with a year of wages is about 8 MiB
    max_persons: int = 10_000
    api_keys: frozenset[str] = field(default_factory=frozenset)  # empty: the eligibility endpoints are open
    access_log: bool = True

    @classmethod
    def from_environment(cls) -> Settings:
        """Settings from ``OPENFISCA_SP_MAX_BODY_BYTES``, ``OPENFISCA_SP_MAX_PERSONS``, ``OPENFISCA_SP_API_KEYS``."""
        defaults = cls()
        return cls(
            max_body_bytes=int(os.environ.get("OPENFISCA_SP_MAX_BODY_BYTES", defaults.max_body_bytes)),
            max_persons=int(os.environ.get("OPENFISCA_SP_MAX_PERSONS", defaults.max_persons)),
            api_keys=_keys(os.environ.get("OPENFISCA_SP_API_KEYS")),
            access_log=os.environ.get("OPENFISCA_SP_ACCESS_LOG", "1") not in ("0", "false", "no"),
        )

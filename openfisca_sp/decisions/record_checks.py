"""The records and branches a Python caller gives :func:`~.claims.decide_claims`, checked before they are read
(the HTTP routes check theirs with their request models, and pass records already read)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.wording import abridged, noun_for

MAX_NAMES_TOLD = 20  # unknown names an error lists at most
# A person's identity, which /eligibility reads beside the facts: a record copied from a request may hold them
IDENTITY_FIELDS = ("identifier", "household_identifier", "relationship_head")


def check_records(records: Sequence[Any], facts: Iterable[str]) -> None:
    """Each record a mapping of fact names, each name a fact of the rules or of the person's identity
    (:data:`IDENTITY_FIELDS`, not read here): a mistyped ``sexe`` was dropped in silence (the decision said the sex
    was missing), a record given as text raised ``AttributeError``."""
    known = {*facts, *IDENTITY_FIELDS}
    unknown: dict[str, int] = {}
    for row, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise TypeError(f"record {row} is a mapping of fact names to values, not {type(record).__name__}")
        for name in record:
            if name not in known:
                unknown.setdefault(name, row)
    if unknown:
        told = [
            f"{abridged(name)} (record {row}{_closest(name, known)})"
            for name, row in list(unknown.items())[:MAX_NAMES_TOLD]
        ]
        more = f" and {len(unknown) - MAX_NAMES_TOLD:,} more" if len(unknown) > MAX_NAMES_TOLD else ""
        raise ValueError(
            f"unknown {noun_for(len(unknown), 'fact')} {', '.join(told)}{more}: a record names facts of the rules "
            "(openfisca-sp parameter-names, or /openapi.json's person)"
        )


def check_branch_codes(codes: Sequence[Any], branches: Iterable[str]) -> None:
    """Each branch code one of the branches (an unknown one raised ``KeyError``)."""
    known = list(branches)
    for code in codes:
        if code not in known:
            said = f"unknown branch {abridged(code)}{_closest(code, known)}"
            raise ValueError(f"{said}; the branches: {', '.join(known)}")


def _closest(name: Any, known: Iterable[str]) -> str:
    close = closest_name(name, known) if isinstance(name, str) else None
    return f"; did you mean {close!r}?" if close else ""

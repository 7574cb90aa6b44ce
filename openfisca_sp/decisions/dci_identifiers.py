"""DCI identifiers (``{identifier_type, identifier_value}``): how long and how many a person's may be, and how an
answer echoes them (a ``Member``'s ``member_identifier``, a ``Group``'s ``group_identifier``)."""

from __future__ import annotations

from typing import Any

IDENTIFIER_LIMITS = {"identifier_type": 64, "identifier_value": 128}  # the fields of a DCI identifier, their lengths
MAX_IDENTIFIERS = 16  # the identifiers one person may carry (a national id, a registry's, a passport …)
IDENTIFIER_EXPECTED = "an identifier as text (at most 128 characters), or a list of {identifier_type, identifier_value}"


def echoed_identifiers(value: Any, location: tuple[Any, ...], error: type[ValueError]) -> Any:
    """Identifiers as an answer echoes them: a text, or DCI identifiers with their two fields (others dropped);
    else ``error`` (:class:`~openfisca_sp.decisions.dci_records.RecordError`) at ``location``."""
    if type(value) is str and len(value) <= IDENTIFIER_LIMITS["identifier_value"]:
        return value
    if type(value) is list and len(value) <= MAX_IDENTIFIERS and all(type(item) is dict for item in value):
        found = [{name: item.get(name) for name in IDENTIFIER_LIMITS} for item in value]
        texts = [(name, text) for item in found for name, text in item.items()]
        if all(type(text) is str and len(text) <= IDENTIFIER_LIMITS[name] for name, text in texts):
            return found
    raise error(location, "not an identifier", IDENTIFIER_EXPECTED)

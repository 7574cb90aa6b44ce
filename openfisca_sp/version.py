"""The rules version every answer carries, so that a decision can be reproduced on appeal."""

from __future__ import annotations

from typing import Any

import openfisca_sp

PACKAGE = "openfisca-sp"


def rules_version(tax_benefit_system: Any, legislation_date: str | None = None) -> dict[str, Any]:
    """Package, version, jurisdiction and legislation date of the rules that answered."""
    jurisdiction = getattr(tax_benefit_system, "jurisdiction", None)
    metadata = tax_benefit_system.get_package_metadata()
    return {
        "package": metadata.get("name", PACKAGE),
        "version": metadata.get("version", openfisca_sp.__version__),
        "jurisdiction": jurisdiction.code if jurisdiction else None,
        "jurisdiction_label": jurisdiction.label if jurisdiction else None,
        "currency": jurisdiction.currency if jurisdiction else None,
        "legislation_date": legislation_date,
    }


def version_headers(version: dict[str, Any]) -> list[tuple[bytes, bytes]]:
    """The rules version as HTTP headers (ASCII)."""
    headers = [
        (b"openfisca-sp-rules-version", f"{version['package']} {version['version']}".encode()),
    ]
    if version.get("jurisdiction"):
        headers.append((b"openfisca-sp-jurisdiction", version["jurisdiction"].encode()))
    if version.get("legislation_date"):
        headers.append((b"openfisca-sp-legislation-date", version["legislation_date"].encode()))
    return headers

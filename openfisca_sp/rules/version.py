"""The rules version every answer carries, so that a decision can be reproduced on appeal."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from openfisca_core.reforms import Reform

PACKAGE = "openfisca-sp"


def package_version() -> str:
    """The installed version of openfisca-sp: the version of the rules."""
    try:
        return version(PACKAGE)
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
        return "0.0.0"


def rules_version(tax_benefit_system: Any, legislation_date: str | None = None) -> dict[str, Any]:
    """Package, version, jurisdiction and legislation date of the rules that answered, and the reforms applied to
    them where there are any (``openfisca-sp serve --reform``; a comparison's reform side)."""
    jurisdiction = getattr(tax_benefit_system, "jurisdiction", None)
    metadata = tax_benefit_system.get_package_metadata()
    version = {
        "package": metadata.get("name", PACKAGE),
        "version": metadata.get("version", package_version()),
        "jurisdiction": jurisdiction.code if jurisdiction else None,
        "jurisdiction_label": jurisdiction.label if jurisdiction else None,
        "currency": jurisdiction.currency if jurisdiction else None,
        "legislation_date": legislation_date,
    }
    reforms = reforms_of(tax_benefit_system)
    return {**version, "reforms": reforms} if reforms else version


def reforms_of(tax_benefit_system: Any) -> list[str]:
    """The reforms applied to the law of ``tax_benefit_system``, first applied first (none: the law as it is)."""
    names = []
    while isinstance(tax_benefit_system, Reform):
        names.append(tax_benefit_system.key)
        tax_benefit_system = tax_benefit_system.baseline
    return names[::-1]

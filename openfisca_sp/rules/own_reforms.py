"""The reforms a law case may name where openfisca-sp runs it itself (check, explorer, legal index, diff):
openfisca-sp's own, ``openfisca_sp.<module>.<function or class>``. A case file is data a drafter edits: it never
makes these commands import another module (``openfisca test`` is openfisca-core's, and may)."""

from __future__ import annotations

import importlib
from typing import Any

OWN_REFORMS = "openfisca_sp."  # reforms a case names are imported to know their variables: ours only


class UncheckedReformError(ValueError):
    """A case names a reform that is not openfisca-sp's, or that does not exist."""


def own_reform(name: str) -> Any:
    """The reform ``name`` names (``openfisca_sp.reforms.yaml_reforms.lao_old_age_10_years``), imported only if it
    is openfisca-sp's; :class:`UncheckedReformError` otherwise."""
    module, _, attribute = name.rpartition(".")
    if not name.startswith(OWN_REFORMS) or not module:
        raise UncheckedReformError(name)
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError):
        raise UncheckedReformError(name) from None

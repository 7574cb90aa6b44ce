"""The HTTP API of openfisca-sp: an OpenFisca-compatible web API plus eligibility for delivery systems.

Thin by design: request models, routing and error mapping over :mod:`openfisca_sp`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openfisca_sp.rules.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from openfisca_sp.api.app import create_app, create_jurisdictions_app

__all__ = ["create_app", "create_jurisdictions_app"]
# imported on first use: ``openfisca-sp serve`` checks its settings (.settings) before any worker loads the app
__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "openfisca_sp.api.app"))

"""The HTTP API of openfisca-sp: an OpenFisca-compatible web API plus eligibility for delivery systems.

Thin by design: request models, routing and error mapping over :mod:`openfisca_sp`.
"""

from openfisca_sp.api.app import create_app, create_jurisdictions_app

__all__ = ["create_app", "create_jurisdictions_app"]

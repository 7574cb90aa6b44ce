"""A test-only app factory: ``openfisca_sp.api.create_app`` over openfisca-country-template.

``OPENFISCA_SP_TEST_EXTENSIONS`` (comma-separated packages, e.g. ``openfisca_extension_template``) are
loaded into the system first. Started by ``tests.api.server.start_factory("tests.api.template_app:create")``.
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

EXTENSIONS = "OPENFISCA_SP_TEST_EXTENSIONS"


def country_template(extensions: str = "") -> TaxBenefitSystem:
    """openfisca-country-template's system, with the extensions named (comma-separated) loaded."""
    from openfisca_country_template import CountryTaxBenefitSystem

    system = CountryTaxBenefitSystem()
    for extension in filter(None, extensions.split(",")):
        system.load_extension(extension)
    return system


def create() -> FastAPI:
    from openfisca_sp.api.app import create_app

    return create_app(country_template(os.environ.get(EXTENSIONS, "")))

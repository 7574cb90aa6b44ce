"""A test-only app factory: the real app over rules that load but do not run (``tests.broken_rules``: a minimum
number of months written as text), started by ``tests.api.server.start_factory`` so that ``/ready`` is asked of a
real server."""

from __future__ import annotations

from fastapi import FastAPI


def create() -> FastAPI:
    from openfisca_sp import tax_benefit_system
    from openfisca_sp.api.app import create_app
    from tests.broken_rules import TextMinimumMonths

    return create_app(TextMinimumMonths(tax_benefit_system("ilo_c102")))

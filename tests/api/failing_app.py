"""A test-only app factory: the real app over Lao PDR's rules, with one more route that fails as a bug would,
with request data in its exception (started by ``tests.api.server.start_factory``), and the access log written."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request


def create() -> FastAPI:
    from openfisca_sp import tax_benefit_system
    from openfisca_sp.api.app import create_app

    access = logging.getLogger("openfisca_sp.access")  # written as `openfisca-sp serve` writes it
    access.addHandler(logging.StreamHandler())
    access.setLevel(logging.INFO)
    app = create_app(tax_benefit_system("lao"))

    @app.post("/fails")
    async def fails(request: Request) -> None:
        body = (await request.body()).decode()
        raise RuntimeError(f"a bug while deciding {body}")  # request data in the message, as real bugs have

    return app

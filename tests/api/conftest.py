"""Fixtures: one real server for the API tests, with API keys and a small body limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.server import API_KEYS, MAX_BODY_BYTES, Server, start


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    running = start(
        environment={
            "OPENFISCA_SP_MAX_BODY_BYTES": str(MAX_BODY_BYTES),
            "OPENFISCA_SP_API_KEYS": ",".join(API_KEYS),
            "OPENFISCA_SP_CORS_ORIGINS": "*",  # browsers' requests take the whole stack, answered with CORS
        },
    )
    yield running
    running.stop()


@pytest.fixture
def client(server: Server):
    with server.client(**{"X-API-Key": API_KEYS[0]}) as http:
        yield http

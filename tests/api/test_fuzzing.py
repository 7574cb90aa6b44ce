"""Schemathesis fuzzes the running API against its own OpenAPI: no server error, documented answers.

Bounded in time (``--max-time``) and seeded, so that it is repeatable; every
operation of every jurisdiction is exercised, with API keys sent.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.server import API_KEYS, MAX_BODY_BYTES, Server, start

# and the key: an operation documented as needing it refuses a request without it, one documented open answers it
# (/health, /ready and our public keys were documented as needing a key); a method no operation has is a 405
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
    "missing_required_header,ignored_auth,unsupported_method"
)


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[Server]:
    """A server of its own, configured as the session's: the fuzzer's messages (DCI message ids, rates) must not
    change what other tests' requests get (the documented DCI example, sent twice, is a duplicate)."""
    running = start(
        environment={"OPENFISCA_SP_MAX_BODY_BYTES": str(MAX_BODY_BYTES), "OPENFISCA_SP_API_KEYS": ",".join(API_KEYS)},
    )
    yield running
    running.stop()


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(fuzzed: Server, tmp_path: Path) -> None:
    server = fuzzed
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "st"),
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            CHECKS,
            "--max-examples",
            "15",
            "--max-time",
            "75",
            "--seed",
            "20261124",
            "--header",
            f"X-API-Key: {API_KEYS[0]}",
            "--request-timeout",
            "60",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    assert "Server error" not in result.stdout, report

"""Operations: health, readiness, OpenAPI examples, the command line, logs without personal data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openfisca_sp.rules import jurisdictions
from tests.api.server import Server

BIN = Path(sys.executable).parent


def test_health_and_readiness(client) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready["status"] == "ready" and ready["problems"] == []
    assert {rules["jurisdiction"] for rules in ready["rules"]} == set(jurisdictions.registry())
    assert {"lao", "tjk", "vnm", "ilo_c102"} <= set(jurisdictions.registry())


def test_every_operation_is_documented_with_an_example(client) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["version"] == client.get("/ready").json()["rules"][0]["version"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            if method == "post":
                content = operation["requestBody"]["content"]["application/json"]
                assert "example" in content or "examples" in content, (method, path)
    assert "X-API-Key" in json.dumps(spec["components"]["securitySchemes"])


def test_access_log_is_structured_and_holds_no_personal_data(server: Server, client) -> None:
    secret_name, secret_birth = "Vongsavanh-Phetsamone", "1961-07-19"
    client.post(
        "/eligibility",
        json={"as_of": "2024-06-01", "persons": [{"identifier": secret_name, "birth_date": secret_birth}]},
    )
    client.get(f"/variable/{secret_name}")
    log = server.log_with('"path":"/eligibility"', '"path":"/variable/{variable_id}"')
    assert secret_name not in log and secret_birth not in log
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    eligibility = [line for line in lines if line["path"] == "/eligibility"]
    assert eligibility and {"method", "status", "duration_ms", "request_bytes", "response_bytes"} <= set(eligibility[0])
    assert any(line["path"] == "/variable/{variable_id}" for line in lines)


def test_the_command_line_documents_its_options() -> None:
    result = subprocess.run([str(BIN / "openfisca-sp"), "serve", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for option in ("--host", "--port", "--workers", "--api-keys-file", "--jurisdiction"):
        assert option in result.stdout
    assert "127.0.0.1" in result.stdout


def test_a_server_with_two_workers_and_another_default_jurisdiction() -> None:
    from tests.api.server import start

    server = start("--workers", "2", "--jurisdiction", "vnm")
    try:
        with server.client() as http:
            answer = http.post("/eligibility", json={"as_of": "2024-06-01", "persons": [{"sex": "male"}]})
            assert answer.status_code == 200  # no API keys set: open
            assert answer.json()["rules"]["jurisdiction"] == "vnm"
            assert answer.json()["rules"]["currency"] == "VND"
    finally:
        server.stop()


def test_ready_decides_a_reference_population_and_reports_rules_that_fail(client) -> None:
    from tests.api.server import start_factory

    ready = client.get("/ready")  # the shipped rules of every jurisdiction, on every day their law changes
    assert ready.status_code == 200 and ready.json()["problems"] == []

    server = start_factory("tests.api.broken_app:create", up="/health")  # rules that load but do not run
    try:
        with server.client() as http:
            answer = http.get("/ready")
    finally:
        server.stop()
    assert answer.status_code == 503 and answer.json()["status"] == "not ready"
    [problem] = answer.json()["problems"]
    assert problem.startswith("ilo_c102: old_age_pension_eligible, ") and "on 2030-01-01" in problem


def _command(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [str(BIN / "openfisca-sp"), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, **environment),
    )


def test_a_bad_setting_is_one_line_and_exit_code_2_and_breaks_no_other_command() -> None:
    """A bad OPENFISCA_SP_PORT or OPENFISCA_SP_WORKERS used to break every subcommand, --help included."""
    for name, value in (("OPENFISCA_SP_PORT", "eighty"), ("OPENFISCA_SP_WORKERS", "-2")):
        assert _command("--help", **{name: value}).returncode == 0
        assert _command("serve", "--help", **{name: value}).returncode == 0
        assert _command("reforms", **{name: value}).returncode == 0
        refused = _command("serve", **{name: value})
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr.count("\n") == 1 and name in refused.stderr and "Traceback" not in refused.stderr
    for arguments, expected in (
        (("--port", "70942"), "from 1 to 65535"),
        (("--jurisdiction", "kaz"), "unknown jurisdiction 'kaz'"),
        (("--workers", "many"), "whole number"),
    ):
        refused = _command("serve", *arguments)
        assert refused.returncode == 2 and expected in refused.stderr and "Traceback" not in refused.stderr
    for name, value in (
        ("OPENFISCA_SP_MAX_BODY_BYTES", "a lot"),
        ("OPENFISCA_SP_CORS_ORIGINS", "portal.example.org"),
        ("OPENFISCA_SP_PUBLIC_URL", "api.example.org"),
        ("OPENFISCA_SP_API_KEYS_FILE", "/nonexistent/keys"),
        ("OPENFISCA_SP_HEADER_TIMEOUT", "soon"),
    ):
        refused = _command("serve", **{name: value})
        assert refused.returncode == 2 and name in refused.stderr and "Traceback" not in refused.stderr, refused.stderr


def test_keys_are_never_read_from_the_command_line() -> None:
    assert "--api-keys " not in _command("serve", "--help").stdout
    assert _command("serve", "--api-keys", "secret").returncode == 2  # argparse: no such option

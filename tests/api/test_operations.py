"""Operations: health, readiness, OpenAPI examples, the command line, logs without personal data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.api.server import Server

BIN = Path(sys.executable).parent


def test_health_and_readiness(client) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready["status"] == "ready" and ready["problems"] == []
    assert {rules["jurisdiction"] for rules in ready["rules"]} == {"lao", "vnm", "ilo_c102"}


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
    log = server.log()
    assert secret_name not in log and secret_birth not in log
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    eligibility = [line for line in lines if line["path"] == "/eligibility"]
    assert eligibility and {"method", "status", "duration_ms", "request_bytes", "response_bytes"} <= set(eligibility[0])
    assert any(line["path"] == "/variable/{variable_id}" for line in lines)


def test_the_command_line_documents_its_options() -> None:
    result = subprocess.run([str(BIN / "openfisca-sp"), "serve", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for option in ("--host", "--port", "--workers", "--api-keys", "--jurisdiction"):
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

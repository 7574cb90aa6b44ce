"""Operations: health, readiness, OpenAPI examples, the command line, logs without personal data."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from openfisca_sp.cli import parser
from openfisca_sp.cli.serve import check_address, resolve
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


def test_the_access_log_names_the_route_of_a_refused_request_and_what_it_sent(server: Server, client) -> None:
    """A request refused before routing (a wrong content type) and ``/openapi.json`` were logged as
    ``<unmatched>``, and a refusal as 0 bytes sent."""
    marked = {"content-type": "text/plain", "x-request-id": "refused-for-its-content-type"}
    refused = client.post("/eligibility", content=b"as_of=2024", headers=marked)
    assert refused.status_code == 415
    client.get("/openapi.json")
    log = server.log_with('"request_id":"refused-for-its-content-type"', '"path":"/openapi.json"')
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    (refusal,) = [line for line in lines if line["request_id"] == "refused-for-its-content-type"]
    assert refusal["path"] == "/eligibility" and refusal["response_bytes"] == len(refused.content) > 0


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
        ("OPENFISCA_SP_PUBLIC_URL", "https://rules.example.gov:abc"),  # accepted, then a 500 on every request
        ("OPENFISCA_SP_PUBLIC_URL", "https://[::1"),  # "Invalid IPv6 URL", naming no setting
        ("OPENFISCA_SP_CORS_ORIGINS", "https://[::1"),
        ("OPENFISCA_SP_SOCIAL_REGISTRY_URL", "http://[x"),
        ("OPENFISCA_SP_API_KEYS_FILE", "/nonexistent/keys"),
        ("OPENFISCA_SP_HEADER_TIMEOUT", "soon"),
        ("OPENFISCA_SP_WRITE_TIMEOUT", "0"),
        ("OPENFISCA_SP_MAX_BYTES_QUEUED", "1k"),
        ("OPENFISCA_SP_REGISTRY_DEADLINE", "never"),
        ("OPENFISCA_SP_MAX_RESULT_PERIODS", "0"),
        ("OPENFISCA_SP_MAX_TRACED_PERIODS", "twelve"),
        ("OPENFISCA_SP_DCI_STORE", "/"),  # a folder, not a file SQLite can open
    ):
        refused = _command("serve", **{name: value})
        assert refused.returncode == 2 and name in refused.stderr and "Traceback" not in refused.stderr, refused.stderr


def test_keys_that_would_leave_routes_open_or_cut_short_stop_the_service_without_showing_them(tmp_path) -> None:
    """``OPENFISCA_SP_API_KEYS=",,"`` started with every route open and no warning; a key with a space cannot be
    sent whole in a header. Each stops ``serve`` with exit code 2, naming the setting and never the key."""
    spaced = tmp_path / "keys"
    spaced.write_text("# the registry\ngood-key\nsecret with-space\n", encoding="utf-8")
    for name, value in (
        ("OPENFISCA_SP_API_KEYS", ",,"),
        ("OPENFISCA_SP_API_KEYS", " , "),
        ("OPENFISCA_SP_API_KEYS", "secret with-space"),
        ("OPENFISCA_SP_API_KEYS", "clé-secrète"),
        ("OPENFISCA_SP_API_KEYS_FILE", str(spaced)),
    ):
        refused = _command("serve", **{name: value})
        assert refused.returncode == 2 and name in refused.stderr, refused.stderr
        assert "secret" not in refused.stderr and "Traceback" not in refused.stderr, refused.stderr
    assert "line 3" in refused.stderr


def test_keys_are_never_read_from_the_command_line() -> None:
    assert "--api-keys " not in _command("serve", "--help").stdout
    assert _command("serve", "--api-keys", "secret").returncode == 2  # argparse: no such option


def test_an_ipv6_loopback_address_is_written_in_brackets_in_the_links(monkeypatch) -> None:
    """``serve --host ::1`` wrote ``http://::1:5000`` as the public URL, and every request answered 500."""
    for name in [name for name in os.environ if name.startswith("OPENFISCA_SP_")]:
        monkeypatch.delenv(name)
    arguments = parser().parse_args(["serve", "--host", "::1", "--port", "5123"])
    try:
        options = resolve(arguments)
        assert os.environ["OPENFISCA_SP_PUBLIC_URL"] == "http://[::1]:5123"
    finally:
        os.environ.pop("OPENFISCA_SP_PUBLIC_URL", None)  # set by serve for its workers
    assert options["host"] == "::1" and options["settings"].public_url == "http://[::1]:5123"


def test_an_address_it_cannot_listen_on_is_refused_before_the_rules_load() -> None:
    """A port already taken, or an address not this machine's, failed only after every jurisdiction had loaded,
    with uvicorn's message naming neither."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = _command("serve", "--port", str(port))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert f"cannot listen on '127.0.0.1' port {port}: Address already in use" in refused.stderr
    elsewhere = _command("serve", OPENFISCA_SP_HOST="192.0.2.1")  # TEST-NET-1: no machine's own address
    assert elsewhere.returncode == 2 and "cannot listen on '192.0.2.1' port" in elsewhere.stderr, elsewhere.stderr
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    check_address("localhost", port)  # a name uvicorn binds as IPv4 passes, whatever it resolves to first

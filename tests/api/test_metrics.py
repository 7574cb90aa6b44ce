"""``GET /metrics``: Prometheus counts summed over every worker, by route template, with no request data."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from openfisca_sp.api.examples import calculate_example
from tests.api.server import Server, start


@pytest.fixture(scope="module")
def two_workers() -> Iterator[Server]:
    server = start("--workers", "2")
    server.wait_for_workers(2)  # both serve, so that fresh connections reach both
    yield server
    server.stop()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus exposition, by name and sorted labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_sum_every_worker_and_name_routes_not_paths(two_workers: Server) -> None:
    from openfisca_sp import tax_benefit_system

    situation = calculate_example(tax_benefit_system("lao"))
    persons = len(situation["persons"])
    with two_workers.client() as http:
        before = _samples(http.get("/metrics").text)
        # fresh connections, so that both workers answer some of them
        for _ in range(12):
            with two_workers.client() as fresh:
                assert fresh.post("/calculate", json=situation).status_code == 200
        for _ in range(3):
            assert http.get("/variable/a_secret_person_name").status_code == 404
        assert http.post("/calculate", content=b"{", headers={"content-type": "application/json"}).status_code == 400
        records = {"as_of": "2024-06-15", "persons": [{"identifier": f"P{n}", "sex": "female"} for n in range(7)]}
        assert http.post("/eligibility", json=records).status_code == 200
        response = http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    after = _samples(text)

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("openfisca_sp_requests_total", route="/calculate", method="POST", status="200") == 12
    assert grew("openfisca_sp_persons_decided_total", route="/calculate") == 12 * persons
    assert grew("openfisca_sp_request_duration_seconds_count", route="/calculate") == 13
    assert grew("openfisca_sp_persons_decided_total", route="/eligibility") == 7
    assert grew("openfisca_sp_errors_total", route="/variable/{variable_id}", status="404") == 3
    assert grew("openfisca_sp_errors_total", route="/calculate", status="400") == 1
    assert "a_secret_person_name" not in text  # labels are route templates, never the path asked
    assert len(set(re.findall(r"Started server process \[(\d+)\]", two_workers.log()))) == 2


def test_metrics_follow_the_keys_like_any_route() -> None:
    server = start(environment={"OPENFISCA_SP_API_KEYS": "metrics-key"})
    try:
        with server.client() as anonymous:
            assert anonymous.get("/metrics").status_code == 401
        with server.client(**{"X-API-Key": "metrics-key"}) as scraper:
            text = scraper.get("/metrics").text
            assert "openfisca_sp_requests_total" in text
        # the refusal is counted under its route (it was "<unmatched>": refused before routing)
        assert _value(_samples(text), "openfisca_sp_errors_total", route="/metrics", status="401") == 1
    finally:
        server.stop()
    opened = start(environment={"OPENFISCA_SP_API_KEYS": "metrics-key", "OPENFISCA_SP_OPEN_PATHS": "/ready,/metrics"})
    try:
        with opened.client() as prometheus:
            assert prometheus.get("/metrics").status_code == 200
    finally:
        opened.stop()


def test_persons_decided_counts_a_large_table_read_from_its_bytes(two_workers: Server) -> None:
    from openfisca_sp import tax_benefit_system

    person = next(iter(calculate_example(tax_benefit_system("lao"))["persons"].values()))
    table = {"persons": {f"p{index}": person for index in range(500)}}  # 64 KiB or more: read from its bytes
    with two_workers.client() as http:
        before = _samples(http.get("/metrics").text)
        assert http.post("/calculate", json=table).status_code == 200
        after = _samples(http.get("/metrics").text)
    grew = _value(after, "openfisca_sp_persons_decided_total", route="/calculate") - _value(
        before, "openfisca_sp_persons_decided_total", route="/calculate"
    )
    assert grew == 500


def test_a_head_request_is_logged_and_counted_as_head_and_a_405_allows_it(two_workers: Server) -> None:
    """A HEAD was logged and counted as a GET (it is routed as one), and a 405 said ``Allow: GET`` alone although
    every GET route answers HEAD (found by an outside review)."""
    with two_workers.client(**{"X-Request-ID": "head-probe-1"}) as http:
        answer = http.head("/entities")
        assert answer.status_code == 200 and answer.content == b""
        refused = http.delete("/parameters")
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"
    assert refused.json()["expected"] == "one of GET, HEAD"
    line = next(line for line in two_workers.log_with("head-probe-1").splitlines() if "head-probe-1" in line)
    assert '"method":"HEAD"' in line
    with two_workers.client() as http:
        samples = _samples(http.get("/metrics").text)
    assert any(dict(labels).get("method") == "HEAD" for (_, labels) in samples), "no HEAD in /metrics"

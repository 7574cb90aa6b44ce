"""Prometheus metrics: requests, latency, persons decided and errors, by route (``GET /metrics``).

Labels are route templates (``/parameter/{parameter_id:path}``), methods and
status codes: never a path asked, an identifier or any other request data.
Under several workers, ``openfisca-sp serve`` points
``PROMETHEUS_MULTIPROC_DIR`` at a fresh directory before the workers start,
so that each scrape sums every worker's counts (prometheus-client's
multiprocess mode); with one worker the process's own registry answers, with
its CPU and memory figures.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "openfisca_sp_requests", "HTTP requests answered, by route, method and status", ["route", "method", "status"]
)
LATENCY = Histogram(
    "openfisca_sp_request_duration_seconds",
    "Time from the request's arrival to the end of its answer, by route",
    ["route"],
    buckets=LATENCY_BUCKETS,
)
PERSONS = Counter("openfisca_sp_persons_decided", "Persons computed or decided, by route", ["route"])
ERRORS = Counter(
    "openfisca_sp_errors",
    "Answers with a 4xx or 5xx status, by route and status (also counted in openfisca_sp_requests)",
    ["route", "status"],
)


def observe(route: str, method: str, status: int, seconds: float, persons: int) -> None:
    """Count one answered request."""
    requests, latency, errors = _series(route, method, status)
    requests.inc()
    latency.observe(seconds)
    if persons:
        _decided(route).inc(persons)
    if errors is not None:
        errors.inc()


# Routes are templates and statuses few: each labelled series is looked up once (a lookup costs about 1 µs).
@lru_cache(maxsize=1024)
def _series(route: str, method: str, status: int) -> tuple[Any, Any, Any]:
    code = str(status)
    errors = ERRORS.labels(route, code) if status >= 400 else None
    return REQUESTS.labels(route, method, code), LATENCY.labels(route), errors


@lru_cache(maxsize=256)
def _decided(route: str) -> Any:
    return PERSONS.labels(route)


def exposition() -> bytes:
    """The metrics in Prometheus' text format: every worker's, summed, under several workers."""
    directory = os.environ.get(MULTIPROCESS_DIRECTORY)
    if directory and os.path.isdir(directory):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
        return generate_latest(registry)
    return generate_latest(REGISTRY)

"""/explorer is built by a process of its own started with the server, never by a request (real servers): the first
visit, without any key, cost the worker that received it the whole build (1.3 to 1.5 s of its CPU on a loaded
machine of the review, 7 to 17 s elsewhere), one unauthenticated request busying a worker for seconds. It now waits
for the build, costing the worker next to nothing; a later start the same day reads the site built, building
nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import psutil

from tests.api.server import API_KEYS, Server, start


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _first_visit(cache: Path) -> tuple[float, str, Server]:
    """The CPU seconds the worker spent answering the first visit to /explorer/ (no key, keys set), the page's
    text, and the server (stopped)."""
    environment = {"OPENFISCA_SP_EXPLORER_CACHE": str(cache), "OPENFISCA_SP_API_KEYS": ",".join(API_KEYS)}
    server = start("--workers", "1", environment=environment)
    try:
        worker = psutil.Process(server.process.pid)  # one worker: the process that serves
        with server.client() as http:
            assert http.get("/health").status_code == 200
            before = _cpu_seconds(worker)
            page = http.get("/explorer/")  # no key: the explorer is open, as /docs
            spent = _cpu_seconds(worker) - before
            assert http.get("/explorer/nothing.html").status_code == 404
            assert http.post("/eligibility", json={}).status_code == 401  # keys are set: the explorer needs none
    finally:
        server.stop()
    assert page.status_code == 200 and "Rules explorer" in page.text, page.text[:300]
    return spent, page.text, server


def test_the_first_visit_costs_its_worker_no_build_and_a_later_start_builds_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "explorer"
    spent, first, server = _first_visit(cache)
    assert spent < 0.5, f"the first visit cost its worker {spent:.2f} s of CPU"
    assert "explorer built in" in server.log_with("explorer built in")
    (site,) = [path for path in cache.iterdir() if path.is_dir()]  # one site, whole, private to the service
    assert (site / ".complete").is_file() and (site / "index.html").is_file()
    assert cache.stat().st_mode & 0o077 == 0
    spent, again, server = _first_visit(cache)
    assert spent < 0.5 and again == first
    assert "explorer built in" not in server.log()  # read from the folder: built once per rules version and day
    assert [path for path in cache.iterdir() if path.is_dir()] == [site]


def test_pages_are_served_from_the_site_s_folder_and_a_folder_removed_is_built_again(tmp_path: Path) -> None:
    """Each worker held every page in memory (3.5 MB, a page of 3.3 MB: 3.0 MiB of each worker's RSS): they are
    served from the site's folder, whole and with their headers. A folder removed under a running server (old sites
    are removed after some days, a temporary directory cleaned) was served on from memory; it is now a 503 to retry,
    and the site read or built again."""
    cache = tmp_path / "explorer"
    server = start("--workers", "1", environment={"OPENFISCA_SP_EXPLORER_CACHE": str(cache)})
    try:
        with server.client() as http:
            first = http.get("/explorer/")
            assert first.status_code == 200 and "Rules explorer" in first.text, first.text[:300]
            assert first.headers["content-security-policy"].startswith("default-src 'self'")
            assert first.headers["content-type"] == "text/html; charset=utf-8"
            (site,) = [path for path in cache.iterdir() if path.is_dir()]
            largest = max((path for path in site.rglob("*") if path.is_file()), key=lambda path: path.stat().st_size)
            served = http.get("/explorer/" + largest.relative_to(site).as_posix())
            assert served.status_code == 200 and served.content == largest.read_bytes()
            shutil.rmtree(site)
            gone = http.get("/explorer/")
            assert gone.status_code == 503 and gone.headers["retry-after"] == "5", gone.text[:300]
            again = http.get("/explorer/")  # waits for the site built again
    finally:
        server.stop()
    assert again.status_code == 200 and again.text == first.text
    assert server.log().count("explorer built in") == 2

"""HTTP API benchmark: ``openfisca serve`` (Flask, gunicorn) and ``openfisca-sp serve`` (FastAPI, uvicorn).

Both servers are started here, on 127.0.0.1, serving the same tax-benefit
system (the default jurisdiction), and get the same requests from the same
load generator (``http_load``, one process on the same machine). The script
prints a table and saves the figures to ``benchmarks/results/api.json``.

Run it as::

    /work/venv/bin/python benchmarks/api_benchmark.py            # a few minutes
    /work/venv/bin/python benchmarks/api_benchmark.py --quick    # a smoke run

Scenarios (see ``benchmarks/README.md``):

1. one person per ``POST /calculate``, one connection: latency p50/p90/p99 and requests/s;
2. one person per request, 16 connections, in rounds with fresh connections (the two servers in turn):
   requests/s per round (min, median, max), p50 and p99;
3. 1,000 persons in one request: median and min;
4. 10,000 persons in one request: median and min;
5. ours only, ``POST /eligibility`` with 1 person (one connection, then 16 in rounds), 1,000 and 10,000
   persons, side by side with ``/calculate``; then 1 person with the old-age branch only, the question
   ``/calculate`` asks (one connection, then 16 in rounds);
6. ours only, memory (RSS of the server's process tree) under a mixed load.

Both servers run the same number of worker processes (``--workers``, 2 by default).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_load  # a sibling module of this script
from http_load import LoadResult, build_get, build_post

HOST = "127.0.0.1"
RESULTS = Path(__file__).resolve().parent / "results" / "api.json"
MONTH = "2024-06"
WAGE_MONTHS = [f"{2023 + (5 + offset) // 12}-{(5 + offset) % 12 + 1:02d}" for offset in range(12)]  # 2023-06 … 2024-05
OUTPUTS = ["old_age_pension_eligible", "old_age_pension_ineligibility_reason", "old_age_pension"]
FIRST_BIRTH = datetime.date(1950, 1, 1)
LAST_BIRTH = datetime.date(2000, 12, 31)
BIG_TIMEOUT = 300.0  # seconds a 10,000-person request may take on the reference
MIB = 1024 * 1024
DEFAULT_SEED = 20240601  # of the synthetic persons


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Plan:
    """How many requests and how long each scenario runs."""

    one_warmup: int = 200
    one_count: int = 2_000
    c16_warmup_s: float = 2.0
    c16_rounds: int = 5  # rounds of concurrency 16, each on fresh connections
    c16_round_s: float = 4.0
    concurrency: int = 16
    k1_ours: tuple[int, int] = (3, 20)  # (warm-ups, repetitions)
    k1_reference: tuple[int, int] = (1, 3)
    k10_ours: tuple[int, int] = (2, 10)
    k10_reference: tuple[int, int] = (0, 1)
    eligibility_one: tuple[int, int] = (100, 1_000)
    eligibility_batch: tuple[int, int] = (2, 10)
    memory_seconds: float = 60.0
    memory_warmup_s: float = 5.0
    memory_big_every: int = 50  # one 1,000-person request every this many requests

    @classmethod
    def quick(cls) -> Plan:
        """Short durations, for a smoke run."""
        return cls(
            one_warmup=50,
            one_count=200,
            c16_warmup_s=1.0,
            c16_rounds=3,
            c16_round_s=1.5,
            k1_ours=(1, 3),
            k1_reference=(1, 1),
            k10_ours=(1, 3),
            k10_reference=(0, 1),
            eligibility_one=(20, 200),
            eligibility_batch=(1, 3),
            memory_seconds=10.0,
        )


# --------------------------------------------------------------------------- synthetic persons


@dataclass(frozen=True)
class Person:
    """The facts of one synthetic insured person."""

    birth_date: str
    sex: str
    contribution_months: int
    insured_wage: dict[str, float]


def synthetic_persons(count: int, seed: int) -> list[Person]:
    """``count`` distinct persons, reproducibly drawn from ``seed``.

    Birth dates uniform over 1950-2000, sex male or female, 12 to 480 months of
    contributions (at most the months lived to the month evaluated, at least the
    12 months of wages stated: fewer contradict them), a monthly
    wage around 2.5 million (lognormal), rounded to 1,000, varying a little from
    month to month over the 12 months before the month evaluated.
    """
    rng = np.random.default_rng(seed)
    span = (LAST_BIRTH - FIRST_BIRTH).days
    days = rng.integers(0, span + 1, count)
    sexes = rng.choice(np.array(["male", "female"]), count)
    months = rng.integers(0, 481, count)
    born = (np.datetime64(FIRST_BIRTH, "D") + days).astype("datetime64[M]")
    lived = (np.datetime64(MONTH, "M") - born).astype(np.int64) + 1
    # no more months of contributions than months lived, nor fewer than the months of wages stated (else a 422)
    months = np.clip(months, len(WAGE_MONTHS), lived)
    base = rng.lognormal(np.log(2_500_000), 0.5, count)
    monthly = base[:, None] * rng.lognormal(0.0, 0.05, (count, len(WAGE_MONTHS)))
    wages = np.maximum(np.round(monthly / 1000) * 1000, 1000.0)
    return [
        Person(
            birth_date=(FIRST_BIRTH + datetime.timedelta(days=int(days[row]))).isoformat(),
            sex=str(sexes[row]),
            contribution_months=int(months[row]),
            insured_wage={month: float(wage) for month, wage in zip(WAGE_MONTHS, wages[row], strict=True)},
        )
        for row in range(count)
    ]


def calculate_body(persons: Sequence[Person]) -> bytes:
    """An OpenFisca situation (``POST /calculate``) asking for the old-age pension of each person."""
    situation = {
        f"p{row}": {
            "birth_date": {"ETERNITY": person.birth_date},
            "sex": {"ETERNITY": person.sex},
            "contribution_months": {MONTH: person.contribution_months},
            "insured_wage": person.insured_wage,
        }
        | {output: {MONTH: None} for output in OUTPUTS}
        for row, person in enumerate(persons)
    }
    return json.dumps({"persons": situation}, separators=(",", ":")).encode()


def eligibility_body(persons: Sequence[Person], branches: Sequence[str] | None = None) -> bytes:
    """A ``POST /eligibility`` request with the same persons as DCI-style records, deciding ``branches``
    (every branch of the jurisdiction without)."""
    records = [
        {
            "identifier": f"p{row}",
            "birth_date": person.birth_date,
            "sex": person.sex,
            "is_disabled": False,
            "contribution_months": person.contribution_months,
            "insured_wage": person.insured_wage,
            "separation_reason": "not_separated",
            "pregnancy_outcome": "none",
        }
        for row, person in enumerate(persons)
    ]
    request = {"as_of": f"{MONTH}-01", "persons": records} | ({"branches": list(branches)} if branches else {})
    return json.dumps(request, separators=(",", ":")).encode()


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A server run as a subprocess in its own process group (so that stopping it stops its workers)."""

    name: str
    command: list[str]
    port: int
    ready_path: str
    log_path: Path
    environment: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server; its output goes to ``log_path``."""
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            self.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=os.environ | self.environment,
            start_new_session=True,
        )
        log.close()

    def wait_ready(self, timeout: float = 180.0) -> float:
        """Poll ``ready_path`` until it answers 200; return the seconds waited."""
        assert self.process is not None
        started = time.perf_counter()
        probe = build_get(HOST, self.port, self.ready_path)
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                response = http_load.run(http_load.fetch, HOST, self.port, probe, 30.0)
                if response.status == 200:
                    return time.perf_counter() - started
            except (OSError, TimeoutError, http_load.ProtocolError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server and its workers: SIGTERM to its process group, SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        for sent, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sent)
            except ProcessLookupError:
                return
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def tree_rss(self) -> int:
        """Resident memory of the server's process and all its descendants, in bytes."""
        assert self.process is not None
        root = psutil.Process(self.process.pid)
        total = 0
        for process in [root, *root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total

    def tree_cpu(self) -> float:
        """CPU seconds (user + system) used so far by the server's process and its live descendants."""
        if self.process is None:
            return 0.0
        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's output."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def request(self, path: str, body: bytes) -> bytes:
        """A ready-to-send ``POST`` to this server."""
        return build_post(HOST, self.port, path, body)


@contextmanager
def running(server: Server) -> Iterator[Server]:
    """Start ``server``, and stop it on the way out whatever happens."""
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- measurements


@dataclass
class CpuMeter:
    """CPU used, during a measurement, by the load generator, by each server and by everything else.

    The machine may be shared: "other" is the system's busy time minus ours and
    the servers', in cores (1.0 = one core busy all along); "steal" is the time
    the hypervisor gave to other guests. Both make the figures noisier.
    """

    servers: Sequence[Server]

    def snapshot(self) -> dict[str, float]:
        """Cumulative CPU seconds now."""
        system = psutil.cpu_times()
        busy = system.user + system.nice + system.system + getattr(system, "irq", 0.0) + getattr(system, "softirq", 0.0)
        own = psutil.Process().cpu_times()
        figures = {
            "at": time.perf_counter(),
            "busy": busy,
            "steal": getattr(system, "steal", 0.0),
            "client": own.user + own.system,
        }
        figures |= {server.name: server.tree_cpu() for server in self.servers}
        return figures

    def delta(self, before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        """CPU used between two snapshots."""
        elapsed = after["at"] - before["at"]
        used = {key: after[key] - before[key] for key in before if key != "at"}
        ours = used["client"] + sum(used[server.name] for server in self.servers)
        return {
            "client_cpu_s": round(used["client"], 2),
            **{f"{server.name} cpu_s": round(used[server.name], 2) for server in self.servers},
            "other_processes_cores": round(max(used["busy"] - ours, 0.0) / elapsed, 2) if elapsed else 0.0,
            "steal_cores": round(used["steal"] / elapsed, 2) if elapsed else 0.0,
        }


def load(meter: CpuMeter, function: Any, *args: Any, **kwargs: Any) -> tuple[LoadResult, dict[str, float]]:
    """Run a load (``run_count`` or ``run_duration``); also return the CPU used meanwhile (``CpuMeter``)."""
    before = meter.snapshot()
    result = http_load.run(function, *args, **kwargs)
    return result, meter.delta(before, meter.snapshot())


def milliseconds(values: Sequence[float]) -> np.ndarray:
    """Seconds to milliseconds, as an array."""
    return np.asarray(values, dtype=float) * 1000.0


def latency_summary(result: LoadResult, cpu: dict[str, float]) -> dict[str, Any]:
    """Percentiles (ms), rate, status counts and failures of a load run."""
    latencies = milliseconds(result.latencies)
    p50, p90, p99 = np.percentile(latencies, [50, 90, 99]) if len(latencies) else (np.nan,) * 3
    return {
        "requests": result.completed,
        "elapsed_s": round(result.elapsed, 3),
        "requests_per_s": round(result.requests_per_second, 1),
        "p50_ms": round(float(p50), 3),
        "p90_ms": round(float(p90), 3),
        "p99_ms": round(float(p99), 3),
        "mean_ms": round(float(latencies.mean()), 3) if len(latencies) else None,
        "max_ms": round(float(latencies.max()), 3) if len(latencies) else None,
        "statuses": {str(status): count for status, count in sorted(result.statuses.items())},
        "failures": result.failures,
        "problems": result.problems(),
        "connections_opened": result.connections_opened,
        "cpu": cpu,
    }


def repeated_summary(result: LoadResult, warmup: LoadResult | None, cpu: dict[str, float]) -> dict[str, Any]:
    """Median and min (ms) of sequential repetitions."""
    latencies = milliseconds(result.latencies)
    failures = result.failures + (warmup.failures if warmup else 0)
    problems = result.problems() + (warmup.problems() if warmup else [])
    return {
        "repetitions": result.completed,
        "median_ms": round(float(np.median(latencies)), 2) if len(latencies) else None,
        "min_ms": round(float(latencies.min()), 2) if len(latencies) else None,
        "max_ms": round(float(latencies.max()), 2) if len(latencies) else None,
        "all_ms": [round(float(value), 2) for value in latencies],
        "statuses": {str(status): count for status, count in sorted(result.statuses.items())},
        "failures": failures,
        "problems": problems,
        "cpu": cpu,
    }


def one_at_a_time(meter: CpuMeter, server: Server, requests: list[bytes], warmup: int, count: int) -> dict[str, Any]:
    """Sequential requests on one connection: latency percentiles and requests/s."""
    print(f"  {server.name}: {warmup} warm-up + {count} requests, concurrency 1", flush=True)
    warm, _ = load(meter, http_load.run_count, HOST, server.port, requests, 1, warmup, timeout=BIG_TIMEOUT)
    result, cpu = load(meter, http_load.run_count, HOST, server.port, requests, 1, count, timeout=BIG_TIMEOUT)
    summary = latency_summary(result, cpu)
    summary["warmup_failures"] = warm.failures
    summary["failures"] += warm.failures
    summary["problems"] += warm.problems()
    return summary


def _merged(results: Sequence[LoadResult]) -> LoadResult:
    """Several load runs as one: every latency, status and error, their time added up."""
    merged = LoadResult()
    for result in results:
        merged.latencies += result.latencies
        merged.statuses.update(result.statuses)
        merged.errors.update(result.errors)
        merged.elapsed += result.elapsed
        merged.connections_opened += result.connections_opened
        merged.per_connection += result.per_connection
    return merged


def _merged_cpu(cpus: Sequence[dict[str, float]]) -> dict[str, float]:
    """CPU of several runs: seconds added up, the busiest run's background load (in cores)."""
    keys = cpus[0].keys()
    return {
        key: max(cpu[key] for cpu in cpus) if key.endswith("_cores") else round(sum(cpu[key] for cpu in cpus), 2)
        for key in keys
    }


def in_rounds(meter: CpuMeter, sides: Sequence[tuple[str, Server, list[bytes]]], plan: Plan) -> dict[str, Any]:
    """``plan.concurrency`` connections, after a warm-up, for ``plan.c16_rounds`` rounds of ``plan.c16_round_s``
    seconds each, the servers in turn and each round on fresh connections: throughput per round (is it steady?)
    and latency over all rounds. A connection's answers per round show how evenly the workers share the load."""
    warmups = {}
    for side, server, requests in sides:
        print(f"  {server.name}: {plan.c16_warmup_s:g} s warm-up, concurrency {plan.concurrency}", flush=True)
        warmups[side], _ = load(
            meter,
            http_load.run_duration,
            HOST,
            server.port,
            requests,
            plan.concurrency,
            plan.c16_warmup_s,
            timeout=BIG_TIMEOUT,
        )
    runs: dict[str, list[tuple[LoadResult, dict[str, float]]]] = {side: [] for side, _, _ in sides}
    for number in range(1, plan.c16_rounds + 1):
        for side, server, requests in sides:
            runs[side].append(
                load(
                    meter,
                    http_load.run_duration,
                    HOST,
                    server.port,
                    requests,
                    plan.concurrency,
                    plan.c16_round_s,
                    timeout=BIG_TIMEOUT,
                )
            )
        rates = ", ".join(
            f"{server.name} {runs[side][-1][0].requests_per_second:,.0f} req/s" for side, server, _ in sides
        )
        print(f"  round {number} of {plan.c16_rounds} ({plan.c16_round_s:g} s each): {rates}", flush=True)
    summaries = {}
    for side, _, _ in sides:
        results = [result for result, _ in runs[side]]
        rates = [result.requests_per_second for result in results]
        summary = latency_summary(_merged(results), _merged_cpu([cpu for _, cpu in runs[side]]))
        summary.update(
            {
                "concurrency": plan.concurrency,
                "requests_per_s": round(float(np.median(rates)), 1),
                "rounds_min_requests_per_s": round(min(rates), 1),
                "rounds_max_requests_per_s": round(max(rates), 1),
                "rounds": [
                    {
                        "requests_per_s": round(result.requests_per_second, 1),
                        "p50_ms": round(float(np.median(milliseconds(result.latencies))), 3)
                        if result.latencies
                        else None,
                        "answers_per_connection_min_max": list(result.connection_spread),
                    }
                    for result in results
                ],
            }
        )
        summary["failures"] += warmups[side].failures
        summary["problems"] += warmups[side].problems()
        summaries[side] = summary
    return summaries


def one_person_eligibility(
    name: str, meter: CpuMeter, ours: Server, bodies: list[bytes], plan: Plan
) -> dict[str, dict[str, Any]]:
    """One-person ``/eligibility`` requests on one connection (scenario ``name``), then 16 in rounds
    (``name``_c16)."""
    requests = [ours.request("/eligibility", body) for body in bodies]
    return {
        name: {"ours": one_at_a_time(meter, ours, requests, *plan.eligibility_one)},
        f"{name}_c16": in_rounds(meter, [("ours", ours, requests)], plan),
    }


def repeated(
    meter: CpuMeter, server: Server, requests: list[bytes], warmups: int, repetitions: int, label: str
) -> dict[str, Any]:
    """Sequential large requests: median and min."""
    print(f"  {server.name}: {label}, {warmups} warm-up + {repetitions} repetitions", flush=True)
    warm = None
    if warmups:
        warm, _ = load(
            meter, http_load.run_count, HOST, server.port, requests, 1, warmups, timeout=BIG_TIMEOUT * warmups
        )
    timeout = BIG_TIMEOUT * repetitions
    result, cpu = load(meter, http_load.run_count, HOST, server.port, requests, 1, repetitions, timeout=timeout)
    summary = repeated_summary(result, warm, cpu)
    summary["request_bytes"] = len(requests[0])
    return summary


def memory_under_load(
    meter: CpuMeter, server: Server, small: list[bytes], big: list[bytes], plan: Plan, sample_every: float = 1.0
) -> dict[str, Any]:
    """RSS of the server's process tree, sampled every second under a mixed load.

    ``plan.concurrency`` connections send one-person requests, with a
    1,000-person request every ``plan.memory_big_every`` requests.
    """
    mixed: list[bytes] = []
    big_index = 0
    for index in range(len(small)):
        if index % plan.memory_big_every == plan.memory_big_every - 1:
            mixed.append(big[big_index % len(big)])
            big_index += 1
        else:
            mixed.append(small[index])
    print(
        f"  {server.name}: {plan.memory_seconds:g} s, concurrency {plan.concurrency}, "
        f"1 in {plan.memory_big_every} requests with 1,000 persons",
        flush=True,
    )
    samples: list[tuple[float, int]] = []
    stop = threading.Event()
    started = time.perf_counter()

    def sample() -> None:
        while True:
            samples.append((time.perf_counter() - started, server.tree_rss()))
            if stop.wait(sample_every):
                return

    sampler = threading.Thread(target=sample, name="rss-sampler", daemon=True)
    sampler.start()
    try:
        result, cpu = load(
            meter,
            http_load.run_duration,
            HOST,
            server.port,
            mixed,
            plan.concurrency,
            plan.memory_seconds,
            timeout=BIG_TIMEOUT,
        )
    finally:
        stop.set()
        sampler.join()
    samples.append((time.perf_counter() - started, server.tree_rss()))
    after_warmup = next((rss for at, rss in samples if at >= plan.memory_warmup_s), samples[-1][1])
    end = samples[-1][1]
    summary = latency_summary(result, cpu)
    summary.update(
        {
            "seconds": plan.memory_seconds,
            "warmup_s": plan.memory_warmup_s,
            "rss_idle_mib": round(samples[0][1] / MIB, 1),
            "rss_after_warmup_mib": round(after_warmup / MIB, 1),
            "rss_end_mib": round(end / MIB, 1),
            "rss_max_mib": round(max(rss for _, rss in samples) / MIB, 1),
            "growth_percent": round(100.0 * (end - after_warmup) / after_warmup, 2),
            "samples": [(round(at, 2), round(rss / MIB, 1)) for at, rss in samples],
            "big_requests_every": plan.memory_big_every,
            "note": "RSS summed over the server's processes (supervisor, workers): shared pages count once per process",
        }
    )
    return summary


def agreement(reference: Server, ours: Server, body: bytes) -> dict[str, Any]:
    """Whether both servers give the same JSON for the same ``/calculate`` request."""
    answers = {}
    for server in (reference, ours):
        response = http_load.run(http_load.fetch, HOST, server.port, server.request("/calculate", body), BIG_TIMEOUT)
        try:
            parsed = json.loads(response.body)
        except ValueError:
            parsed = None
        answers[server.name] = {"status": response.status, "json": parsed}
    same = (
        answers[reference.name]["status"] == answers[ours.name]["status"] == 200
        and answers[reference.name]["json"] == answers[ours.name]["json"]
    )
    result: dict[str, Any] = {
        "agree": same,
        "statuses": {name: answer["status"] for name, answer in answers.items()},
    }
    if not same:
        result["answers"] = {name: answer["json"] for name, answer in answers.items()}
    return result


# --------------------------------------------------------------------------- report


@dataclass
class Row:
    """One line of the table: a figure for each server, their ratio, and a target if there is one."""

    scenario: str
    reference: float | None
    ours: float | None
    unit: str
    higher_is_better: bool = False
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        """How many times better ours is (reference time / our time, or our rate / reference rate)."""
        if self.reference is None or self.ours is None or not self.reference or not self.ours:
            return None
        return self.ours / self.reference if self.higher_is_better else self.reference / self.ours

    def as_dict(self) -> dict[str, Any]:
        """The row for the JSON file."""
        return {
            "scenario": self.scenario,
            "unit": self.unit,
            "openfisca_serve": self.reference,
            "openfisca_sp": self.ours,
            "ratio": None if self.ratio is None else round(self.ratio, 2),
            "target": self.target or None,
            "met": self.met,
        }


@dataclass
class CostRow(Row):
    """A line of the ``/eligibility`` table: ``reference`` is ``/calculate``'s figure, ``ours`` ``/eligibility``'s,
    and the ratio how many times ``/calculate``'s cost ``/eligibility``'s is (its time over ``/calculate``'s, or
    ``/calculate``'s rate over its rate)."""

    @property
    def ratio(self) -> float | None:
        if self.reference is None or self.ours is None or not self.reference or not self.ours:
            return None
        return self.reference / self.ours if self.higher_is_better else self.ours / self.reference

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "unit": self.unit,
            "calculate": self.reference,
            "eligibility": self.ours,
            "eligibility_cost_in_calculates": None if self.ratio is None else round(self.ratio, 2),
            "target": self.target or None,
            "met": self.met,
        }


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "x":
        return f"{value:.1f}x"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    if unit == "%":
        return f"{value:+.1f} %"
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    if value >= 1000:
        return f"{value:,.0f} ms"
    if value >= 10:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def render(
    rows: list[Row], header: tuple[str, ...] = ("scenario", "openfisca serve", "openfisca-sp", "ratio", "target")
) -> str:
    """The side-by-side table."""
    lines = [
        (
            row.scenario,
            _figure(row.reference, row.unit),
            _figure(row.ours, row.unit),
            "" if row.ratio is None else f"{row.ratio:.1f}x",
            "" if not row.target else f"{row.target} {'met' if row.met else 'MISSED'}",
        )
        for row in rows
    ]
    widths = [max(len(line[column]) for line in [header, *lines]) for column in range(len(header))]

    def format_line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        middle = [cell.rjust(width) for cell, width in zip(cells[1:4], widths[1:4], strict=True)]
        return " | ".join([first, *middle, cells[4].ljust(widths[4])]).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([format_line(header), rule, *(format_line(line) for line in lines)])


def table_rows(scenarios: dict[str, dict[str, Any]]) -> list[Row]:
    """The rows of the table, targets checked."""

    def get(scenario: str, side: str, key: str) -> float | None:
        value = scenarios.get(scenario, {}).get(side, {})
        return None if not value else value.get(key)

    rows: list[Row] = []
    one, c16 = "one_person_c1", "one_person_c16"
    p50 = get(one, "ours", "p50_ms")
    rows.append(Row("1 person, c=1: p50", get(one, "reference", "p50_ms"), p50, "ms", target="<= 1 ms"))
    rows[-1].met = p50 is not None and p50 <= 1.0
    rows.append(Row("1 person, c=1: p90", get(one, "reference", "p90_ms"), get(one, "ours", "p90_ms"), "ms"))
    rows.append(Row("1 person, c=1: p99", get(one, "reference", "p99_ms"), get(one, "ours", "p99_ms"), "ms"))
    rows.append(
        Row(
            "1 person, c=1: throughput",
            get(one, "reference", "requests_per_s"),
            get(one, "ours", "requests_per_s"),
            "req/s",
            higher_is_better=True,
        )
    )
    throughput = Row(
        "1 person, c=16: throughput, median round",
        get(c16, "reference", "requests_per_s"),
        get(c16, "ours", "requests_per_s"),
        "req/s",
        higher_is_better=True,
        target=">= 6x ref",
    )
    throughput.met = throughput.ratio is not None and throughput.ratio >= 6.0
    rows.append(throughput)
    for label, key in (("slowest", "rounds_min_requests_per_s"), ("fastest", "rounds_max_requests_per_s")):
        rows.append(
            Row(
                f"1 person, c=16: throughput, {label} round",
                get(c16, "reference", key),
                get(c16, "ours", key),
                "req/s",
                higher_is_better=True,
            )
        )
    ratios = round_ratios(scenarios.get(c16, {}))
    rows.append(
        Row(
            "1 person, c=16: ratio, worst round",
            None,
            min(ratios) if ratios else None,
            "x",
            target=">= 6x every round",
            met=bool(ratios) and min(ratios) >= 6.0,
        )
    )
    rows.append(Row("1 person, c=16: p50", get(c16, "reference", "p50_ms"), get(c16, "ours", "p50_ms"), "ms"))
    rows.append(Row("1 person, c=16: p99", get(c16, "reference", "p99_ms"), get(c16, "ours", "p99_ms"), "ms"))
    # issue 11: 1,000 persons at least 75 times the reference, 10,000 persons within 80 ms
    reference_1000, ours_1000 = get("persons_1000", "reference", "median_ms"), get("persons_1000", "ours", "median_ms")
    thousand = Row("1,000 persons: median", reference_1000, ours_1000, "ms", target=">= 75x ref")
    thousand.met = thousand.ratio is not None and thousand.ratio >= 75
    median = get("persons_10000", "ours", "median_ms")
    ten_thousand = Row(
        "10,000 persons: median",
        get("persons_10000", "reference", "median_ms"),
        median,
        "ms",
        target="<= 80 ms",
        met=median is not None and median <= 80,
    )
    batches = (("persons_1000", "1,000 persons", thousand), ("persons_10000", "10,000 persons", ten_thousand))
    for scenario, label, row in batches:
        rows.append(row)
        rows.append(Row(f"{label}: min", get(scenario, "reference", "min_ms"), get(scenario, "ours", "min_ms"), "ms"))
    memory = "memory"
    rows.append(
        Row(
            "memory: mixed load throughput", None, get(memory, "ours", "requests_per_s"), "req/s", higher_is_better=True
        )
    )
    rows.append(Row("memory: RSS after warm-up", None, get(memory, "ours", "rss_after_warmup_mib"), "MiB"))
    rows.append(Row("memory: RSS at end", None, get(memory, "ours", "rss_end_mib"), "MiB"))
    rows.append(Row("memory: RSS max", None, get(memory, "ours", "rss_max_mib"), "MiB"))
    growth = get(memory, "ours", "growth_percent")
    rows.append(
        Row(
            "memory: growth (end vs warm-up)",
            None,
            growth,
            "%",
            target="<= 10 %",
            met=growth is not None and growth <= 10.0,
        )
    )
    return [row for row in rows if row.reference is not None or row.ours is not None]


def round_ratios(sides: dict[str, Any]) -> list[float]:
    """Our throughput over the reference's, round by round (the servers ran each round in turn)."""
    if "reference" not in sides or "ours" not in sides:
        return []
    pairs = zip(sides["reference"]["rounds"], sides["ours"]["rounds"], strict=True)
    return [
        ours["requests_per_s"] / reference["requests_per_s"] for reference, ours in pairs if reference["requests_per_s"]
    ]


def eligibility_rows(scenarios: dict[str, dict[str, Any]]) -> list[CostRow]:
    """``/eligibility`` side by side with ``/calculate`` (ours, same persons, same run), targets checked."""

    def get(scenario: str, key: str) -> float | None:
        return scenarios.get(scenario, {}).get("ours", {}).get(key)

    def one_person(label: str, scenario: str) -> list[CostRow]:
        """``scenario``'s one-person rows against ``/calculate``'s: latency at c=1, throughput at c=16."""
        c16 = f"{scenario}_c16"
        return [
            CostRow(f"{label}c=1: p50", get("one_person_c1", "p50_ms"), get(scenario, "p50_ms"), "ms", target="<= 2x"),
            CostRow(f"{label}c=1: p99", get("one_person_c1", "p99_ms"), get(scenario, "p99_ms"), "ms"),
            CostRow(
                f"{label}c=16: throughput, median round",
                get("one_person_c16", "requests_per_s"),
                get(c16, "requests_per_s"),
                "req/s",
                higher_is_better=True,
                target="<= 2x",
            ),
            CostRow(
                f"{label}c=16: throughput, slowest round",
                get("one_person_c16", "rounds_min_requests_per_s"),
                get(c16, "rounds_min_requests_per_s"),
                "req/s",
                higher_is_better=True,
            ),
            CostRow(f"{label}c=16: p50", get("one_person_c16", "p50_ms"), get(c16, "p50_ms"), "ms"),
        ]

    rows = [
        *one_person("1 person, ", "eligibility_1"),
        CostRow("1,000 persons: median", get("persons_1000", "median_ms"), get("eligibility_1000", "median_ms"), "ms"),
        *one_person("old-age only, 1 person, ", "old_age_1"),
    ]
    for row in rows:  # issue 11: /eligibility for one person within twice /calculate's cost
        if row.target:
            row.met = row.ratio is not None and row.ratio <= 2.0
    median = get("eligibility_10000", "median_ms")
    rows.append(
        CostRow(
            "10,000 persons: median",
            get("persons_10000", "median_ms"),
            median,
            "ms",
            target="/eligibility <= 150 ms",
            met=median is not None and median <= 150.0,
        )
    )
    rows.append(
        CostRow("10,000 persons: min", get("persons_10000", "min_ms"), get("eligibility_10000", "min_ms"), "ms")
    )
    return [row for row in rows if row.reference is not None or row.ours is not None]


def background_load(scenarios: dict[str, dict[str, Any]], noisy: float = 0.2) -> str:
    """A line on the CPU other processes (and other guests: steal) took while we measured."""
    measured = [
        (f"{scenario}/{side}", figures["cpu"])
        for scenario, sides in scenarios.items()
        for side, figures in sides.items()
        if "cpu" in figures
    ]
    if not measured:
        return "background load: not measured"
    other = max(measured, key=lambda item: item[1]["other_processes_cores"])
    steal = max(measured, key=lambda item: item[1]["steal_cores"])
    line = (
        f"background load while measuring: other processes up to {other[1]['other_processes_cores']:.2f} cores "
        f"({other[0]}), steal up to {steal[1]['steal_cores']:.2f} cores ({steal[0]})"
    )
    noisy_ones = [name for name, cpu in measured if cpu["other_processes_cores"] > noisy or cpu["steal_cores"] > noisy]
    if noisy_ones:
        line += (
            f"\nWARNING: other work (on this machine or, as steal, on its host) took more than {noisy:g} core "
            f"during {', '.join(noisy_ones)}: those figures are noisy"
        )
    return line


def package_version(name: str) -> str:
    """An installed distribution's version, or "not installed"."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    """The CPU model name (Linux), or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    """Where the benchmark ran."""
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def source_state() -> dict[str, Any]:
    """The commit measured and the files changed since (the working tree is what the servers run)."""
    root = Path(__file__).resolve().parent.parent

    def git(*arguments: str) -> str:
        try:
            return subprocess.run(  # noqa: S603 - fixed arguments
                ["git", *arguments],  # noqa: S607 - git from PATH
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            ).stdout.rstrip("\n")
        except (OSError, subprocess.SubprocessError):
            return ""

    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()]
    return {
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "uncommitted": [name for name in changed if not name.startswith("benchmarks/")],
    }


def versions() -> dict[str, str]:
    """Versions of the packages compared and of the servers under them."""
    return {
        name: package_version(name)
        for name in ("openfisca-core", "openfisca-sp", "fastapi", "uvicorn", "uvloop", "httptools", "flask", "gunicorn")
    }


# --------------------------------------------------------------------------- main


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short durations, for a smoke run")
    parser.add_argument("--workers", type=int, default=2, help="openfisca-sp worker processes (default 2 = cores)")
    parser.add_argument(
        "--reference-workers",
        type=int,
        help="openfisca serve gunicorn workers (default: as many as --workers, so that both use the same cores)",
    )
    parser.add_argument("--skip-reference-10k", action="store_true", help="skip the 10,000-person reference request")
    parser.add_argument("--memory-seconds", type=float, help="memory scenario duration (default 60, 10 with --quick)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the synthetic persons")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS})")
    arguments = parser.parse_args(argv)
    if arguments.reference_workers is None:
        arguments.reference_workers = arguments.workers
    return arguments


def servers(arguments: argparse.Namespace, logs: Path) -> tuple[Server, Server]:
    """The reference server and ours, on free ports, not started."""
    bin_dir = Path(sys.executable).parent  # the same environment as this interpreter
    reference_port, our_port = free_port(), free_port()
    while our_port == reference_port:
        our_port = free_port()
    reference = Server(
        name="openfisca serve",
        command=[
            str(bin_dir / "openfisca"),
            "serve",
            "--country-package",
            "openfisca_sp",
            "--bind",
            f"{HOST}:{reference_port}",
            "--workers",
            str(arguments.reference_workers),
        ],
        port=reference_port,
        ready_path="/spec",
        log_path=logs / "openfisca-serve.log",
    )
    ours = Server(
        name="openfisca-sp",
        command=[
            str(bin_dir / "openfisca-sp"),
            "serve",
            "--host",
            HOST,
            "--port",
            str(our_port),
            "--workers",
            str(arguments.workers),
            "--log-level",
            "warning",
        ],
        port=our_port,
        ready_path="/ready",
        log_path=logs / "openfisca-sp.log",
        environment={"OPENFISCA_SP_ACCESS_LOG": "0"},
    )
    return reference, ours


def benchmark(arguments: argparse.Namespace) -> dict[str, Any]:
    """Start both servers, run every scenario, stop the servers; return the results."""
    plan = Plan.quick() if arguments.quick else Plan()
    if arguments.memory_seconds is not None:
        plan = dataclasses.replace(plan, memory_seconds=arguments.memory_seconds)
    seed = arguments.seed
    print("Building requests …", flush=True)
    one_person = [synthetic_persons(1, seed + index)[0] for index in range(500)]
    thousands = [synthetic_persons(1_000, seed + 10_000 + index) for index in range(3)]
    ten_thousands = [synthetic_persons(10_000, seed + 20_000 + index) for index in range(2)]
    one_calculate = [calculate_body([person]) for person in one_person]
    k1_calculate = [calculate_body(persons) for persons in thousands]
    k10_calculate = [calculate_body(persons) for persons in ten_thousands]
    one_eligibility = [eligibility_body([person]) for person in one_person]
    one_old_age = [eligibility_body([person], ["old_age"]) for person in one_person]  # what /calculate asks
    k1_eligibility = [eligibility_body(persons) for persons in thousands]
    k10_eligibility = [eligibility_body(persons) for persons in ten_thousands]

    results: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": arguments.quick,
        "machine": machine(),
        "versions": versions(),
        "source": source_state(),
        "settings": {
            "reference_workers": arguments.reference_workers,
            "reference_worker_class": "gunicorn sync (Connection: close after every answer)",
            "our_workers": arguments.workers,
            "our_server": "uvicorn + uvloop + httptools, OPENFISCA_SP_ACCESS_LOG=0, --log-level warning",
            "load_generator": f"benchmarks/http_load.py, one process, same machine, {http_load.event_loop_name()}",
            "seed": seed,
            "plan": plan.__dict__,
            "request_bytes": {
                "calculate_1": len(one_calculate[0]),
                "calculate_1000": len(k1_calculate[0]),
                "calculate_10000": len(k10_calculate[0]),
                "eligibility_1": len(one_eligibility[0]),
                "eligibility_1000": len(k1_eligibility[0]),
                "eligibility_10000": len(k10_eligibility[0]),
            },
        },
        "scenarios": {},
    }
    scenarios: dict[str, dict[str, Any]] = results["scenarios"]

    with tempfile.TemporaryDirectory(prefix="api-benchmark-") as logs, ExitStack() as stack:
        reference, ours = servers(arguments, Path(logs))
        meter = CpuMeter([reference, ours])
        for server in (reference, ours):
            stack.enter_context(running(server))
        for server in (reference, ours):
            waited = server.wait_ready()
            print(f"{server.name} ready on port {server.port} after {waited:.1f} s", flush=True)
            results["settings"][f"{server.name} ready_after_s"] = round(waited, 1)

        check = agreement(reference, ours, one_calculate[0])
        results["agreement"] = {"one_person_calculate": check}
        print(f"Same answer for the same one-person /calculate: {'yes' if check['agree'] else 'NO'}", flush=True)
        if not check["agree"]:
            print(json.dumps(check, indent=1)[:4000], flush=True)

        both = (("reference", reference), ("ours", ours))
        print("1. One person per request, concurrency 1", flush=True)
        scenarios["one_person_c1"] = {
            side: one_at_a_time(
                meter,
                server,
                [server.request("/calculate", body) for body in one_calculate],
                plan.one_warmup,
                plan.one_count,
            )
            for side, server in both
        }
        print(f"2. One person per request, concurrency {plan.concurrency}, in rounds", flush=True)
        scenarios["one_person_c16"] = in_rounds(
            meter,
            [(side, server, [server.request("/calculate", body) for body in one_calculate]) for side, server in both],
            plan,
        )
        print("3. 1,000 persons per request", flush=True)
        scenarios["persons_1000"] = {
            side: repeated(
                meter, server, [server.request("/calculate", body) for body in k1_calculate], *counts, "1,000 persons"
            )
            for (side, server), counts in zip(both, [plan.k1_reference, plan.k1_ours], strict=True)
        }
        print("4. 10,000 persons per request", flush=True)
        scenarios["persons_10000"] = {}
        if arguments.skip_reference_10k:
            print("  openfisca serve: skipped (--skip-reference-10k)", flush=True)
        else:
            scenarios["persons_10000"]["reference"] = repeated(
                meter,
                reference,
                [reference.request("/calculate", body) for body in k10_calculate],
                *plan.k10_reference,
                "10,000 persons",
            )
        scenarios["persons_10000"]["ours"] = repeated(
            meter, ours, [ours.request("/calculate", body) for body in k10_calculate], *plan.k10_ours, "10,000 persons"
        )
        print("5. /eligibility (openfisca-sp only)", flush=True)
        scenarios |= one_person_eligibility("eligibility_1", meter, ours, one_eligibility, plan)
        print("   the old-age branch only: the question /calculate asks", flush=True)
        scenarios |= one_person_eligibility("old_age_1", meter, ours, one_old_age, plan)
        scenarios["eligibility_1000"] = {
            "ours": repeated(
                meter,
                ours,
                [ours.request("/eligibility", body) for body in k1_eligibility],
                *plan.eligibility_batch,
                "/eligibility 1,000 persons",
            )
        }
        scenarios["eligibility_10000"] = {
            "ours": repeated(
                meter,
                ours,
                [ours.request("/eligibility", body) for body in k10_eligibility],
                *plan.eligibility_batch,
                "/eligibility 10,000 persons",
            )
        }
        print("6. Memory under load (openfisca-sp only)", flush=True)
        scenarios["memory"] = {
            "ours": memory_under_load(
                meter,
                ours,
                [ours.request("/calculate", body) for body in one_calculate],
                [ours.request("/calculate", body) for body in k1_calculate],
                plan,
            )
        }
        for server in (reference, ours):
            if server.process is not None and server.process.poll() is not None:
                results.setdefault("server_exits", {})[server.name] = server.log_tail()
    return results


def report(results: dict[str, Any]) -> str:
    """The header, the table, the failures and the targets, as printed."""
    settings, machine_info, package = results["settings"], results["machine"], results["versions"]
    source = results["source"]
    rows = table_rows(results["scenarios"])
    results["table"] = [row.as_dict() for row in rows]
    costs = eligibility_rows(results["scenarios"])
    results["eligibility_table"] = [row.as_dict() for row in costs]
    ratios = round_ratios(results["scenarios"].get("one_person_c16", {}))
    failures = [
        f"{scenario} / {'openfisca serve' if side == 'reference' else 'openfisca-sp'}: {', '.join(figures['problems'])}"
        for scenario, sides in results["scenarios"].items()
        for side, figures in sides.items()
        if figures.get("failures")
    ]
    if not results["agreement"]["one_person_calculate"]["agree"]:
        failures.insert(0, "the two servers do NOT give the same answer to the same /calculate request")
    results["failures"] = failures
    background = background_load(results["scenarios"])
    targets = [(row.scenario, row) for row in rows if row.target]
    targets += [(f"/eligibility {row.scenario}", row) for row in costs if row.target]
    missed = [name for name, row in targets if not row.met]
    lines = [
        "",
        f"HTTP API benchmark{' (QUICK: short durations, figures indicative only)' if results['quick'] else ''}",
        f"machine: {machine_info['cpu_count']} CPUs ({machine_info['cpu_model']}), "
        f"{machine_info['memory_gib']} GiB, Python {machine_info['python']}, {machine_info['platform']}",
        f"openfisca-core {package['openfisca-core']}, openfisca-sp {package['openfisca-sp']}; "
        f"flask {package['flask']}, gunicorn {package['gunicorn']}; fastapi {package['fastapi']}, "
        f"uvicorn {package['uvicorn']}, uvloop {package['uvloop']}, httptools {package['httptools']}",
        f"source: commit {source['commit']}"
        + (f" + uncommitted changes to {', '.join(source['uncommitted'])}" if source["uncommitted"] else ""),
        f"openfisca serve: {settings['reference_workers']} workers, {settings['reference_worker_class']}",
        f"openfisca-sp serve: {settings['our_workers']} workers, {settings['our_server']}",
        f"load generator: {settings['load_generator']}",
        "same answer to the same one-person /calculate: "
        + ("yes" if results["agreement"]["one_person_calculate"]["agree"] else "NO"),
        "ratio: how many times better openfisca-sp is (reference time / our time; our rate / reference rate)",
        "",
        render(rows),
        "c=16 rounds (each on fresh connections, the servers in turn), our rate / the reference's: "
        + ", ".join(f"{ratio:.1f}x" for ratio in ratios),
        "",
        "openfisca-sp: /eligibility (all four branches decided, with schedules; 'old-age only': the old-age branch, "
        "the question /calculate asks) against /calculate (three old-age results), same persons; cost: /eligibility "
        "time / /calculate time (or /calculate rate / /eligibility rate)",
        "",
        render(costs, ("scenario", "/calculate", "/eligibility", "cost", "target")),
        "",
        f"targets met: {len(targets) - len(missed)} of {len(targets)}"
        + (f"; MISSED: {'; '.join(missed)}" if missed else ""),
        background,
    ]
    if failures:
        lines += ["", "!" * 78, "ERRORS DURING THE BENCHMARK (figures below are not trustworthy):"]
        lines += [f"  {failure}" for failure in failures]
        lines += ["!" * 78]
    else:
        lines.append("errors: none (every request answered 200)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table, save the JSON."""
    arguments = parse_arguments(argv)

    def terminate(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)  # unwinds through the servers' ``finally``: they are stopped

    signal.signal(signal.SIGTERM, terminate)
    results = benchmark(arguments)
    text = report(results)
    print(text, flush=True)
    results["table_text"] = text
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nsaved: {arguments.output}", flush=True)
    return 1 if results["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())

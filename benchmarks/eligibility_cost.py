"""Where a one-person ``/eligibility`` request's time goes, and what issue 11's target leaves its decision.

The target asks ``/eligibility`` for one person to cost at most twice ``/calculate`` for one person (at
concurrency 1, and at concurrency 16 where concurrent requests are decided as one batch). This script starts the
real server (``openfisca-sp serve``, uvicorn on 127.0.0.1, 2 workers as in ``api_benchmark.py``) and, in turns
(cycles), so that the slow and fast spells of a shared machine weigh on every figure alike:

1. sends one-person ``/calculate`` and ``/eligibility`` requests over HTTP (``api_benchmark.py``'s persons and
   bodies): at concurrency 1, one after the other on one keep-alive connection, where each ``/eligibility``
   answer's ``Server-Timing`` header says how long its decision took in the server; at concurrency 16, the
   server's CPU per request (``api_benchmark.py``'s load generator and rounds);
2. times in this process, as a worker runs them, reading and validating one such request and deciding batches
   of 1 and 8 (``EligibilityAnswers.decide``), and splits the decision of one request into
   - **the formulas' own work**: the time inside the rules' formulas (``variables/``), less the reads and
     calculations they ask for;
   - **openfisca-core's calculation bookkeeping**: the rest of every ``Simulation.calculate`` (holders, period
     and cycle checks, casts, caches, the tracer's stack), ours (``rules.cached_reads``) and openfisca-core's;
   - **the decision's assembly**: everything else (the facts read into columns, the simulation built and its
     inputs set, reasons, missing facts, dates of payment, legal bases, the answers written as JSON).

For each concurrency it prints what the target leaves the decision: twice ``/calculate``, less the rest of an
``/eligibility`` request (at concurrency 1 its latency less its decision, request by request; at 16 its CPU less
the decision of a batch of 8 timed in process just before and after), beside the formulas' own work, and the
**floor**: the rest of the request plus the formulas' own work, in ``/calculate``s, what ``/eligibility`` would
cost if openfisca-core's bookkeeping and the decision's assembly cost nothing. Every figure is the median over
the cycles of that cycle's figure (each a median of its own): the machine's speed changes from one minute to
the next, and the cycles keep the figures set against each other measured close together.

    .venv/bin/python benchmarks/eligibility_cost.py --json benchmarks/results/eligibility_cost.json
    .venv/bin/python benchmarks/eligibility_cost.py --cycles 2 --rounds 10   # a smoke run
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import itertools
import json
import re
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import api_benchmark as api  # noqa: E402 - the same persons and bodies as the HTTP benchmark

from openfisca_sp.api.eligibility_answers import Claims, EligibilityAnswers  # noqa: E402
from openfisca_sp.api.hot_lane import validated_body  # noqa: E402
from openfisca_sp.api.models import eligibility_request_model  # noqa: E402
from openfisca_sp.api.settings import Settings  # noqa: E402
from openfisca_sp.rules import cached_reads  # noqa: E402
from openfisca_sp.rules.system import tax_benefit_system  # noqa: E402

BATCH_SIZES = (1, 8)
SERVER_TIMING = re.compile(rb"decide;dur=([0-9.]+)")
SEED = api.DEFAULT_SEED  # the same persons as api_benchmark.py's


class Split:
    """Times spent in formulas (own work) and in calculations (all of it, outermost calls only) while installed."""

    def __init__(self) -> None:
        self.formulas = 0.0
        self.calculations = 0.0
        self.calls = 0
        self._nested: list[float] = [0.0]
        self._depth = 0

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Wrap ``RulesSimulation.calculate`` and ``cached_reads.run_formula`` while the block runs."""
        calculate, run_formula = cached_reads.RulesSimulation.calculate, cached_reads.run_formula
        cached_reads.RulesSimulation.calculate = self._calculate(calculate)
        cached_reads.run_formula = self._formula(run_formula)
        try:
            yield
        finally:
            cached_reads.RulesSimulation.calculate, cached_reads.run_formula = calculate, run_formula

    def _calculate(self, calculate: Callable[..., Any]) -> Callable[..., Any]:
        def timed(simulation: Any, variable: str, period: Any) -> Any:
            self._depth += 1
            started = time.perf_counter()
            try:
                return calculate(simulation, variable, period)
            finally:
                spent = time.perf_counter() - started
                self._depth -= 1
                self._nested[-1] += spent  # the formula that asked for it does not count it as its own
                if not self._depth:
                    self.calculations += spent
                self.calls += 1

        return timed

    def _formula(self, run_formula: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*arguments: Any) -> Any:
            self._nested.append(0.0)
            started = time.perf_counter()
            try:
                return run_formula(*arguments)
            finally:
                spent = time.perf_counter() - started
                self.formulas += spent - self._nested.pop()

        return timed


def claims_of(answers: EligibilityAnswers, model: type, bodies: list[bytes]) -> list[Claims]:
    return [answers.claims(validated_body(model, body)) for body in bodies]


def timed_once(action: Callable[[], Any]) -> float:
    """Seconds one call of ``action`` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


class InProcess:
    """The requests' reading and decisions, timed in this process as a worker runs them."""

    def __init__(self, bodies: list[bytes]) -> None:
        system = tax_benefit_system()
        answers = EligibilityAnswers(system)
        model = eligibility_request_model(system, Settings().max_persons)
        claims = claims_of(answers, model, bodies)
        self.actions: dict[str, Callable[[], Any]] = {
            "reading_and_validating_us": lambda: claims_of(answers, model, bodies[:1])
        }
        for size in BATCH_SIZES:  # batches of other persons in turn: a worker keeps the answers it has written
            starts = range(0, len(claims) - size + 1, size)
            batches = itertools.cycle([claims[start : start + size] for start in starts])
            self.actions[f"deciding_batch_of_{size}_us"] = lambda batches=batches: answers.decide(next(batches))
        for _ in range(30):  # warm: caches of periods, formulas, parameters
            for action in self.actions.values():
                action()

    def measure(self, rounds: int) -> dict[str, Any]:
        """Each action's median in microseconds (the actions take turns, the collector paused as a worker pauses
        it), and the split of one decision."""
        split = Split()
        timings: dict[str, list[float]] = {name: [] for name in self.actions}
        instrumented = 0.0
        gc.collect()
        gc.disable()
        try:
            for _ in range(rounds):
                for name, action in self.actions.items():
                    timings[name].append(timed_once(action))
                with split.installed():
                    instrumented += timed_once(self.actions["deciding_batch_of_1_us"])
        finally:
            gc.enable()
        figures: dict[str, Any] = {name: 1e6 * statistics.median(found) for name, found in timings.items()}
        total = figures["deciding_batch_of_1_us"]
        figures["calculate_calls_per_decision"] = split.calls / rounds
        figures["formulas_own_work_us"] = total * split.formulas / instrumented
        figures["calculation_bookkeeping_us"] = total * (split.calculations - split.formulas) / instrumented
        figures["assembly_us"] = total * (instrumented - split.calculations) / instrumented
        return figures


class Connection:
    """One keep-alive connection that sends a request and waits for its whole answer (``Content-Length``)."""

    def __init__(self, port: int) -> None:
        self.socket = socket.create_connection((api.HOST, port))
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def ask(self, payload: bytes) -> tuple[float, float | None]:
        """Seconds from sending ``payload`` to the end of its answer (a 200), and the seconds its decision took
        by the answer's ``Server-Timing`` (None without one)."""
        started = time.perf_counter()
        self.socket.sendall(payload)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.socket.recv(65536)
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        headers = dict(line.lower().split(b": ", 1) for line in head.split(b"\r\n")[1:])
        length = int(headers[b"content-length"])
        while len(self.buffer) < length:
            self.buffer += self.socket.recv(65536)
        self.buffer = self.buffer[length:]
        spent = time.perf_counter() - started
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"answered {head[:40]!r}")
        timing = SERVER_TIMING.fullmatch(headers.get(b"server-timing", b""))
        return spent, None if timing is None else float(timing[1]) / 1e3

    def close(self) -> None:
        self.socket.close()


def one_by_one(port: int, requests: dict[str, list[bytes]], count: int) -> dict[str, float]:
    """Concurrency 1: ``count`` requests to each route, one after the other on one connection (after a
    tenth as many to warm up); median latencies and, for ``/eligibility``, the median decision (its
    ``Server-Timing``) and the median rest of the request (its latency less its decision), in microseconds."""
    connection = Connection(port)
    found: dict[str, float] = {}
    try:
        for path, sent in requests.items():
            for index in range(count // 10):
                connection.ask(sent[index % len(sent)])
            answers = [connection.ask(sent[index % len(sent)]) for index in range(count)]
            found[f"{path}_c1_us"] = 1e6 * statistics.median(spent for spent, _ in answers)
            if path == "eligibility":
                found["decision_c1_us"] = 1e6 * statistics.median(deciding for _, deciding in answers)
                found["rest_c1_us"] = 1e6 * statistics.median(spent - deciding for spent, deciding in answers)
    finally:
        connection.close()
    return found


def _cpu_per_request_us(scenario: dict[str, Any]) -> float:
    """The server's CPU time per answered request (all workers), in microseconds."""
    return 1e6 * scenario["cpu"]["openfisca-sp cpu_s"] / scenario["requests"]


def at_concurrency_16(server: Any, meter: Any, requests: dict[str, list[bytes]], plan: Any) -> dict[str, float]:
    """The server's CPU per request at concurrency 16, in microseconds, ``/calculate`` then ``/eligibility``."""
    found = {}
    for path, sent in requests.items():
        many = api.in_rounds(meter, [("ours", server, sent)], plan)["ours"]
        found[f"{path}_c16_cpu_us"] = _cpu_per_request_us(many)
    return found


def budget(figures: dict[str, Any]) -> dict[str, Any]:
    """What the target leaves the decision in one cycle: at concurrency 1, the latency (the decision by the
    server's ``Server-Timing``, the formulas' share of it as timed in process); at 16, the server's CPU per
    request (the decision per request of a batch of 8, timed in process just before and after)."""
    own_share = figures["formulas_own_work_us"] / figures["deciding_batch_of_1_us"]
    per_request_8 = figures["deciding_batch_of_8_us"] / 8
    rows = {
        "c1": ("calculate_c1_us", figures["eligibility_c1_us"], figures["decision_c1_us"], figures["rest_c1_us"]),
        "c16": (
            "calculate_c16_cpu_us",
            figures["eligibility_c16_cpu_us"],
            per_request_8,
            figures["eligibility_c16_cpu_us"] - per_request_8,
        ),
    }
    found = {}
    for key, (calculate, eligibility, decision, rest) in rows.items():
        formulas = own_share * (decision if key == "c1" else figures["deciding_batch_of_1_us"] / 8)
        found[f"{key}_ratio"] = eligibility / figures[calculate]
        found[f"{key}_decision_us"] = decision
        found[f"{key}_rest_of_the_request_us"] = rest
        found[f"{key}_decision_allowed_us"] = 2 * figures[calculate] - rest
        found[f"{key}_formulas_own_work_us"] = formulas
        found[f"{key}_floor_ratio"] = (rest + formulas) / figures[calculate]
    return found


def run(cycles: int, rounds: int, requests_c1: int, workers: int, branches: list[str] | None) -> list[dict[str, Any]]:
    """Every cycle's figures, ``/eligibility`` deciding ``branches`` (all without)."""
    persons = [api.synthetic_persons(1, SEED + index)[0] for index in range(500)]
    bodies = {"calculate": api.calculate_body, "eligibility": lambda one: api.eligibility_body(one, branches)}
    written = {path: [write([person]) for person in persons] for path, write in bodies.items()}
    in_process = InProcess(written["eligibility"])
    plan = dataclasses.replace(api.Plan(), c16_warmup_s=0.5, c16_rounds=1, c16_round_s=3.0)
    options = argparse.Namespace(workers=workers, reference_workers=workers)
    found = []
    with tempfile.TemporaryDirectory(prefix="eligibility-cost-") as logs:
        _, ours = api.servers(options, Path(logs))
        meter = api.CpuMeter([ours])
        with api.running(ours):
            print(f"openfisca-sp ready after {ours.wait_ready():.1f} s", flush=True)
            requests = {path: [ours.request(f"/{path}", body) for body in sent] for path, sent in written.items()}
            for cycle in range(cycles):
                print(f"cycle {cycle + 1} of {cycles}", flush=True)
                before = in_process.measure(rounds)
                figures = one_by_one(ours.port, requests, requests_c1) | at_concurrency_16(ours, meter, requests, plan)
                after = in_process.measure(rounds)
                figures |= {name: (before[name] + after[name]) / 2 for name in before}
                found.append(figures | budget(figures))
    return found


def medians(cycles: list[dict[str, Any]]) -> dict[str, float]:
    return {name: statistics.median(cycle[name] for cycle in cycles) for name in cycles[0]}


def report(figures: dict[str, float], cycles: int) -> str:
    lines = [
        f"one-person /eligibility, medians of {cycles} cycles, us",
        "in one process:",
        f"  reading and validating a request            {figures['reading_and_validating_us']:9,.0f}",
        f"  deciding a batch of 1 request               {figures['deciding_batch_of_1_us']:9,.0f}",
        f"  deciding a batch of 8 requests, per request {figures['deciding_batch_of_8_us'] / 8:9,.0f}",
        f"  calculate calls per decision                {figures['calculate_calls_per_decision']:9,.0f}",
        "  a decision of one request, split:",
        f"    the formulas' own work                    {figures['formulas_own_work_us']:9,.0f}",
        f"    openfisca-core's calculation bookkeeping  {figures['calculation_bookkeeping_us']:9,.0f}",
        f"    the decision's assembly                   {figures['assembly_us']:9,.0f}",
        "over HTTP, against the target (at most 2 times /calculate):",
    ]
    for key, label, unit in (("c1", "concurrency 1", "us"), ("c16", "concurrency 16", "cpu_us")):
        measure = "median latency" if key == "c1" else "server CPU per request"
        lines += [
            f"  {label}, {measure}: /calculate {figures[f'calculate_{key}_{unit}']:,.0f}, "
            f"/eligibility {figures[f'eligibility_{key}_{unit}']:,.0f} ({figures[f'{key}_ratio']:.1f} times)",
            f"    the decision {figures[f'{key}_decision_us']:,.0f} + the rest of the request "
            f"{figures[f'{key}_rest_of_the_request_us']:,.0f}; within 2 times the decision may cost "
            f"{figures[f'{key}_decision_allowed_us']:,.0f}; the formulas' own work alone takes "
            f"{figures[f'{key}_formulas_own_work_us']:,.0f}; floor {figures[f'{key}_floor_ratio']:.1f} times",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=8, help="turns of HTTP and in-process figures (default 8)")
    parser.add_argument("--rounds", type=int, default=40, help="in-process timings per action per cycle")
    parser.add_argument("--requests-c1", type=int, default=300, help="requests per route at concurrency 1, per cycle")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2 = cores)")
    parser.add_argument(
        "--branches",
        nargs="+",
        help="the branches /eligibility decides (default all; old_age asks what /calculate asks)",
    )
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    arguments = parser.parse_args()
    cycles = run(arguments.cycles, arguments.rounds, arguments.requests_c1, arguments.workers, arguments.branches)
    figures = medians(cycles)
    print(report(figures, len(cycles)))
    if arguments.json:
        saved = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": api.machine(),
            "versions": api.versions(),
            "source": api.source_state(),
            "medians": figures,
            "cycles": cycles,
        }
        arguments.json.write_text(json.dumps(saved, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Two installs of openfisca-sp deciding the same `/eligibility` batches, in alternation on one core.

A change of a few percent in a decision is smaller than this shared host's swings (its speed moves by up to two
times from one minute to the next), so two runs one after the other cannot tell it. This script starts one
worker process per install (each a Python interpreter whose ``openfisca_sp`` is that install's, for example a
virtual environment on a ``git worktree`` of the base commit), pins both to the same core, and asks them in turn
(ABBA) to read and decide one batch of one-person requests as a worker of the service does
(``api.reading_together``: the requests parsed, read together and decided, their answers written); each reports
how long its batch took. Every pair of turns is measured within a few milliseconds, so the ratio of a pair is
free of the host's swings; the script prints the medians and the median ratio with its interquartile range.

    .venv/bin/python benchmarks/decision_pairs.py --base /tmp/base/.venv/bin/python --batch 8
    .venv/bin/python benchmarks/decision_pairs.py --base /tmp/base/.venv/bin/python --batch 1 --branches old_age

The requests are ``api_benchmark.py``'s synthetic persons (Lao PDR), the same in both workers.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORE = "1"  # the core both workers run on (``taskset``)
WARM_UP = 40  # batches each worker decides before it is timed
BATCHES = 64  # distinct batches of persons decided in turn


def warmed_batch(batch: int, branches: list[str] | None) -> Callable[[], None]:
    """A function that reads and decides ``batch`` one-person requests as a worker of the service does
    (``api.reading_together``: parsed, read together, decided, answers written), called ``WARM_UP`` times
    already, the collector then run and turned off (as a worker deciding a batch: ``api.memory``). Each call
    decides the next of ``BATCHES`` batches of other persons, in turn: a worker keeps the answers it has already
    written (``KnownAnswers``), and persons who differ from one request to the next, as the HTTP benchmark's
    500 do, ask it for new ones where theirs differ."""
    import orjson

    sys.path.insert(0, str(HERE))
    import api_benchmark as api

    from openfisca_sp.api.eligibility_answers import EligibilityAnswers
    from openfisca_sp.api.reading_together import reading_together
    from openfisca_sp.api.settings import Settings
    from openfisca_sp.rules.system import tax_benefit_system

    system = tax_benefit_system()
    together = reading_together(system, EligibilityAnswers(system), Settings().max_persons)
    persons = api.synthetic_persons(batch * BATCHES, api.DEFAULT_SEED)
    bodies = [api.eligibility_body([person], branches) for person in persons]
    turn = itertools.cycle(range(BATCHES))

    def once() -> None:
        start = next(turn) * batch
        answers = together.decide([together.unread(orjson.loads(body)) for body in bodies[start : start + batch]])
        if any(isinstance(answer, Exception) for answer in answers):
            raise SystemExit(f"a request was refused: {answers}")

    for _ in range(WARM_UP):
        once()
    gc.collect()
    gc.disable()
    return once


def worker(batch: int, branches: list[str] | None) -> None:
    """Decide ``batch`` requests each time a line arrives (the number of batches to time), print the seconds one
    took."""
    once = warmed_batch(batch, branches)
    for line in sys.stdin:
        count = int(line)
        started = time.perf_counter()
        for _ in range(count):
            once()
        print((time.perf_counter() - started) / count, flush=True)


class Worker:
    """A worker process of one install, pinned to ``CORE``."""

    def __init__(self, python: str, batch: int, branches: list[str] | None) -> None:
        command = ["taskset", "-c", CORE, python, str(Path(__file__).resolve()), "--worker", "--batch", str(batch)]
        command += ["--branches", ",".join(branches)] if branches else []
        self.process = subprocess.Popen(  # noqa: S603 - our own command line, the interpreter the operator named
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )

    def seconds(self) -> float:
        """How long one batch takes, measured now."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("1\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def pairs(base: Worker, new: Worker, seconds: float) -> list[tuple[float, float]]:
    """(base, new) batch times, alternately base first and new first, for ``seconds``."""
    found = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        first = base.seconds()
        found.append((first, new.seconds()))
        second = new.seconds()
        found.append((base.seconds(), second))
    return found


def summary(found: list[tuple[float, float]]) -> dict[str, Any]:
    ratios = sorted(new / base for base, new in found)
    quarter = len(ratios) // 4
    return {
        "pairs": len(found),
        "base_median_us": round(1e6 * statistics.median(base for base, _ in found)),
        "new_median_us": round(1e6 * statistics.median(new for _, new in found)),
        "median_ratio": round(statistics.median(ratios), 3),
        "ratio_iqr": [round(ratios[quarter], 3), round(ratios[3 * quarter], 3)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the Python of the install to compare against")
    parser.add_argument("--new", default=sys.executable, help="the Python of the install measured (this one)")
    parser.add_argument("--batch", type=int, default=8, help="one-person requests per batch (8: concurrency 16)")
    parser.add_argument("--branches", help="comma-separated branches asked (default: all)")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    branches = arguments.branches.split(",") if arguments.branches else None
    if arguments.worker:
        worker(arguments.batch, branches)
        return
    if not arguments.base:
        parser.error("--base is required")
    base, new = (Worker(python, arguments.batch, branches) for python in (arguments.base, arguments.new))
    try:
        figures = summary(pairs(base, new, arguments.seconds))
    finally:
        base.close()
        new.close()
    figures |= {"batch": arguments.batch, "branches": ",".join(branches) if branches else "all"}
    print(
        f"batch of {arguments.batch}, branches {figures['branches']}: base {figures['base_median_us']:,} us, "
        f"new {figures['new_median_us']:,} us; new/base per pair: median {figures['median_ratio']}, "
        f"interquartile {figures['ratio_iqr'][0]}-{figures['ratio_iqr'][1]} ({figures['pairs']} pairs)"
    )
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()

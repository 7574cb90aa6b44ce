"""Instructions a batch of one-person `/eligibility` decisions takes, counted by Valgrind, for one or two installs.

Timings on this shared host move by up to two times from one minute to the next, more than a change of a few
percent (``decision_pairs.py`` narrows that by alternating, but its pairs still spread by a tenth either way).
Counting the instructions executed does not depend on the host's speed; runs of one install still differ by up
to 2% (Python's hash seed fixed, address randomisation off), so each install is counted ``--runs`` times and
the median given. This script runs, under Valgrind's ``cachegrind`` (no cache simulation), a worker that reads
and decides ``--batches`` batches of ``--batch`` one-person requests as a worker of the service does
(``api.reading_together``, after a warm-up and a collection, the collector then off), once with no batch and
once with them, and prints the difference per batch; with ``--base``, for that install too, side by side.

    .venv/bin/python benchmarks/decision_instructions.py --base /tmp/base/.venv/bin/python --batch 8

About 2 minutes an install (Valgrind runs Python some 50 times slower). Needs ``valgrind`` on the path.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def worker(batch: int, batches: int, branches: list[str] | None) -> None:
    """Decide ``batches`` batches of ``batch`` one-person requests, after ``decision_pairs.warmed_batch``'s
    warm-up, and leave."""
    sys.path.insert(0, str(HERE))
    from decision_pairs import warmed_batch

    once = warmed_batch(batch, branches)
    for _ in range(batches):
        once()
    sys.stdout.flush()
    os._exit(0)  # no interpreter shutdown, whose cost grows with the garbage the batches left


def instructions(python: str, batch: int, batches: int, branches: list[str] | None) -> int:
    """Instructions a run of the worker executes (all of them, the interpreter's start included)."""
    command = ["setarch", "-R", "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [python, str(Path(__file__).resolve()), "--worker", "--batch", str(batch), "--batches", str(batches)]
    command += ["--branches", ",".join(branches)] if branches else []
    environment = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(command, capture_output=True, text=True, env=environment, cwd="/", check=True)  # noqa: S603
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_batch(python: str, batch: int, batches: int, branches: list[str] | None, runs: int) -> list[float]:
    """Instructions one batch takes with ``python``'s install, in each of ``runs`` runs: a run with ``batches``
    less a run with none."""
    return [
        (instructions(python, batch, batches, branches) - instructions(python, batch, 0, branches)) / batches
        for _ in range(runs)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the Python of an install to compare against")
    parser.add_argument("--new", default=sys.executable, help="the Python of the install measured (this one)")
    parser.add_argument("--batch", type=int, default=8, help="one-person requests per batch (8: concurrency 16)")
    parser.add_argument("--batches", type=int, default=200, help="batches counted")
    parser.add_argument("--branches", help="comma-separated branches asked (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="runs per install, their median reported")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    branches = arguments.branches.split(",") if arguments.branches else None
    if arguments.worker:
        worker(arguments.batch, arguments.batches, branches)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not on the path (Debian: apt install valgrind)")
    figures = {"batch": arguments.batch, "batches": arguments.batches, "branches": ",".join(branches or ["all"])}
    found = {"new": per_batch(arguments.new, arguments.batch, arguments.batches, branches, arguments.runs)}
    if arguments.base:
        found["base"] = per_batch(arguments.base, arguments.batch, arguments.batches, branches, arguments.runs)
    line = f"batch of {arguments.batch}, branches {figures['branches']}:"
    for name, counts in found.items():
        figures[name] = statistics.median(counts)
        figures[f"{name}_runs"] = counts
        line += f" {name} {figures[name]:,.0f} (runs {min(counts):,.0f} to {max(counts):,.0f}),"
    if arguments.base:
        figures["new_over_base"] = figures["new"] / figures["base"]
        line += f" new/base {figures['new_over_base']:.3f},"
    line = line.rstrip(",") + " instructions"
    print(line + " per batch")
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()

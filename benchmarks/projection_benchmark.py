"""Projection benchmark: a 30-year projection of a 10-million-person population, in one process and on a Dask
LocalCluster, beside openfisca-core's SimulationBuilder running one month of the same rules over the same file.

The population is the seeded synthetic Parquet file of ``population_benchmark.py`` (vnm, October 2026); the
scenario is the shipped ``scenario:vnm`` (the R202 social pension from 2027) with its years set here. Each path
runs in its own process; its peak memory is the largest memory of that process and its children (proportional
set sizes: pages the forked workers share with their parent count once). The
script prints a side-by-side table and saves every figure to ``benchmarks/results/projection.json``.

    .venv/bin/python benchmarks/projection_benchmark.py                                  # 10 million, 2026-2055
    .venv/bin/python benchmarks/projection_benchmark.py --persons 200000 --last 2030     # a smoke run

Paths:

- ``local``: ``openfisca_sp.projection.project`` in one process, year after year;
- ``forked``: ``project(..., workers=--workers)``: the years side by side in forked processes that share the
  base table;
- ``dask``: ``openfisca_sp.distributed.project_distributed`` on a LocalCluster of ``--workers`` processes (one
  thread each), one task per year;
- ``reference``: ``population_benchmark.py``'s ``simulation_builder`` path (openfisca-core's documented
  ``SimulationBuilder``, ``set_input`` and ``calculate``) for the base month: one month of the baseline rules
  only, where a projection year is the baseline and the reform, moved, reweighted and aggregated.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import population_benchmark as population  # noqa: E402 - the data file and the reference path are its own

RESULTS = HERE / "results" / "projection.json"
PATHS = ("local", "forked", "dask", "reference")
GB = 1e9


class PeakMemory:
    """The largest memory of a process and its children, polled every 0.2 s: the sum of their proportional set
    sizes (``Pss`` of ``/proc/<pid>/smaps_rollup``: a page shared by forked processes counts once in all, not
    once in each), or of their resident sizes where the kernel does not give it.

    A process alone is measured by its resident size: reading ``smaps_rollup`` walks every page table of the
    process: in a two-year run of 2 million persons it took 4.7% of the machine's CPU samples (``perf``), taken
    from the run measured.
    """

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                children = self.process.children(recursive=True)
                total = 0
                for each in [self.process, *children]:
                    with contextlib.suppress(psutil.Error):
                        shared = proportional_size(each.pid) if children else None
                        total += shared or each.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.Error:
                return
            self._stop.wait(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def proportional_size(pid: int) -> int | None:
    """A process's proportional set size in bytes (None where the kernel does not give it)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def scenario_file(folder: Path, first: int, last: int) -> Path:
    """The shipped vnm scenario with the benchmark's years."""
    from openfisca_sp.projection import shipped_scenario

    data = yaml.safe_load(shipped_scenario("vnm").read_text(encoding="utf-8"))
    data["years"] = {"first": first, "last": last}
    path = folder / "vnm-benchmark.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def child(arguments: argparse.Namespace) -> int:
    """Run one path in this process and print its figures as JSON on the last line."""
    started = time.perf_counter()
    stamps: list[float] = []
    if arguments.child in ("local", "forked"):
        from openfisca_sp.projection import project

        projection = project(
            arguments.scenario,
            population=arguments.data,
            progress=lambda done, total: stamps.append(time.perf_counter()),
            workers=arguments.workers if arguments.child == "forked" else 1,
        )
    else:
        from distributed import Client, LocalCluster

        from openfisca_sp.distributed import project_distributed

        with (
            LocalCluster(
                n_workers=arguments.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                memory_limit=0,
            ) as cluster,
            Client(cluster) as client,
        ):
            ready = time.perf_counter()
            projection = project_distributed(
                client,
                arguments.scenario,
                arguments.data,
                progress=lambda done, total: stamps.append(time.perf_counter()),
            )
            stamps.insert(0, ready)
    wall = time.perf_counter() - started
    years = projection.years
    reform_2055 = years[(years.side == "reform")].iloc[-1]
    print(
        json.dumps(
            {
                "wall_s": wall,
                "years": int(years.year.nunique()),
                "year_done_s": [stamp - started for stamp in stamps],
                "persons": projection.meta["persons"],
                "last_year_reform_cost": reform_2055["cost"],
                "last_year_reform_share_of_gdp": reform_2055["cost_share_of_gdp"],
                "cost_by_year": [row["cost"] for row in projection.to_dict()["years"]],
            }
        )
    )
    return 0


def run_path(name: str, arguments: argparse.Namespace, data: Path, scenario: Path) -> dict[str, Any]:
    """Run a path in its own process, with its peak memory (process and children); the reference writes its
    figures beside ``scenario``."""
    output = scenario.parent / f"{name}.json"
    if name == "reference":
        command = [
            sys.executable,
            str(HERE / "population_benchmark.py"),
            "--persons",
            str(arguments.persons),
            "--paths",
            "simulation_builder",
            "--warm-gb",
            "0",
            "--json",
            str(output),
        ]
    else:
        command = [sys.executable, __file__, "--child", name, "--data", str(data), "--scenario", str(scenario)]
        command += ["--workers", str(arguments.workers)]
    print(f"running {name} ...", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603 - our own script
    memory = PeakMemory(process.pid)
    stdout, _ = process.communicate(timeout=arguments.timeout)
    peak = memory.stop()
    wall = time.perf_counter() - started
    if process.returncode:
        return {"path": name, "failed": f"exit code {process.returncode}", "wall_s": wall}
    if name == "reference":
        report = json.loads(output.read_text(encoding="utf-8"))["paths"]["simulation_builder"]
        return {"path": name, "wall_s": report["wall_s"], "peak_bytes": report["peak_rss_bytes"], "months": 1}
    figures = json.loads(stdout.strip().splitlines()[-1])
    return {"path": name, **figures, "peak_bytes": peak, "process_wall_s": wall}


def table(reports: dict[str, dict[str, Any]], persons: int) -> str:
    lines = [
        f"Projection benchmark: {persons:,} persons, vnm, scenario:vnm (R202 social pension from 2027)",
        "path      | years | wall s | s per year | peak GB (process and children) | what one unit is",
        "----------+-------+--------+------------+--------------------------------+---------------------------------",
    ]
    for name, report in reports.items():
        if report.get("failed"):
            lines.append(f"{name:<9} | failed: {report['failed']}")
            continue
        units = report.get("years") or report.get("months")
        unit = "a year: baseline and reform" if name != "reference" else "one month of the baseline rules"
        lines.append(
            f"{name:<9} | {units:>5} | {report['wall_s']:>6.1f} | {report['wall_s'] / units:>10.1f} | "
            f"{report['peak_bytes'] / GB:>30.2f} | {unit}"
        )
    return "\n".join(lines)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--first", type=int, default=2026)
    parser.add_argument("--last", type=int, default=2055)
    parser.add_argument("--paths", default=",".join(PATHS))
    parser.add_argument("--workers", type=int, default=2, help="forked or Dask worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=4 * 3600.0)
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--child", choices=("local", "forked", "dask"), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--scenario", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.child:
        return child(arguments)
    data = population.data_file(population.DATA_DIR, "vnm", arguments.persons, "2026-10", population.SEED)
    with tempfile.TemporaryDirectory(prefix="openfisca-sp-projection-") as folder:
        scenario = scenario_file(Path(folder), arguments.first, arguments.last)
        reports = {name: run_path(name, arguments, data, scenario) for name in arguments.paths.split(",") if name}
    text = table(reports, arguments.persons)
    print(text)
    for other in ("forked", "dask"):
        if "local" in reports and other in reports and not any(r.get("failed") for r in reports.values()):
            same = reports["local"]["cost_by_year"] == reports[other]["cost_by_year"]
            print(f"local and {other} give the same cost every year: {same}")
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "persons": arguments.persons,
        "years": [arguments.first, arguments.last],
        "workers": arguments.workers,
        "machine": population.machine(),
        "versions": population.versions(),
        "source": population.source_state(),
        "paths": reports,
        "table_text": text,
    }
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"written: {arguments.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Population engine benchmark: our engine against openfisca-core's SimulationBuilder, and our reading alone.

Every path reads the same synthetic Parquet file (``openfisca_sp.synthetic``)
with the same rules and month, and ends with per-person results in memory. Each
runs in its own process, so that its peak memory is its own. The script prints
a side-by-side table, checks that the paths give the same answers, and saves
every figure to ``benchmarks/results/population.json``.

Run it as::

    /work/venv/bin/python benchmarks/population_benchmark.py                    # 10 million persons
    /work/venv/bin/python benchmarks/population_benchmark.py --persons 200000   # a smoke run

Paths (see ``benchmarks/README.md``):

- ``ours``: ``engine.simulate(parquet, month, jurisdiction)``, every branch, each claim the table dates on another
  day decided again on its event (work the reference does not do: the histories those claims read, their
  simulations);
- ``ours_first_day``: the same on the reference's job, every claim decided on the first day of the month
  (``claims_on_events=False``); checked against the reference on every row, not only on the rows whose claims
  both decide on the same day;
- ``ours_phases``: the same work step by step, timing read, convert, build and each branch's rules;
- ``ours_reading`` and ``ours_reading_first_day``: ``simulate``'s reading alone (the columns of ``ours`` and of
  ``ours_first_day``: read ahead, converted through the ring, no rules), a floor under each: the time the whole
  run may take at the speed target, set against what reading the file takes;
- ``ours_old_age_only``: our engine, the old-age branch's outputs only;
- ``simulation_builder``: openfisca-core's documented ``SimulationBuilder`` fed the file as stored: ids as
  integers, enumerations as indices (their dictionary codes looked up), numbers and dates as read; ``set_input``
  and ``calculate``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pa_dataset
import pyarrow.parquet as pq
from openfisca_core.indexed_enums import Enum
from openfisca_core.indexed_enums.config import ENUM_ARRAY_DTYPE
from openfisca_core.simulations import SimulationBuilder

from openfisca_sp.population import read_population, simulate
from openfisca_sp.population.chunks import DEFAULT_CHUNK, run_chunks
from openfisca_sp.population.columns import HEAD, HOUSEHOLD_ID, PERSON_ID, STRUCTURE, needed_columns
from openfisca_sp.population.inputs import to_inputs
from openfisca_sp.population.outputs import branch_outputs, branches_of, outputs_of
from openfisca_sp.population.reading import read_table
from openfisca_sp.population.ring import chunk_bounds
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.provenance import provenance_of
from openfisca_sp.rules.simulations import build_simulation, set_inputs
from openfisca_sp.rules.system import tax_benefit_system
from openfisca_sp.synthetic import write_parquet
from openfisca_sp.synthetic.table import schema as table_schema

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "population.json"
DATA_DIR = Path(tempfile.gettempdir()) / "openfisca-sp-population-benchmark"
PATHS = (
    "ours",
    "ours_first_day",
    "ours_phases",
    "ours_reading",
    "ours_reading_first_day",
    "ours_old_age_only",
    "simulation_builder",
)
# paths that decide every claim on the first day of the month, as openfisca-core does: compared on every row
FIRST_DAY_PATHS = frozenset({"ours_first_day", "simulation_builder"})
REFERENCE = "simulation_builder"  # the path speed-ups are measured against
SEED = 20261
GB = 1e9
SAMPLES = 200  # rows kept per output to show where two paths differ
SPEED_TARGET = 5.0  # issue 15: at least 5 times the SimulationBuilder fed ids as stored
MEMORY_TARGET = 1.5  # issue 15: peak at most 1.5 times inputs plus outputs


# --------------------------------------------------------------------------- data


def data_file(directory: Path, jurisdiction: str, persons: int, month: str, seed: int) -> Path:
    """The synthetic population's Parquet file: reused if present with the same persons and seed, else written."""
    path = directory / f"{jurisdiction}-{month}-{persons}p-seed{seed}.parquet"
    if path.exists() and _describes(path, jurisdiction, persons, month, seed):
        return path
    directory.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    started = time.perf_counter()
    print(f"writing {persons:,} synthetic persons to {path} ...", flush=True)
    write_parquet(partial, jurisdiction, persons, month, seed)
    os.replace(partial, path)
    _generator_stamp(path).write_text(generator_fingerprint())
    print(f"written in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def _describes(path: Path, jurisdiction: str, persons: int, month: str, seed: int) -> bool:
    """Whether a file's schema metadata says it is this synthetic population."""
    schema = pq.read_schema(path)
    metadata = schema.metadata or {}
    expected = {"jurisdiction": jurisdiction, "persons": str(persons), "period": month, "seed": str(seed)}
    same = all(metadata.get(key.encode()) == value.encode() for key, value in expected.items())
    stamp = _generator_stamp(path)
    # written by this version of the generator: its columns, and its code and shapes (0.24.0 wrote 0 children born
    # at a pregnancy loss, where 0.23.0 wrote 1, which the population engine now refuses)
    return same and stamp.exists() and stamp.read_text() == generator_fingerprint()


def _generator_stamp(path: Path) -> Path:
    return path.with_name(f"{path.name}.generator")


def generator_fingerprint() -> str:
    """A digest of the synthetic generator's code and shape files: a file it wrote before they changed is written
    again."""
    root = Path(write_parquet.__code__.co_filename).parent  # the generator's package
    digest = hashlib.sha256()
    for file in sorted(item for item in root.rglob("*") if item.is_file() and "__pycache__" not in item.parts):
        digest.update(str(file.relative_to(root)).encode())
        digest.update(file.read_bytes())
    digest.update(",".join(table_schema("2026-10").names).encode())
    return digest.hexdigest()[:16]


def household_cut(path: Path, persons: int) -> int:
    """The number of leading rows holding whole households and at least ``persons`` persons (or all rows)."""
    heads = pq.read_table(path, columns=["is_household_head"]).column(0).to_numpy(zero_copy_only=False)
    starts = np.flatnonzero(heads)
    later = starts[starts >= persons]
    return int(later[0]) if len(later) else len(heads)


def read_rows(path: Path, columns: Sequence[str], rows: int | None, dictionaries: Sequence[str] = ()) -> pa.Table:
    """``columns`` of the file, all rows or only the first ``rows``; ``dictionaries`` read as stored, as codes."""
    if rows is None:
        return pq.read_table(path, columns=list(columns), read_dictionary=list(dictionaries))
    options = pa_dataset.ParquetFileFormat(read_options={"dictionary_columns": list(dictionaries)})
    return pa_dataset.dataset(path, format=options).head(rows, columns=list(columns))


# --------------------------------------------------------------------------- child side: the paths


@dataclass
class Context:
    """What every path gets: the file, the rules and the month; ``rows`` limits how many persons are read."""

    data: Path
    jurisdiction: str
    month: str
    rows: int | None
    system: Any


@dataclass
class Outcome:
    """What a path produced: per-person results, the ids and weights it keeps, the columns it read."""

    columns: dict[str, np.ndarray]
    kept: list[np.ndarray] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)


class Clock:
    """Seconds spent in named phases, summed over repeats."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}

    @contextmanager
    def time(self, name: str) -> Iterator[None]:
        """Add the time spent in the block to phase ``name``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - started


def structure_and(columns: Sequence[str]) -> list[str]:
    """The structure columns (ids, weight, head), then ``columns``, without repeats."""
    return list(dict.fromkeys([*STRUCTURE, *columns]))


def run_ours(context: Context) -> Outcome:
    """``engine.simulate``: Parquet to every branch's per-person results."""
    results = simulate(context.data, context.month, context.system)
    needs = needed_columns(context.system, context.month, outputs_of(context.system))
    kept = [results.person_ids, results.household_ids, results.weights]
    return Outcome(results.columns, kept, structure_and([need.column for need in needs]))


def run_ours_first_day(context: Context) -> Outcome:
    """``engine.simulate`` on the reference's job: every claim decided on the first day of the month, as
    openfisca-core decides it (``claims_on_events=False``: no claim decided again on its event, no history read
    for those claims alone)."""
    results = simulate(context.data, context.month, context.system, claims_on_events=False)
    needs = needed_columns(context.system, context.month, outputs_of(context.system))
    kept = [results.person_ids, results.household_ids, results.weights]
    return Outcome(results.columns, kept, structure_and([need.column for need in needs]))


def run_ours_phases(context: Context) -> Outcome:
    """The month's pass of ``simulate``, step by step: trace, read, convert, then per chunk build and each branch's
    rules (every claim decided in the month evaluated; ``ours`` then decides the dated claims again).

    A branch's time is what its outputs add once the branches before it are
    computed: intermediate results they share are counted in the first branch.
    """
    system, month, clock = context.system, context.month, Clock()
    branches = branches_of(system)
    with clock.time("trace the columns needed"):
        needs = needed_columns(system, month, outputs_of(system, branches))
    with clock.time("read Parquet"):
        table = read_table(context.data, [*STRUCTURE, *(need.column for need in needs)])
    with clock.time("check and convert"):
        population = to_inputs(table, month, needs, source=str(context.data))
    del table
    columns: dict[str, np.ndarray] = {}
    for rows in chunk_bounds(population.household_of, DEFAULT_CHUNK):
        with clock.time("build simulations"):
            part = population.take(rows)
            simulation = build_simulation(
                system, np.arange(part.count), part.household_of, part.household_ids, part.is_head
            )
            set_inputs(simulation, part.inputs)
        for branch in branches:
            with clock.time(f"rules: {branch.code}"):
                for name in branch_outputs(branch):
                    values = np.asarray(simulation.calculate(name, month))
                    if name not in columns:
                        columns[name] = np.empty(population.count, dtype=values.dtype)
                    columns[name][rows] = values
    kept = [population.person_ids, population.household_ids[population.household_of], population.weights]
    return Outcome(columns, kept, structure_and([need.column for need in needs]), clock.phases)


def run_ours_reading(context: Context, claims_on_events: bool = True) -> Outcome:
    """``simulate``'s reading alone, what its rules wait for: the rules' columns read ahead (with
    ``claims_on_events`` False, those of the first-day run), converted through the ring of chunks, each chunk
    taken and released in turn; no rules, no outputs."""
    system, month, clock = context.system, context.month, Clock()
    outputs = outputs_of(system)
    with clock.time("start: event dates, structure, first blocks"):
        population, _ = read_population(
            context.data,
            [system],
            month,
            [outputs],
            background=True,
            chunk_persons=DEFAULT_CHUNK,
            claims_on_events=claims_on_events,
        )
    with clock.time("chunks converted"):
        try:
            for rows in population.chunks(DEFAULT_CHUNK):
                population.take(rows)
                population.release(rows)
        finally:
            population.close()
    kept = [population.person_ids, population.household_ids[population.household_of], population.weights]
    read = structure_and([need.column for need in needed_columns(system, month, outputs)])
    return Outcome({}, kept, read, clock.phases)


def run_ours_reading_first_day(context: Context) -> Outcome:
    """:func:`run_ours_reading` of the first-day run's columns."""
    return run_ours_reading(context, claims_on_events=False)


def run_ours_old_age_only(context: Context) -> Outcome:
    """Our engine (``read_population`` and ``run_chunks``, as ``simulate`` calls them), old-age outputs only."""
    system, month, clock = context.system, context.month, Clock()
    outputs = branch_outputs(BRANCHES["old_age"])
    with clock.time("read and convert"):
        population, _ = read_population(context.data, [system], month, [outputs])
    with clock.time("rules"):
        (columns,) = run_chunks([system], population, month, [outputs])
    kept = [population.person_ids, population.household_ids[population.household_of], population.weights]
    read = structure_and([need.column for need in needed_columns(system, month, outputs)])
    return Outcome(columns, kept, read, clock.phases)


def run_simulation_builder(context: Context) -> Outcome:
    """openfisca-core's documented path for data: ``SimulationBuilder``, ``set_input``, ``calculate``.

    The file is read with pyarrow straight into NumPy arrays (no pandas: the
    cheapest way there). Ids are given as the file stores them (integers),
    roles as indices of the household's roles (``join_with_persons`` takes
    them), enumerations as indices (the file's dictionary codes looked up, not
    names), dates as ``datetime64[D]``; an empty cell gets the variable's
    default (OpenFisca has no missing values).
    """
    system, month, clock = context.system, context.month, Clock()
    outputs = outputs_of(system)
    present = set(pq.read_schema(context.data).names)  # facts the law lets go missing may be absent
    needs = [need for need in needed_columns(system, month, outputs) if need.column in present]
    read = [PERSON_ID, HOUSEHOLD_ID, HEAD, *(need.column for need in needs)]
    codes = [need.column for need in needs if system.variables[need.variable].value_type is Enum]
    with clock.time("read Parquet"):
        table = read_rows(context.data, read, context.rows, codes)
    with clock.time("ids and roles as stored"):
        person_ids = table.column(PERSON_ID).to_numpy()
        persons_household = table.column(HOUSEHOLD_ID).to_numpy()
        household_ids = pc.unique(table.column(HOUSEHOLD_ID)).to_numpy()
        keys = [role.key for role in system.entities_by_singular()["household"].flattened_roles]
        head = table.column(HEAD).to_numpy(zero_copy_only=False)
        roles = np.where(head, keys.index("head"), keys.index("member"))
    with clock.time("SimulationBuilder"):
        builder = SimulationBuilder()
        builder.create_entities(system)
        builder.declare_person_entity("person", person_ids)
        household = builder.declare_entity("household", household_ids)
        builder.join_with_persons(household, persons_household, roles)
        simulation = builder.build(system)
        del person_ids, persons_household, household_ids, roles
    with clock.time("set_input"):
        for need in needs:
            simulation.set_input(need.variable, need.period, input_array(system, need.variable, table[need.column]))
        del table
    with clock.time("calculate"):
        columns = {name: np.asarray(simulation.calculate(name, month)) for name in outputs}
    return Outcome(columns, [simulation.persons.ids], read, clock.phases)


def input_array(system: Any, variable_name: str, column: pa.ChunkedArray) -> np.ndarray:
    """A column as ``Simulation.set_input`` takes it best: numbers and dates as stored, enumerations as indices.

    An enumeration column is read as the file stores it, dictionary codes; the
    few names of its dictionary are turned into the enumeration's indices once,
    and the codes looked up (``Enum.encode`` takes an array of indices as it
    is). An empty cell gets the variable's default.
    """
    variable = system.variables[variable_name]
    default = variable.default_value
    if variable.value_type is Enum:
        return enum_indices(variable.possible_values, default, column)
    filled = column.fill_null(default) if column.null_count else column
    return filled.to_numpy(zero_copy_only=False)


def enum_indices(possible_values: Any, default: Any, column: pa.ChunkedArray) -> np.ndarray:
    """The enumeration indices of a dictionary-encoded column, chunk by chunk; an empty cell the default's."""
    parts = []
    for chunk in column.chunks:
        names = chunk.dictionary.to_pylist()
        lookup = np.array([possible_values[name].index for name in names] + [default.index], dtype=ENUM_ARRAY_DTYPE)
        codes = chunk.indices.fill_null(len(names)) if chunk.null_count else chunk.indices
        parts.append(lookup[codes.to_numpy()])
    return np.concatenate(parts) if parts else np.zeros(0, dtype=ENUM_ARRAY_DTYPE)


RUNNERS: dict[str, Callable[[Context], Outcome]] = {
    "ours": run_ours,
    "ours_first_day": run_ours_first_day,
    "ours_phases": run_ours_phases,
    "ours_reading": run_ours_reading,
    "ours_reading_first_day": run_ours_reading_first_day,
    "ours_old_age_only": run_ours_old_age_only,
    "simulation_builder": run_simulation_builder,
}


# --------------------------------------------------------------------------- child side: measuring


def cpu_seconds() -> tuple[float, float]:
    """User and system CPU time of this process (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def high_water_rss() -> int:
    """This process's peak RSS in bytes: ``VmHWM``, else ``ru_maxrss``.

    ``ru_maxrss`` also counts the peak of the parent's memory inherited at fork
    (Linux keeps it across exec); ``VmHWM`` is this program's own.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


EVENT_COLUMNS = (
    "child_birth_date",
    "unemployment_registration_date",
    "old_age_claim_date",
    "disability_assessment_date",
)


def decided_in_month(context: Context, count: int) -> np.ndarray:
    """The rows whose claims are all decided on the first day of the month: no event dated on another day.

    openfisca-core decides every claim in the month evaluated, as of its first
    day; our engine decides a dated claim on its event. Answers are compared on
    the rows where both decide the same question.
    """
    names = [name for name in EVENT_COLUMNS if name in pq.read_schema(context.data).names]
    table = read_rows(context.data, names, context.rows)
    first = np.datetime64(f"{context.month}-01", "D")
    same = np.ones(count, dtype=bool)
    for name in names:
        days = table.column(name).cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
        same &= np.isnat(days[:count]) | (days[:count] == first)
    return same


def comparable(columns: dict[str, np.ndarray], same: np.ndarray) -> dict[str, np.ndarray]:
    """Each output with the rows decided on another day blanked (zeros), for the digests."""
    return {name: np.where(same, values, np.zeros(1, dtype=values.dtype)) for name, values in columns.items()}


def digests(columns: dict[str, np.ndarray], rows: int) -> dict[str, str]:
    """A hash of each output's first ``rows`` values (type and bytes): equal hashes, equal answers."""
    found = {}
    for name, values in columns.items():
        part = np.ascontiguousarray(values[:rows])
        found[name] = f"{part.dtype.str}:{hashlib.blake2b(part.view(np.uint8), digest_size=16).hexdigest()}"
    return found


def samples(columns: dict[str, np.ndarray], rows: int) -> dict[str, list[Any]]:
    """Each output's values at ``SAMPLES`` evenly spread rows among the first ``rows``."""
    where = np.unique(np.linspace(0, max(rows - 1, 0), SAMPLES).astype(np.int64))
    return {
        name: (values[where].astype(str) if values.dtype.kind == "M" else values[where]).tolist()
        for name, values in columns.items()
    }


def child(arguments: argparse.Namespace) -> int:
    """Run one path in this process, measured, and write what it measured as JSON."""
    system = tax_benefit_system(arguments.jurisdiction)
    provenance_of(system)  # built once per process, whatever the path
    context = Context(Path(arguments.data), arguments.jurisdiction, arguments.month, arguments.rows, system)
    gc.collect()
    baseline = psutil.Process().memory_info().rss
    (user, system_cpu), started = cpu_seconds(), time.perf_counter()
    outcome = RUNNERS[arguments.child](context)
    wall, (user_end, system_end) = time.perf_counter() - started, cpu_seconds()
    peak, ru_maxrss = high_water_rss(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    end = psutil.Process().memory_info().rss
    count = len(next(iter(outcome.columns.values()))) if outcome.columns else len(outcome.kept[0])  # reading alone
    check = min(arguments.check_rows or count, count)
    same = decided_in_month(context, count)
    compared = comparable(outcome.columns, same)
    report = {
        "path": arguments.child,
        "rows": count,
        "wall_s": wall,
        "cpu_s": user_end - user + system_end - system_cpu,
        "user_s": user_end - user,
        "system_s": system_end - system_cpu,
        "phases_s": outcome.phases,
        "baseline_rss_bytes": baseline,
        "peak_rss_bytes": peak,
        "ru_maxrss_bytes": ru_maxrss,
        "end_rss_bytes": end,
        "output_bytes": sum(values.nbytes for values in [*outcome.columns.values(), *outcome.kept]),
        "columns_read": outcome.read,
        "outputs": list(outcome.columns),
        "rows_decided_on_another_day": int((~same).sum()),
        "digests": digests(compared, count),
        "digests_every_row": digests(outcome.columns, count),
        "check_rows": check,
        "check_digests": digests(compared, check),
        "check_digests_every_row": digests(outcome.columns, check),
        "samples": samples(compared, check),
    }
    Path(arguments.output).write_text(json.dumps(report))
    return 0


# --------------------------------------------------------------------------- parent side: running the paths


@dataclass
class Sampler:
    """The largest RSS of a process seen by polling it, and how many polls."""

    pid: int
    interval: float = 0.05
    largest: int = 0
    polls: int = 0

    def run(self, done: threading.Event) -> None:
        """Poll until ``done`` is set or the process is gone."""
        process = psutil.Process(self.pid)
        while not done.is_set():
            try:
                self.largest = max(self.largest, process.memory_info().rss)
            except psutil.Error:
                return
            self.polls += 1
            done.wait(self.interval)


def cpu_snapshot() -> dict[str, float]:
    """Cumulative CPU seconds: the machine's busy and stolen time, ours and our finished children's."""
    system = psutil.cpu_times()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy = system.user + system.nice + system.system + getattr(system, "irq", 0.0) + getattr(system, "softirq", 0.0)
    return {
        "at": time.perf_counter(),
        "busy": busy,
        "steal": getattr(system, "steal", 0.0),
        "parent": own.ru_utime + own.ru_stime,
        "children": children.ru_utime + children.ru_stime,
    }


def background(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU taken by other processes and, as steal, by other guests of the host, in cores."""
    elapsed = after["at"] - before["at"]
    used = {key: after[key] - before[key] for key in before}
    ours = used["parent"] + used["children"]
    return {
        "other_processes_cores": round(max(used["busy"] - ours, 0.0) / elapsed, 2) if elapsed else 0.0,
        "steal_cores": round(used["steal"] / elapsed, 2) if elapsed else 0.0,
    }


def warm_memory(gigabytes: float) -> float:
    """Touch and free ``gigabytes`` of memory; the seconds it took.

    On this virtual machine the first process to touch a lot of memory after a
    quiet spell spends many seconds in the kernel getting it backed by the
    host (25 s for 10 GB, against 3 s once warm). Warming first spares that
    cost to whichever path would run first.
    """
    started = time.perf_counter()
    if gigabytes > 0:  # in a process of its own: this one's peak would be inherited by the paths' processes
        touch = f"import numpy; numpy.ones({int(gigabytes * GB)}, dtype=numpy.uint8)"
        subprocess.run([sys.executable, "-c", touch], check=True)  # noqa: S603
    return time.perf_counter() - started


def run_path(name: str, arguments: argparse.Namespace, data: Path, rows: int | None, check_rows: int) -> dict[str, Any]:
    """Run path ``name`` in a fresh process; its report, with the RSS sampled from outside and the background load."""
    with tempfile.TemporaryDirectory(prefix="sp-bench-") as scratch:
        output, log = Path(scratch) / "report.json", Path(scratch) / "stderr.txt"
        command = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--data", str(data)]
        command += ["--jurisdiction", arguments.jurisdiction, "--month", arguments.month, "--output", str(output)]
        command += ["--check-rows", str(check_rows)] + (["--rows", str(rows)] if rows is not None else [])
        print(f"running {name} ...", flush=True)
        before = cpu_snapshot()
        with log.open("w") as errors:
            process = subprocess.Popen(command, stdout=errors, stderr=subprocess.STDOUT, cwd=ROOT)  # noqa: S603
            sampler, done = Sampler(process.pid), threading.Event()
            thread = threading.Thread(target=sampler.run, args=(done,), daemon=True)
            thread.start()
            try:
                code = process.wait(timeout=arguments.timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                code = process.wait()
            finally:
                done.set()
                thread.join()
        load = background(before, cpu_snapshot())
        if code != 0 or not output.exists():
            tail = log.read_text().strip().splitlines()[-15:]
            print(f"  {name} FAILED (exit status {code})\n    " + "\n    ".join(tail), flush=True)
            return {"path": name, "failed": True, "exit_status": code, "log_tail": tail, "cpu_background": load}
        report = json.loads(output.read_text())
    report |= {"sampled_max_rss_bytes": sampler.largest, "rss_polls": sampler.polls, "cpu_background": load}
    print(
        f"  {name}: {report['wall_s']:.1f} s wall, {report['cpu_s']:.1f} s CPU "
        f"({report['user_s']:.1f} user, {report['system_s']:.1f} system)",
        flush=True,
    )
    return report


def column_bytes(data: Path, columns: Sequence[str], rows: int | None, cache: dict[tuple[str, int | None], int]) -> int:
    """Arrow bytes of ``columns`` of the file (first ``rows`` rows if given), read one column at a time."""
    names = pq.read_schema(data).names
    total = 0
    for column in columns:
        if column not in names:
            continue
        if (column, rows) not in cache:
            cache[(column, rows)] = read_rows(data, [column], rows).nbytes
        total += cache[(column, rows)]
    return total


def add_memory(report: dict[str, Any], data: Path, cache: dict[tuple[str, int | None], int]) -> None:
    """Inputs (Arrow bytes of the columns read), the run's own peak, and its ratio to inputs plus outputs."""
    rows = report["rows"] if report["path"] == REFERENCE else None
    full = pq.read_metadata(data).num_rows
    report["input_bytes"] = column_bytes(data, report["columns_read"], rows if rows != full else None, cache)
    report["own_peak_bytes"] = report["peak_rss_bytes"] - report["baseline_rss_bytes"]
    report["inputs_outputs_bytes"] = report["input_bytes"] + report["output_bytes"]
    report["ratio"] = report["own_peak_bytes"] / report["inputs_outputs_bytes"]


def compare(report: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    """Whether a path's outputs equal the reference's, on every output they share (all rows, or the rows checked):
    on the rows whose claims both decide on the same day, or on every row where both decide every claim on the
    first day of the month."""
    shared = [name for name in report["outputs"] if name in reference["outputs"]]
    whole = report["rows"] == reference["rows"]
    every_row = report["path"] in FIRST_DAY_PATHS and reference["path"] in FIRST_DAY_PATHS
    key = ("digests" if whole else "check_digests") + ("_every_row" if every_row else "")
    if not whole and report["check_rows"] != reference["check_rows"]:
        return {"against": reference["path"], "equal": False, "note": "different rows: not compared"}
    differ = [name for name in shared if report[key][name] != reference[key][name]]
    sampled = {
        name: sum(a != b for a, b in zip(report["samples"][name], reference["samples"][name], strict=True))
        for name in differ
    }
    return {
        "against": reference["path"],
        "rows": report["rows"] if whole else report["check_rows"],
        "all_rows": whole,
        "every_row": every_row,
        "outputs": len(shared),
        "equal": not differ,
        "differ": differ,
        "sampled_rows_differing": sampled,
    }


def reference_for(name: str, reports: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The path a path's answers are checked against: ours (the reference for ours on its job), else the first other
    path sharing outputs."""
    candidates = ("ours", "simulation_builder", "ours_phases", "ours_old_age_only")
    if name in FIRST_DAY_PATHS:
        candidates = ("simulation_builder", "ours_first_day", *candidates)
    for candidate in candidates:
        report = reports.get(candidate)
        usable = candidate != name and report and not report.get("failed")
        if usable and set(report["outputs"]) & set(reports[name]["outputs"]):
            return report
    return None


# --------------------------------------------------------------------------- table


@dataclass
class Row:
    """One line of the table."""

    path: str
    persons: str
    wall_s: float
    cpu_s: float
    own_peak_gb: float
    inputs_outputs_gb: float
    ratio: float
    speed_up: float | None
    match: str
    scaled: bool = False

    def cells(self) -> list[str]:
        """The row as printed."""
        star = "*" if self.scaled else ""
        return [
            self.path,
            self.persons,
            f"{self.wall_s:,.1f}{star}",
            f"{self.cpu_s:,.1f}{star}",
            f"{self.own_peak_gb:.2f}{star}",
            f"{self.inputs_outputs_gb:.2f}",
            f"{self.ratio:.2f}",
            f"{self.speed_up:,.1f}x" if self.speed_up else "",
            self.match,
        ]


HEADER = ["path", "persons", "wall s", "CPU s", "peak GB (own)", "in+out GB", "peak/(in+out)", "vs builder", "same?"]


def match_text(report: dict[str, Any]) -> str:
    """What the comparison found, in a few words."""
    check = report.get("match")
    if check is None:
        return "reference" if report["path"] == "ours" else "not compared"
    if check.get("note"):
        return check["note"]
    rows = "" if check["all_rows"] else f", first {check['rows']:,} rows"
    rows += ", every row" if check.get("every_row") else ""
    if check["equal"]:
        return f"yes, {check['outputs']}/{check['outputs']} outputs{rows} (vs {check['against']})"
    return f"NO: {', '.join(check['differ'])} differ (vs {check['against']})"


def table_rows(reports: dict[str, dict[str, Any]], persons: int) -> list[Row]:
    """The table's rows; a path run on fewer persons is scaled linearly to ``persons`` (marked *)."""
    reference = reports.get(REFERENCE)
    reference_wall = None
    if reference and not reference.get("failed"):
        reference_wall = reference["wall_s"] * persons / reference["rows"]
    rows = []
    for name, report in reports.items():
        if report.get("failed"):
            continue
        scale = persons / report["rows"]
        wall = report["wall_s"] * scale
        rows.append(
            Row(
                path=name,
                persons=f"{persons:,}" + (f" (run on {report['rows']:,})" if scale != 1 else ""),
                wall_s=wall,
                cpu_s=report["cpu_s"] * scale,
                own_peak_gb=report["own_peak_bytes"] * scale / GB,
                inputs_outputs_gb=report["inputs_outputs_bytes"] * scale / GB,
                ratio=report["ratio"],
                speed_up=reference_wall / wall if reference_wall else None,
                match=match_text(report),
                scaled=scale != 1,
            )
        )
    return rows


def render(rows: list[Row]) -> str:
    """An aligned text table."""
    lines = [HEADER, *(row.cells() for row in rows)]
    widths = [max(len(line[index]) for line in lines) for index in range(len(HEADER))]
    left = {0, 1, len(HEADER) - 1}

    def line(cells: Sequence[str]) -> str:
        return " | ".join(
            cell.ljust(w) if i in left else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([line(HEADER), rule, *(line(row.cells()) for row in rows)])


def targets(reports: dict[str, dict[str, Any]], persons: int) -> list[str]:
    """The issue's targets for our path, met or missed (speed also on the reference's job), and what reading the
    file alone takes against the time the speed target allows."""
    lines = []
    ours, reference = reports.get("ours"), reports.get(REFERENCE)
    usable = {name for name, report in reports.items() if not report.get("failed")}
    for name, what in (("ours", ""), ("ours_first_day", " on the reference's job (every claim on the first day)")):
        if {name, REFERENCE} <= usable:
            speed_up = reference["wall_s"] * persons / reference["rows"] / reports[name]["wall_s"]
            verdict = "met" if speed_up >= SPEED_TARGET else "MISSED"
            lines.append(
                f"speed{what}: ours {speed_up:.1f}x faster than the SimulationBuilder "
                f"(target >= {SPEED_TARGET:g}x): {verdict}"
            )
    if "ours" in usable:
        verdict = "met" if ours["ratio"] <= MEMORY_TARGET else "MISSED"
        lines.append(
            f"memory: ours' own peak {ours['own_peak_bytes'] / GB:.2f} GB = {ours['ratio']:.2f} x inputs plus outputs "
            f"({ours['inputs_outputs_bytes'] / GB:.2f} GB; target <= {MEMORY_TARGET:g}x): {verdict}"
        )
    for name, reading in (("ours", "ours_reading"), ("ours_first_day", "ours_reading_first_day")):
        if {reading, REFERENCE} <= usable:
            allowed = reference["wall_s"] * persons / reference["rows"] / SPEED_TARGET
            lines.append(
                f"floor of {name}: reading and converting its columns alone (no rules) takes "
                f"{reports[reading]['wall_s']:.1f} s; at {SPEED_TARGET:g}x the whole run may take {allowed:.1f} s"
            )
    return lines


def phases_text(reports: dict[str, dict[str, Any]]) -> list[str]:
    """Where each path's time goes, phase by phase."""
    lines = []
    for name, report in reports.items():
        if report.get("failed"):
            continue
        parts = [f"{phase} {seconds:.1f}" for phase, seconds in report["phases_s"].items()]
        parts.append(f"CPU {report['user_s']:.1f} user + {report['system_s']:.1f} system")
        lines.append(f"{name} (s): {', '.join(parts)}")
    return lines


def background_text(reports: dict[str, dict[str, Any]], noisy: float = 0.2) -> list[str]:
    """The CPU others took while each path ran; a warning when it was enough to make the figures noisy."""
    loads = {name: report["cpu_background"] for name, report in reports.items()}
    line = "background load (cores): " + ", ".join(
        f"{name} other {load['other_processes_cores']:.2f} steal {load['steal_cores']:.2f}"
        for name, load in loads.items()
    )
    noisy_paths = [n for n, load in loads.items() if max(load["other_processes_cores"], load["steal_cores"]) > noisy]
    if noisy_paths:
        return [line, f"WARNING: other work took more than {noisy:g} core during {', '.join(noisy_paths)}: noisy"]
    return [line]


# --------------------------------------------------------------------------- where it ran


def package_version(name: str) -> str:
    """An installed distribution's version, or "not installed"."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    """The machine and Python the benchmark ran on."""
    model = platform.processor() or "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        model = names[0] if names else model
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def source_state() -> dict[str, Any]:
    """The commit measured and the tracked files changed since."""

    def git(*arguments: str) -> str:
        try:
            done = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=30)  # noqa: S603, S607
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.rstrip("\n") if done.returncode == 0 else ""

    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()]
    return {"commit": git("rev-parse", "--short", "HEAD") or "unknown", "uncommitted": changed}


def versions() -> dict[str, str]:
    """Versions of what the paths run on."""
    return {name: package_version(name) for name in ("openfisca-core", "openfisca-sp", "numpy", "pyarrow", "psutil")}


# --------------------------------------------------------------------------- main


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options (``--child`` and the options after it are for the script's own subprocesses)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=10_000_000, help="synthetic persons (default 10,000,000)")
    parser.add_argument("--jurisdiction", default="vnm", help="jurisdiction (default vnm: every branch's amount)")
    parser.add_argument("--month", default="2026-10", help="month evaluated, YYYY-MM (default 2026-10)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed of the synthetic population (default {SEED})")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help=f"where the Parquet file is kept ({DATA_DIR})")
    parser.add_argument("--paths", default=",".join(PATHS), help=f"paths to run, comma-separated ({','.join(PATHS)})")
    parser.add_argument(
        "--builder-persons",
        type=int,
        help="run the SimulationBuilder on the first N persons (whole households) and scale linearly",
    )
    parser.add_argument(
        "--warm-gb", type=float, default=12.0, help="memory touched and freed before the runs (default 12 GB)"
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds a path may take (default 3600)")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to save the figures ({RESULTS})")
    parser.add_argument("--child", choices=PATHS, help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--check-rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    arguments.path_list = [name.strip() for name in arguments.paths.split(",") if name.strip()]
    unknown = [name for name in arguments.path_list if name not in PATHS]
    if unknown:
        parser.error(f"unknown paths {', '.join(unknown)}; choose among {', '.join(PATHS)}")
    return arguments


def benchmark(arguments: argparse.Namespace) -> dict[str, Any]:
    """Make or reuse the data, run every path in its own process, compare their answers."""
    data = data_file(arguments.data_dir, arguments.jurisdiction, arguments.persons, arguments.month, arguments.seed)
    builder_rows = None
    if arguments.builder_persons and arguments.builder_persons < arguments.persons:
        builder_rows = household_cut(data, arguments.builder_persons)
    check_rows = builder_rows or arguments.persons
    warm_gb = min(arguments.warm_gb, psutil.virtual_memory().available / GB / 2)
    print(f"warming {warm_gb:.1f} GB of memory ...", flush=True)
    warm_s = warm_memory(warm_gb)
    reports: dict[str, dict[str, Any]] = {}
    for name in arguments.path_list:
        rows = builder_rows if name == REFERENCE else None
        reports[name] = run_path(name, arguments, data, rows, check_rows)
    cache: dict[tuple[str, int | None], int] = {}
    for report in reports.values():
        if not report.get("failed"):
            add_memory(report, data, cache)
    for name, report in reports.items():
        reference = None if report.get("failed") or name == "ours" else reference_for(name, reports)
        if reference is not None:
            report["match"] = compare(report, reference)
    return {
        "settings": {
            "persons": arguments.persons,
            "jurisdiction": arguments.jurisdiction,
            "month": arguments.month,
            "seed": arguments.seed,
            "paths": arguments.path_list,
            "builder_rows": builder_rows,
            "warm_gb": warm_gb,
            "warm_s": warm_s,
        },
        "data": {"file": str(data), "bytes_on_disk": data.stat().st_size, "rows": pq.read_metadata(data).num_rows},
        "machine": machine(),
        "versions": versions(),
        "source": source_state(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "paths": reports,
    }


def report_text(results: dict[str, Any]) -> str:
    """The header, the table, the targets, the phases and the background load, as printed."""
    settings, where, package = results["settings"], results["machine"], results["versions"]
    rows = table_rows(results["paths"], settings["persons"])
    results["table"] = [row.__dict__ for row in rows]
    failed = [name for name, report in results["paths"].items() if report.get("failed")]
    mismatched = [row.path for row in rows if row.match.startswith("NO")]
    source = results["source"]
    lines = [
        "",
        f"Population benchmark: {settings['persons']:,} synthetic persons, {settings['jurisdiction']}, "
        f"month {settings['month']}, seed {settings['seed']}",
        f"machine: {where['cpu_count']} CPUs ({where['cpu_model']}), {where['memory_gib']} GiB, "
        f"Python {where['python']}; openfisca-core {package['openfisca-core']}, numpy {package['numpy']}, "
        f"pyarrow {package['pyarrow']}",
        f"source: commit {source['commit']}"
        + (f" + uncommitted changes to {', '.join(source['uncommitted'])}" if source["uncommitted"] else ""),
        f"data: {results['data']['file']} ({results['data']['bytes_on_disk'] / 1e6:,.0f} MB on disk)",
        f"memory warmed first: {settings['warm_gb']:.1f} GB touched and freed in {settings['warm_s']:.1f} s",
        "each path in its own process, from the Parquet file to per-person results in memory; "
        "peak GB (own) = peak RSS - RSS after imports; GB = 10^9 bytes",
        "",
        render(rows),
    ]
    if any(row.scaled for row in rows):
        lines.append("* run on fewer persons and scaled linearly to the persons of the table")
    lines += ["", *targets(results["paths"], settings["persons"]), "", *phases_text(results["paths"])]
    lines += background_text(results["paths"])
    if failed or mismatched:
        lines += ["", "!" * 78]
        lines += [f"FAILED: {', '.join(failed)}"] if failed else []
        lines += [f"DIFFERENT ANSWERS: {', '.join(mismatched)}"] if mismatched else []
        lines += ["!" * 78]
    return "\n".join(lines)


def slim(results: dict[str, Any]) -> dict[str, Any]:
    """The results to save: the sampled rows only if some paths' answers differ (they show where)."""
    reports = results["paths"].values()
    if all(report.get("match", {}).get("equal", True) for report in reports):
        for report in reports:
            report.pop("samples", None)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or, with ``--child``, one path), print the table, save the JSON."""
    arguments = parse_arguments(argv)
    if arguments.child:
        return child(arguments)
    results = benchmark(arguments)
    text = report_text(results)
    print(text, flush=True)
    results["table_text"] = text
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps(slim(results), indent=2) + "\n")
    print(f"\nsaved: {arguments.json}", flush=True)
    failed = any(report.get("failed") for report in results["paths"].values())
    return 1 if failed or "DIFFERENT ANSWERS" in text else 0


if __name__ == "__main__":
    raise SystemExit(main())

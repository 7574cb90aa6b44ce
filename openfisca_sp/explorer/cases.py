"""The law cases of a jurisdiction, each run once: the values it reads, by which variable, and what it computes.

Each case is computed as the legal index computes it (:mod:`openfisca_sp.drafting.law_cases`), with the same
parameter recorder, but every read is also attributed to the variable whose formula made it (the top of
openfisca-core's tracer stack), and the tracer's trees give every variable computed and what each one called.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openfisca_sp.drafting.law_cases import LawCase, case_error, case_outputs, case_system, cases_in
from openfisca_sp.drafting.parameter_reads import Read, RecordingNode
from openfisca_sp.rules.law_case_on_date import law_case_simulation
from openfisca_sp.rules.yaml_files import ParameterFileError

CaseId = tuple[str, str]  # (case file relative to the cases' root, case name)


class _AttributedReads(set):
    """A set of reads that also notes, per variable being computed, the parameter names it read."""

    def __init__(self, tracer: Any) -> None:
        super().__init__()
        self.tracer = tracer
        self.by_variable: dict[str, set[str]] = defaultdict(set)

    def add(self, read: Read) -> None:  # type: ignore[override]
        super().add(read)
        stack = self.tracer.stack
        if stack:
            self.by_variable[stack[-1]["name"]].add(read[0])


@dataclass
class CaseRuns:
    """What the law cases of one jurisdiction read and compute."""

    value_reads: dict[Read, set[CaseId]] = field(default_factory=lambda: defaultdict(set))
    parameters_read: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # variable -> names
    variables_called: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # variable -> variables
    checked: dict[str, set[CaseId]] = field(default_factory=lambda: defaultdict(set))  # variable -> cases checking it
    computed: dict[str, set[CaseId]] = field(default_factory=lambda: defaultdict(set))  # variable -> cases computing
    failures: list[str] = field(default_factory=list)  # cases that could not be run, and why
    count: int = 0


def _walk(nodes: list[Any]) -> Iterator[Any]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _run(case: LawCase, jurisdiction: str, runs: CaseRuns, case_id: CaseId) -> None:
    system = case_system(jurisdiction, case.reforms)
    simulation = law_case_simulation(system, case.period, case.input)
    simulation.trace = True
    reads = _AttributedReads(simulation.tracer)
    get_parameters = system.get_parameters_at_instant
    simulation.trace_parameters_at_instant = lambda instant: RecordingNode(get_parameters(instant), reads)
    for variable in case_outputs(case, simulation):
        if variable in system.variables:
            simulation.calculate(variable, case.period)
            runs.checked[variable].add(case_id)
    for read in reads:
        runs.value_reads[read].add(case_id)
    for variable, names in reads.by_variable.items():
        runs.parameters_read[variable].update(names)
    for node in _walk(simulation.tracer.trees):
        runs.computed[node.name].add(case_id)
        runs.variables_called[node.name].update(child.name for child in node.children)


def run_cases(folder: Path | None, jurisdiction: str, root: Path) -> CaseRuns:
    """Run every law case under ``folder/<jurisdiction>`` (none when ``folder`` is None); case files are named
    relative to ``root``."""
    runs = CaseRuns()
    if folder is None or not (folder / jurisdiction).is_dir():
        return runs
    unreadable: list[ParameterFileError] = []
    for case in cases_in(folder / jurisdiction, unreadable):
        name = _relative(case.file, root)
        runs.count += 1
        try:
            _run(case, jurisdiction, runs, (name, case.name))
        except Exception as error:  # a broken case is shown, never stops the explorer
            runs.failures.append(_told(case_error(case, jurisdiction, error), root))
    runs.failures += [_told(error, root) for error in unreadable]
    return runs


def _told(problem: ParameterFileError, root: Path) -> str:
    """``file:line: cause``, the file relative to ``root``."""
    where = _relative(Path(problem.path), root)
    return f"{where}:{problem.line}: {problem.reason}" if problem.line else f"{where}: {problem.reason}"


def _relative(path: Path, root: Path) -> str:
    """A case file named relative to ``root`` (as given when outside it)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()

"""The law's cases (OpenFisca YAML tests in ``tests/rules/<jurisdiction>/``), run to see what law they rest on.

Each case is computed as openfisca-core's test runner computes it (the same
situation, period and reforms), with a recorder on the parameters, so that the
dated values it reads are known exactly: the legal index links each value to
the cases that test it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openfisca_core.simulations import SimulationBuilder

from openfisca_sp.drafting.parameter_reads import Read, record_reads
from openfisca_sp.rules.system import tax_benefit_system


@dataclass(frozen=True)
class LawCase:
    """One case of a YAML test file: where it is, what it is called, and what it computes."""

    file: Path
    name: str
    period: str
    input: dict[str, Any]
    output: dict[str, Any]
    reforms: tuple[str, ...]


def cases_in(folder: Path) -> Iterator[LawCase]:
    """Every case of the YAML files under ``folder``, in file order."""
    from openfisca_core.tools.test_runner import build_test  # it imports pytest: not at a server worker's start

    for path in sorted(folder.rglob("*.yaml")):
        documents = yaml.safe_load(path.read_text(encoding="utf-8"))
        for raw in documents if isinstance(documents, list) else [documents]:
            test = build_test(dict(raw))
            reforms = test.reforms if isinstance(test.reforms, list | tuple) else [test.reforms]
            yield LawCase(path, test.name, str(test.period), test.input, test.output or {}, tuple(reforms))


@cache
def case_system(jurisdiction: str, reforms: tuple[str, ...]) -> Any:
    system = tax_benefit_system(jurisdiction)
    for name in reforms:
        module, _, reform = name.rpartition(".")
        system = getattr(importlib.import_module(module), reform)(system)
    return system


def case_outputs(case: LawCase, simulation: Any) -> Iterator[str]:
    """The variables a case checks (given directly, or per entity)."""
    for key, expected in case.output.items():
        if key in simulation.tax_benefit_system.variables:
            yield key
        elif isinstance(expected, dict):
            for value in expected.values():
                yield from (value if isinstance(value, dict) else {key: None})


def reads_of(case: LawCase, jurisdiction: str) -> set[Read]:
    """The parameter values (name, instant) computing the case's outputs reads."""
    system = case_system(jurisdiction, case.reforms)
    builder = SimulationBuilder()
    builder.set_default_period(case.period)
    simulation = builder.build_from_dict(system, dict(case.input))
    reads = record_reads(simulation)
    for variable in case_outputs(case, simulation):
        if variable in system.variables:
            simulation.calculate(variable, case.period)
    return reads

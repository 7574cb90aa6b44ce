"""How much of a chunk's rules time goes to the persons each branch settles at its first condition (issue 15).

A ceiling, not a feature: the month's decisions (``compute_claims``, claims on their events) of one chunk of the
population benchmark's table, timed over every person, over the households holding a person some branch does not
settle at its first conditions (below the pensionable age, not female or no confinement, not separated, not
disabled: the first condition each branch checks for everyone, and those after it that read stated facts alone),
and over those persons alone (their households cut, so their figures
are not the law's: only the time counts). What running the rules over the unsettled alone could save, before the
cost of giving the settled their outputs, is the difference. Prints its figures; nothing is written.

    .venv/bin/python benchmarks/unsettled_rows.py [--persons 1000000] [--chunk 500000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from population_benchmark import DATA_DIR, SEED, data_file

from openfisca_sp import tax_benefit_system
from openfisca_sp.population.claims import compute_claims
from openfisca_sp.population.engine import read_population
from openfisca_sp.population.inputs import PopulationInputs
from openfisca_sp.population.outputs import branches_of, outputs_of

MONTH = "2026-10"
ALWAYS_SETTLED = {"not_modelled", "not_provided_by_law"}  # the branch is not in the law, or not modelled, that day


def cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def first_reasons(system, branch) -> set[str]:
    """The refusals of a branch's first condition checked for everyone (one without ``only_where``), and of those
    after it that read stated facts alone (no formula)."""
    checked = [condition for condition in branch.conditions if condition.only_where is None]
    reasons = set(ALWAYS_SETTLED)
    for position, condition in enumerate(checked):
        if position and any(system.variables[name].formulas for name in condition.reads):
            break
        reasons |= {reason.name for reason in condition.reasons}
    return reasons


def unsettled(system, results: dict[str, np.ndarray]) -> np.ndarray:
    """Whether some branch decides the person past its first condition."""
    found = np.zeros(len(results["age"]), dtype=bool)
    for branch in branches_of(system):
        names = np.array(list(system.variables[branch.reason].possible_values.__members__))
        reasons = names[np.asarray(results[branch.reason]).astype(np.int64)]
        found |= ~np.isin(reasons, list(first_reasons(system, branch)))
    return found


def subset(part: PopulationInputs, rows: np.ndarray) -> PopulationInputs:
    """The persons at ``rows`` as a population of their own, households renumbered."""
    ids, household_of = np.unique(part.household_of[rows], return_inverse=True)
    return PopulationInputs(
        count=len(rows),
        person_ids=part.person_ids[rows],
        household_of=household_of,
        household_ids=part.household_ids[ids],
        is_head=part.is_head[rows],
        weights=part.weights[rows],
        inputs={key: values[rows] for key, values in part.inputs.items()},
        assumptions=part.assumptions,
    )


def best_cpu(system, population: PopulationInputs, outputs: list[str], repeats: int) -> tuple[float, dict]:
    best, results = float("inf"), {}
    for _ in range(repeats):
        start = cpu()
        results = compute_claims(system, population, MONTH, outputs, branches_of(system))
        best = min(best, cpu() - start)
    return best, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=500_000)
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    system = tax_benefit_system("vnm")
    outputs = [*outputs_of(system), "age"]
    path = data_file(DATA_DIR, "vnm", arguments.persons, MONTH, SEED)
    population, _ = read_population(path, [system], MONTH, [outputs])
    part = population.take(next(iter(population.chunks(arguments.chunk))))
    whole, results = best_cpu(system, part, outputs, arguments.repeats)
    alone = np.flatnonzero(unsettled(system, results))
    households = np.flatnonzero(np.isin(part.household_of, part.household_of[alone]))
    print(f"vnm {MONTH}, one chunk of {part.count:,} persons, compute_claims CPU, best of {arguments.repeats}:")
    print(f"  every person                       {whole:6.3f} s  (100%)")
    for label, rows in (("households with an unsettled person", households), ("unsettled persons alone", alone)):
        seconds, _ = best_cpu(system, subset(part, rows), outputs, arguments.repeats)
        share = len(rows) / part.count
        print(f"  {label:<36}{seconds:6.3f} s  ({seconds / whole:4.0%} of the time, {share:4.0%} of the persons)")


if __name__ == "__main__":
    main()

"""A fact a branch's results read only where a variable holds (``Branch.result_facts_only_where``) is not asked
elsewhere: the results there must not turn on it. After a pregnancy loss no child is born; the grant, where the law
pays one, is for one child, and the duration that of one confinement, whatever ``number_of_children_born`` says."""

from __future__ import annotations

import numpy as np
import pytest
from openfisca_core.simulation_builder import SimulationBuilder

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules.branches import BRANCHES

MONTH = "2024-03"
WAGES = {f"2023-{month:02d}": 3_000_000.0 for month in range(1, 13)} | {"2024-01": 3_000_000.0, "2024-02": 3_000_000.0}
COUNTS = (0, 1, 2, 3)
DECLARED = [(code, fact, where) for code, branch in BRANCHES.items() for fact, where in branch.result_facts_only_where]


def _results(code: str, outcome: str, variables: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Each of ``variables`` for four eligible mothers alike but for the number of children born (:data:`COUNTS`)."""
    mother = {
        "sex": {"ETERNITY": "female"},
        "birth_date": {"ETERNITY": "1990-01-01"},
        "contribution_months": {MONTH: 40},
        "pregnancy_outcome": {MONTH: outcome},
        "child_birth_date": {MONTH: "2024-03-05"},
        "insured_wage": WAGES,
    }
    persons = {f"p{count}": mother | {"number_of_children_born": {MONTH: count}} for count in COUNTS}
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system(code), {"persons": persons})
    return {name: np.asarray(simulation.calculate(name, MONTH)) for name in variables}


def test_the_maternity_branch_declares_the_number_of_children_born_read_at_a_live_birth_only() -> None:
    assert ("maternity", "number_of_children_born", "maternity_counts_children_born") in DECLARED


@pytest.mark.parametrize("code", ["lao", "vnm", "ilo_c102", "tjk"])
@pytest.mark.parametrize(("branch", "fact", "where"), DECLARED)
def test_where_a_fact_is_not_read_the_results_do_not_turn_on_it(code: str, branch: str, fact: str, where: str) -> None:
    variables = (where, BRANCHES[branch].eligible, *BRANCHES[branch].amount_variables)
    loss = _results(code, "pregnancy_loss", variables)
    assert not loss[where].any()
    for name in variables:
        assert np.array_equal(loss[name], np.full(len(COUNTS), loss[name][0])), (name, loss[name])


def test_at_a_live_birth_the_number_of_children_born_is_read() -> None:
    """The control: in Lao PDR the grant of a live birth is 60% of the wage per child (NSSF page [S26])."""
    birth = _results("lao", "live_birth", ("maternity_counts_children_born", "birth_grant"))
    assert birth["maternity_counts_children_born"].all()
    assert birth["birth_grant"].tolist() == [0.0, 1_800_000.0, 3_600_000.0, 5_400_000.0]
    loss = _results("lao", "pregnancy_loss", ("maternity_benefit_eligible", "birth_grant"))
    assert loss["maternity_benefit_eligible"].all() and loss["birth_grant"].tolist() == [1_800_000.0] * len(COUNTS)

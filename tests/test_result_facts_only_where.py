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
MATERNITY = [declared for declared in DECLARED if declared[0] == "maternity"]  # mothers after a pregnancy loss


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


def test_every_declaration_is_tested() -> None:
    """Each branch's declaration has its own test below: a new one needs persons where its variable does not hold."""
    assert {code for code, _, _ in DECLARED} == {"maternity", "old_age"}


@pytest.mark.parametrize("code", ["lao", "vnm", "ilo_c102", "tjk"])
@pytest.mark.parametrize(("branch", "fact", "where"), MATERNITY)
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


ENDS = (None, "2010-01-15", "2023-02-28", "2024-02-20")  # no contract ended; long ago; a year out; a month out


def _workers(code: str, contribution_months: int, birth_date: str) -> dict[str, np.ndarray]:
    """The old-age results of four workers alike but for when their last contract ended (:data:`ENDS`)."""
    branch = BRANCHES["old_age"]
    worker = {
        "sex": {"ETERNITY": "male"},
        "birth_date": {"ETERNITY": birth_date},
        "contribution_months": {MONTH: contribution_months},
        "career_average_insured_wage": {MONTH: 8_000_000},
    }
    persons = {
        f"p{at}": worker | ({} if end is None else {"employment_end_date": {MONTH: end}}) for at, end in enumerate(ENDS)
    }
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system(code), {"persons": persons})
    variables = ("old_age_lump_sum_after_leaving_considered", branch.eligible, *branch.amount_variables)
    return {name: np.asarray(simulation.calculate(name, MONTH)) for name in variables}


@pytest.mark.parametrize(
    ("contribution_months", "birth_date"),
    [(300, "1990-01-01"), (0, "1990-01-01"), (120, "1950-01-01")],
    ids=["a career long enough", "no contribution", "above the pensionable age"],
)
def test_where_the_lump_sum_after_leaving_is_not_considered_the_end_of_work_changes_nothing(
    contribution_months: int, birth_date: str
) -> None:
    """Viet Nam's lump sum after leaving social insurance (Resolution 93/2015; SI Law 2024 Art 70(1)(đ)) reads when
    the last contract ended only where it is considered: elsewhere the results are the same whatever the date."""
    results = _workers("vnm", contribution_months, birth_date)
    assert not results["old_age_lump_sum_after_leaving_considered"].any()
    for name, values in results.items():
        assert np.array_equal(values, np.full(len(ENDS), values[0])), (name, values)


def test_where_it_is_considered_the_end_of_work_is_read() -> None:
    """The control: a man of 34 with 5 years contributed is paid the lump sum a year out of insurance, not before."""
    results = _workers("vnm", 60, "1990-01-01")
    assert results["old_age_lump_sum_after_leaving_considered"].all()
    paid = results["old_age_lump_sum"] > 0
    assert paid.tolist() == [False, True, True, False]

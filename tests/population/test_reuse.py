"""A reform's branches taken from the baseline's results: every comparison is the same as computing them
again, and a branch is taken only when nothing its computation ran or read differs between the systems."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openfisca_core.periods import DateUnit
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis import compare
from openfisca_sp.analysis.comparison import plan_comparison
from openfisca_sp.population import chunks, reuse
from openfisca_sp.population.claims import compute_claims
from openfisca_sp.population.engine import read_population
from openfisca_sp.population.outputs import branches_of, outputs_of
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.formulas import has
from openfisca_sp.rules.recording import EVERYTHING, Reads, RecordingRoot
from tests.population.fixtures import person_table

MONTH = "2026-10"
SHIPPED = [
    ("r202_social_pension", "lao"),
    ("r202_social_pension", "vnm"),
    ("r202_social_pension", "tjk"),
    ("lao_old_age_10_years", "lao"),
    ("lao_maternity_c183", "lao"),
    ("tjk_maternity_c183", "tjk"),
]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return person_table(2_400, MONTH, seed=13, household_size=3)


def _tables(comparison) -> dict[str, pd.DataFrame]:
    return {name: frame.reset_index(drop=True) for name, frame in comparison.tables.items()}


@pytest.mark.parametrize(("reform", "jurisdiction"), SHIPPED)
def test_a_comparison_is_the_same_with_the_baseline_results_taken(table, reform, jurisdiction, monkeypatch):
    taken: list[str] = []
    original = reuse.reusable_branches

    def counted(*arguments):
        found = original(*arguments)
        taken.extend(branch.code for branch in found)
        return found

    monkeypatch.setattr(reuse, "reusable_branches", counted)
    reusing = compare(table, MONTH, reform, jurisdiction, chunk_persons=900)
    assert taken  # each chunk took some branches from the baseline
    monkeypatch.setattr(reuse, "reusable_branches", lambda *arguments: [])
    monkeypatch.setattr(reuse, "wanted_values", lambda *arguments: set())  # nor any value of the baseline's
    computed = compare(table, MONTH, reform, jurisdiction, chunk_persons=900)
    assert reusing.tables.keys() == computed.tables.keys()
    for name, frame in _tables(computed).items():
        pd.testing.assert_frame_equal(_tables(reusing)[name], frame, obj=name)


def test_a_branch_computed_again_is_given_the_baseline_values_the_reform_cannot_change(table, monkeypatch):
    given: list[set[str]] = []
    original = reuse.wanted_values

    def counted(*arguments):
        found = original(*arguments)
        given.append(found)
        return found

    monkeypatch.setattr(reuse, "wanted_values", counted)
    reusing = compare(table, MONTH, "r202_social_pension", "vnm", chunk_persons=900)
    names = set().union(*given)
    # the disability allowance gives way to a higher social pension, which the reform changes: its reason is
    # computed again, from the disability and the allowance's amount the baseline computed
    assert {"disability_benefit_amount_due", "is_disabled"} <= names
    assert not names & {"disability_benefit_ineligibility_reason", "social_pension_pays_more", "social_pension"}
    monkeypatch.setattr(reuse, "wanted_values", lambda *arguments: set())
    computed = compare(table, MONTH, "r202_social_pension", "vnm", chunk_persons=900)
    for name, frame in _tables(computed).items():
        pd.testing.assert_frame_equal(_tables(reusing)[name], frame, obj=name)


def test_the_repeatable_variables_are_those_whose_computation_reaches_nothing_changed():
    reads = Reads()
    reads.calls = {"pays": {"amount", "eligible"}, "amount": {"wage"}, "eligible": {"age"}}
    reads.keys = {"amount": {"pension"}, "eligible": {"insured_wage"}, "group:old_age": {"old_age"}}
    reads.roots = {"old_age": {"pays"}}
    assert reads.repeatable(set(), {"pension"}) == {"eligible", "age", "wage"}
    assert reads.repeatable({"age"}, set()) == {"amount", "wage"}
    assert reads.repeatable(set(), {EVERYTHING}) == {"pays", "amount", "eligible", "age", "wage"}


def _recorded(table: pd.DataFrame, baseline, reform) -> tuple[list[str], Reads]:
    outputs = outputs_of(baseline)
    inputs, _ = read_population(table, [baseline, reform], MONTH, [outputs, outputs_of(reform)])
    reads = Reads()
    compute_claims(baseline, inputs, MONTH, outputs, branches_of(baseline), reads)
    return [branch.code for branch in reuse.reusable_branches(baseline, reform, reads, outputs_of(reform))], reads


def _reusable(table: pd.DataFrame, baseline, reform) -> list[str]:
    return _recorded(table, baseline, reform)[0]


def test_a_branch_whose_parameters_change_is_computed_again(table):
    lao = tax_benefit_system("lao")
    assert _reusable(table, lao, load_reform("lao_old_age_10_years", lao)) == [
        "maternity",
        "unemployment",
        "disability",
    ]
    assert _reusable(table, lao, load_reform("r202_social_pension", lao)) == [
        "old_age",
        "maternity",
        "unemployment",
        "disability",
    ]


class _DoubleContributions(Reform):
    """Every contribution month counted twice: a variable the old-age branch reads, updated."""

    def apply(self) -> None:
        class contribution_months(Variable):
            value_type = int
            entity = Person
            definition_period = DateUnit.MONTH
            label = "Contribution months, doubled"

        self.update_variable(contribution_months)


def test_a_branch_that_runs_an_updated_variable_is_computed_again(table):
    lao = tax_benefit_system("lao")
    codes, reads = _recorded(table, lao, _DoubleContributions(lao))
    assert "old_age" not in codes
    for branch in branches_of(lao):  # taken exactly when its computation never ran the variable
        ran, _ = reads.closure(branch.code)
        assert (branch.code in codes) == ("contribution_months" not in ran), branch.code


def test_the_recorded_root_names_each_node_reached_and_everything_when_walked():
    system = tax_benefit_system("lao")
    reads = Reads()
    root = RecordingRoot(system.get_parameters_at_instant("2026-10-01"), reads)
    reads.stack.append("a_formula")
    assert has(root, "old_age")
    assert root.maternity is not None and root["insured_wage"] is not None
    assert "no_such_node" not in root
    assert reads.keys["a_formula"] == {"old_age", "maternity", "insured_wage", "no_such_node"}
    list(root)
    assert EVERYTHING in reads.keys["a_formula"]


def test_a_computation_that_walked_the_whole_tree_is_never_taken():
    reads = Reads()
    reads.group = "old_age"
    reads.called("old_age_pension")
    reads.stack.append("old_age_pension")
    reads.reached([EVERYTHING])
    lao = tax_benefit_system("lao")
    reform = load_reform("r202_social_pension", lao)
    assert reuse.reusable_branches(lao, reform, reads, outputs_of(reform)) == []


def test_changed_keys_and_variables_name_what_a_reform_changes():
    lao = tax_benefit_system("lao")
    assert reuse.changed_keys(lao, lao) == frozenset() and reuse.changed_variables(lao, lao) == frozenset()
    assert reuse.changed_keys(lao, load_reform("lao_old_age_10_years", lao)) == {"old_age"}
    pension = load_reform("r202_social_pension", lao)
    assert reuse.changed_keys(lao, pension) == {"social_pension"}
    assert reuse.changed_variables(lao, pension) == frozenset()  # the rules' own variables; the reform's parameters


def test_a_system_given_again_with_fewer_outputs_takes_the_first_results(table, monkeypatch):
    """A comparison of the baseline with itself (a projection's years before its reform, ``compare`` without a
    reform): the reform's side, whose outputs are the baseline's but the analysis' own, takes the baseline's
    arrays; the rules run once a chunk, and give what the reform's outputs computed alone give."""
    lao = tax_benefit_system("lao")
    plan = plan_comparison(MONTH, lao, lao)
    every, fewer = plan.outputs["baseline"], plan.outputs["reform"]
    assert set(fewer) < set(every)
    inputs, _ = read_population(table, [lao], MONTH, [every])
    alone = compute_claims(lao, inputs, MONTH, list(fewer), branches_of(lao))
    alone = {name: values.copy() for name, values in alone.items()}
    runs: list[tuple[str, ...]] = []
    original = chunks.compute_claims

    def counted(system, population, month, names, *arguments, **options):
        runs.append(tuple(names))
        return original(system, population, month, names, *arguments, **options)

    monkeypatch.setattr(chunks, "compute_claims", counted)
    inputs, _ = read_population(table, [lao], MONTH, [every])
    for _, (first, second) in chunks.iterate_chunks([lao, lao], inputs, MONTH, [every, fewer], chunk_persons=10_000):
        assert all(second[name] is first[name] for name in fewer)
        for name in fewer:
            np.testing.assert_array_equal(second[name], alone[name], err_msg=name)
    assert runs == [tuple(every)]  # one chunk, one computation

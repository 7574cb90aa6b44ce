"""The rule of a last month without the corresponding day, read by itself, is the one the tree of every parameter in
force that day gives (:func:`~openfisca_sp.decisions.benefit_periods.last_day_rule`): for every branch of every
jurisdiction, on any day, and where a reform leaves it null or makes it false."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openfisca_core import periods
from openfisca_core.reforms import Reform

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions.benefit_periods import LAST_DAY, last_day_rule
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.rules.branch_nodes import has

SYSTEMS = {code: tax_benefit_system(code) for code in ("vnm", "lao", "tjk", "ilo_c102")}


def in_tree(system: Any, code: str, day: str) -> bool:
    """The rule as the whole tree of parameters in force on ``day`` gives it (the straightforward reading)."""
    node = system.get_parameters_at_instant(day)
    return has(node, code, "duration", LAST_DAY) and bool(node[code].duration[LAST_DAY])


def change_days(system: Any) -> list[str]:
    """The days a value of the rule comes into force, and the days before them, in ``system``."""
    days = []
    for branch in branches_of(system):
        duration = system.parameters.children.get(branch.code)
        rule = duration.children.get("duration") if duration is not None else None
        rule = rule.children.get(LAST_DAY) if rule is not None else None
        for value in getattr(rule, "values_list", []):
            start = datetime.date.fromisoformat(value.instant_str)
            days += [str(start), str(start - datetime.timedelta(days=1))]
    return days


@settings(max_examples=60, deadline=None)
@given(code=st.sampled_from(sorted(SYSTEMS)), day=st.dates(datetime.date(1950, 1, 1), datetime.date(2080, 12, 31)))
def test_the_rule_read_alone_is_the_trees(code: str, day: datetime.date) -> None:
    system = SYSTEMS[code]
    for branch in branches_of(system):
        assert last_day_rule(system, branch, day) == in_tree(system, branch.code, str(day))


@pytest.mark.parametrize("code", sorted(SYSTEMS))
def test_the_rule_read_alone_is_the_trees_on_the_days_it_changes(code: str) -> None:
    system = SYSTEMS[code]
    for day in change_days(system):
        for branch in branches_of(system):
            assert last_day_rule(system, branch, day) == in_tree(system, branch.code, day), (branch.code, day)


class _Changed(Reform):
    """Viet Nam's maternity rule false from 2027, and null (not in force) from 2029."""

    def apply(self) -> None:
        def changed(parameters: Any) -> Any:
            rule = parameters.maternity.duration.children[LAST_DAY]
            rule.update(start=periods.instant("2027-01-01"), value=False)
            rule.update(start=periods.instant("2029-01-01"), value=None)
            return parameters

        self.modify_parameters(changed)


@pytest.mark.parametrize("day", ["2026-12-31", "2027-01-01", "2028-12-31", "2029-01-01", "2035-06-15"])
def test_a_rule_changed_or_ended_is_read_as_the_tree_reads_it(day: str) -> None:
    system = _Changed(SYSTEMS["vnm"])
    maternity = next(branch for branch in branches_of(system) if branch.code == "maternity")
    assert last_day_rule(system, maternity, day) == in_tree(system, "maternity", day)
    assert last_day_rule(system, maternity, day) is (day < "2027-01-01")

"""A drafter's typo in a parameter name fails loading; a required parameter never falls back to a default.

Each branch declares the names it reads (openfisca_sp/rules/branches/); these
tests work on copies of the shipped jurisdictions, as a drafter editing them would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from openfisca_sp import SocialProtectionSystem, tax_benefit_system
from openfisca_sp.decisions import age_changes, benefit_periods, day_rate, uprating
from openfisca_sp.drafting.parameter_reads import files_read, parameter_files
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules import formulas, jurisdictions
from openfisca_sp.rules.branches import AMOUNT, BRANCHES, DURATION, ELIGIBILITY, GROUPS
from openfisca_sp.rules.branches.model import BY_REFERENCE_AMOUNT
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.provenance import provenance_of
from openfisca_sp.rules.simulations import simulation_from_arrays
from openfisca_sp.rules.yaml_files import ParameterFileError

CODES = sorted(jurisdictions.registry())


def copy_of(code: str, tmp_path: Path) -> Path:
    """A drafter's working copy of a jurisdiction's parameters."""
    target = tmp_path / code
    shutil.copytree(jurisdictions.get(code).parameters_dir, target)
    return target


def system_of(folder: Path) -> SocialProtectionSystem:
    return SocialProtectionSystem(jurisdictions.read_jurisdiction(folder))


def test_the_issue_s_typo_fails_loading_with_file_line_and_suggestion(tmp_path: Path) -> None:
    folder = copy_of("vnm", tmp_path)
    wrong = folder / "old_age/qualifying_period/minimum_month.yaml"
    (folder / "old_age/qualifying_period/minimum_months.yaml").rename(wrong)
    with pytest.raises(ParameterFileError) as raised:
        system_of(folder)
    assert raised.value.path == str(wrong)
    assert raised.value.line == 1
    assert str(raised.value) == (
        f"{wrong}:1: no branch reads a parameter 'old_age.qualifying_period.minimum_month'; "
        "did you mean 'minimum_months'?"
    )


TYPOS = {
    "a branch": ("vnm", "maternity", "maternty", "no branch 'maternty' reads parameters; did you mean 'maternity'?"),
    "a sex": (
        "vnm",
        "old_age/pensionable_age/women.yaml",
        "old_age/pensionable_age/woman.yaml",
        "is not men or women; did you mean 'women'?",
    ),
    "a reference amount": (
        "vnm",
        "old_age/minimum_pension/base_salary.yaml",
        "old_age/minimum_pension/base_salry.yaml",
        "is not a reference amount of this jurisdiction (under reference_amounts); did you mean 'base_salary'?",
    ),
    "a pregnancy outcome": (
        "lao",
        "maternity/qualifying_period/minimum_months/pregnancy_loss.yaml",
        "maternity/qualifying_period/minimum_months/miscarriage.yaml",
        "is not a pregnancy outcome; expected one of: live_birth, pregnancy_loss",
    ),
    "a folder": (
        "lao",
        "unemployment/qualifying_period",
        "unemployment/qualifying_periods",
        "no branch reads a parameter 'unemployment.qualifying_periods'; did you mean 'qualifying_period'?",
    ),
    "a benchmark value": (
        "ilo_c102",
        "higher_standards/c183/leave_weeks.yaml",
        "higher_standards/c183/leave_week.yaml",
        "did you mean 'leave_weeks'?",
    ),
}


@pytest.mark.parametrize("case", sorted(TYPOS))
def test_a_name_no_branch_reads_is_refused_with_the_closest_name(tmp_path: Path, case: str) -> None:
    code, right, wrong, message = TYPOS[case]
    folder = copy_of(code, tmp_path)
    (folder / right).rename(folder / wrong)
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(folder)
    assert raised.value.path == str(folder / wrong)
    assert message in str(raised.value)


def test_a_value_set_by_sex_needs_both_sexes(tmp_path: Path) -> None:
    folder = copy_of("vnm", tmp_path)
    (folder / "old_age/pensionable_age/women.yaml").unlink()
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(folder)
    assert raised.value.path == str(folder / "old_age/pensionable_age/men.yaml")
    assert "without 'old_age.pensionable_age.women': give both men and women" in str(raised.value)


def test_a_file_and_a_folder_of_the_same_name_are_refused(tmp_path: Path) -> None:
    folder = copy_of("lao", tmp_path)
    shutil.copy(folder / "maternity/benefit_rate.yaml", folder / "maternity/duration.yaml")
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(folder)
    assert raised.value.path == str(folder / "maternity/duration.yaml")
    assert f"'maternity.duration' is also defined by {folder / 'maternity/duration'}" in str(raised.value)


def test_a_value_set_per_reference_amount_must_be_a_folder(tmp_path: Path) -> None:
    folder = copy_of("vnm", tmp_path)
    shutil.move(folder / "old_age/minimum_pension/base_salary.yaml", folder / "old_age/minimum_pension.yaml")
    (folder / "old_age/minimum_pension").rmdir()
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(folder)
    assert raised.value.path == str(folder / "old_age/minimum_pension.yaml")
    assert "is set per reference amount: make it a folder of one file per reference amount" in str(raised.value)


def test_a_name_inside_a_file_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = copy_of("lao", tmp_path)
    shutil.rmtree(folder / "maternity/duration")
    (folder / "maternity/duration.yaml").write_text(
        "description: Maternity leave\nmetadata:\n  status: verified\n  reference: [{instrument: A law, article: Art 1, source: L1}]\n"
        "unit:\n  description: unit\n  values:\n    2014-01-01: days\n"
        "single_brith:\n  description: days\n  values:\n    2014-01-01: 105\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(folder)
    assert raised.value.line == 9
    assert "'maternity.duration.single_brith'; did you mean 'single_birth'?" in str(raised.value)


@pytest.mark.parametrize("code", CODES)
def test_every_parameter_file_is_read_by_some_formula(code: str) -> None:
    """At some month in which one of its values starts, a formula reads every file (benchmarks aside)."""
    system = tax_benefit_system(code)
    files = set(parameter_files(system.parameters).values())
    unread = files - files_read(system)
    benchmarks = {group.code for group in GROUPS if group.benchmark}
    declared_unread = {
        path for path in files if Path(path).relative_to(system.jurisdiction.parameters_dir).parts[0] in benchmarks
    }
    unread -= _files_of_branches_never_modelled(system) | _reference_amounts_nothing_names(system)
    # the rises of benefits in payment are read by the schedules and the population engine, not by a formula
    # and so is what a day of a monthly amount pays (``<branch>.duration.days_a_month``), and how a period of months
    # ends in a short month (``<branch>.duration.last_day_without_corresponding_day``, by the benefit periods), and
    # from which month an amount that follows age changes (``<branch>.amount_change.from_month_after``, by its dates)
    read_elsewhere = (
        age_changes.FROM_MONTH_AFTER.rsplit(".", 1)[-1],
        uprating.PARAMETER,
        uprating.CATCH_UP,
        uprating.FOLLOWS,
        day_rate.PARAMETER,
        benefit_periods.LAST_DAY,
    )
    unread -= {path for path in unread if Path(path).stem in read_elsewhere}
    assert unread == declared_unread, f"files no formula reads: {sorted(unread - declared_unread)}"


def _reference_amounts_nothing_names(system: SocialProtectionSystem) -> set[str]:
    """The files of reference amounts that no parameter of the jurisdiction is a multiple of (kept on purpose: the
    amounts the law expresses benefits in, recorded before the benefits that use them are modelled)."""
    named = set()
    for code, branch in BRANCHES.items():
        for declared in (name for name in branch.parameters if name.keyed_by == BY_REFERENCE_AMOUNT):
            node = system.parameters
            for key in (code, *declared.path.split(".")):
                node = getattr(node, "children", {}).get(key)
            if node is not None:
                named.update(node.children)
    amounts = system.parameters.children.get("reference_amounts")
    files = parameter_files(amounts) if amounts is not None else {}
    return {path for name, path in files.items() if name.split(".")[1] not in named}


def _files_of_branches_never_modelled(system: SocialProtectionSystem) -> set[str]:
    """The files of a branch that is not modelled on any day one of their values starts (kept on purpose: what a
    source gives, recorded while the rest of the branch is searched for; the loader still checks their names)."""
    starts: dict[str, set[str]] = {}
    for records in provenance_of(system).history.values():
        for record in records:
            starts.setdefault(record.file, set()).add(record.start)
    found = set()
    for path, days in starts.items():
        code = Path(path).relative_to(system.jurisdiction.parameters_dir).parts[0]
        if code in BRANCHES and all(
            formulas.branch(system.parameters, parse_period(day), code) is None for day in days
        ):
            found.add(path)
    return found


@pytest.mark.parametrize("code", ["lao", "vnm", "tjk"])
def test_a_reform_s_own_parameter_files_are_read_by_its_formulas(code: str) -> None:
    """Its own file, and (Viet Nam) the law's files it keeps before its first date (2026)."""
    reform = load_reform("r202_social_pension", tax_benefit_system(code))
    files = parameter_files(reform.parameters.children["social_pension"])
    assert set(files.values()) <= files_read(reform, ["2025-08", "2026-10"])


def _requirements(part: str) -> list[tuple[str, str, str]]:
    """(jurisdiction, branch, path) of every parameter a part needs, where the jurisdiction has it."""
    cases = []
    for code in CODES:
        for branch in BRANCHES.values():
            for option in branch.requirement(part):
                for path in option:
                    if (jurisdictions.get(code).parameters_dir / branch.code / path.replace(".", "/")).exists() or (
                        jurisdictions.get(code).parameters_dir / branch.code / (path.replace(".", "/") + ".yaml")
                    ).exists():
                        cases.append((code, branch.code, path))
    return sorted(set(cases))


def _remove(folder: Path, branch: str, path: str) -> None:
    target = folder / branch / path.replace(".", "/")
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.with_suffix(".yaml").unlink()


def _results(system: SocialProtectionSystem, month: str, names: list[str]) -> dict[str, np.ndarray]:
    simulation = simulation_from_arrays(system, 3, {("contribution_months", month): np.array([0, 120, 600])})
    return {name: np.asarray(simulation.calculate(name, month)) for name in names}


def _month_in_force(code: str, branch: str, part: str) -> str:
    """A month in which the law provides the branch and ``part`` of its result is modelled (the latest found)."""
    parameters = tax_benefit_system(code).get_parameters_at_instant
    for month in ("2026-01", "2024-01", "2020-01", "2016-01", "2012-01", "2005-01"):
        node = formulas.branch(parameters, parse_period(month), branch)
        if node is not None and node.provided and formulas.part_modelled(parameters, parse_period(month), branch, part):
            return month
    pytest.skip(f"{part} of {branch} is never modelled in {code}")


@pytest.mark.parametrize(("code", "branch", "path"), _requirements(ELIGIBILITY))
def test_without_a_parameter_its_eligibility_needs_the_branch_is_not_modelled(tmp_path, code, branch, path) -> None:
    month = _month_in_force(code, branch, ELIGIBILITY)
    folder = copy_of(code, tmp_path)
    _remove(folder, branch, path)
    reason = _results(system_of(folder), month, [BRANCHES[branch].reason])[BRANCHES[branch].reason]
    assert (reason == Reason.not_modelled.index).all(), f"{code} {branch} without {path}"


@pytest.mark.parametrize(("code", "branch", "path"), _requirements(AMOUNT))
def test_without_a_parameter_its_amount_needs_the_amount_is_not_modelled(tmp_path, code, branch, path) -> None:
    month = _month_in_force(code, branch, AMOUNT)
    folder = copy_of(code, tmp_path)
    _remove(folder, branch, path)
    declared = BRANCHES[branch]
    before = _results(tax_benefit_system(code), month, [declared.amount_modelled])
    after = _results(system_of(folder), month, [declared.amount_modelled, declared.benefit])
    assert before[declared.amount_modelled].all()
    assert not after[declared.amount_modelled].any(), f"{code} {branch} without {path}"
    assert not after[declared.benefit].any()


@pytest.mark.parametrize(("code", "branch", "path"), _requirements(DURATION))
def test_without_a_parameter_its_duration_needs_the_duration_is_not_modelled(tmp_path, code, branch, path) -> None:
    month = _month_in_force(code, branch, DURATION)
    folder = copy_of(code, tmp_path)
    _remove(folder, branch, path)
    before = tax_benefit_system(code).get_parameters_at_instant
    after = system_of(folder).get_parameters_at_instant
    period = parse_period(month)
    assert formulas.part_modelled(before, period, branch, DURATION)
    assert not formulas.part_modelled(after, period, branch, DURATION), f"{code} {branch} without {path}"


def test_a_value_set_by_sex_makes_only_that_sexs_decisions_provisional(tmp_path: Path) -> None:
    """An outside review: a woman refused the Lao pension for her age was provisional though the women's age in
    force was verified, because the men's was not. A value the law sets by sex now counts for that sex only."""
    folder = copy_of("lao", tmp_path)
    women = folder / "old_age/pensionable_age/women.yaml"
    women.write_text(
        women.read_text(encoding="utf-8") + "  2027-01-01:\n"
        "    value: 684\n"
        "    metadata:\n"
        "      status: verified\n"
        "      reference:\n"
        "        - instrument: A test law\n"
        "          article: Art 1\n"
        "          source: L1\n",
        encoding="utf-8",
    )
    system = system_of(folder)
    month = "2027-03"
    simulation = simulation_from_arrays(
        system,
        2,
        {
            ("birth_date", "ETERNITY"): np.array(["1990-06-01", "1990-06-01"], dtype="datetime64[D]"),
            ("sex", "ETERNITY"): np.array(["female", "male"]),
            ("contribution_months", month): np.array([200, 200]),
        },
    )
    reason = simulation.calculate("old_age_pension_ineligibility_reason", month)
    assert (reason == Reason.below_pensionable_age.index).all()
    provisional = simulation.calculate("old_age_pension_provisional", month)
    assert provisional.tolist() == [False, True]  # the men's age of Law No. 34/NA is unverified

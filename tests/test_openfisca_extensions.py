"""Extensions and reforms over openfisca-sp, as an OpenFisca user loads them: ``openfisca test -e``/``-r``, a law
case's own ``extensions:``, and ``load_extension`` on a clone of the rules (what openfisca-core's runner does)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from openfisca_sp import CountryTaxBenefitSystem

BIN = Path(sys.executable).parent
EXTENSION = '''"""A local top-up over openfisca-sp (a test extension)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules.entities import Person


class local_top_up(Variable):
    value_type = float
    entity = Person
    definition_period = DateUnit.MONTH
    label = "A local top-up of 100 to whoever is eligible to the old-age pension"

    def formula(person, period):
        return person("old_age_pension_eligible", period) * 100.0
'''
REFORM = """from openfisca_core.reforms import Reform

from local_extension.local_top_up import local_top_up


class AddTopUp(Reform):
    name = "the local top-up, as a reform"

    def apply(self):
        self.add_variable(local_top_up)
"""
# Decree 207/PM: a man of 60 with 5 years of coverage is eligible (tests/rules/lao/old_age)
CASE = """- name: a man of 60 with 5 years of coverage gets the local top-up
  period: 2012-01{keys}
  input:
    birth_date: 1952-01-01
    contribution_months: 60
  output:
    {name}: 100
"""


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    """A folder of importable packages: the extension ``local_extension`` and the module ``local_reform``."""
    (tmp_path / "local_extension").mkdir()
    (tmp_path / "local_extension" / "__init__.py").write_text("")
    (tmp_path / "local_extension" / "local_top_up.py").write_text(EXTENSION)
    (tmp_path / "local_reform.py").write_text(REFORM)
    return tmp_path


def _openfisca_test(packages: Path, case: str, *options: str) -> subprocess.CompletedProcess[str]:
    folder = packages / "tests" / "rules" / "lao"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cases.yaml").write_text(case)
    environment = {key: value for key, value in os.environ.items() if key != "OPENFISCA_SP_JURISDICTION"}
    environment["PYTHONPATH"] = str(packages)
    command = [str(BIN / "openfisca"), "test", "tests/rules/lao", "-c", "openfisca_sp", *options]
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=packages, timeout=600)


@pytest.mark.parametrize(
    ("keys", "options"),
    [
        ("", ("-e", "local_extension")),
        ("", ("-r", "local_reform.AddTopUp")),
        ("\n  extensions: [local_extension]", ()),
    ],
    ids=["-e", "-r", "extensions: of the case"],
)
def test_openfisca_test_runs_the_cases_of_an_extension_or_a_reform(packages: Path, keys: str, options: tuple) -> None:
    """Their variables were refused as unknown by the check run before the cases (none run); a case's own
    ``extensions:`` failed as openfisca-core's clone of the rules loaded the extension into the original."""
    done = _openfisca_test(packages, CASE.format(keys=keys, name="local_top_up"), *options)
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
    assert "openfisca-sp:" not in done.stderr


def test_a_misspelt_variable_under_an_extension_is_still_told_at_its_line(packages: Path) -> None:
    done = _openfisca_test(packages, CASE.format(keys="", name="local_top_uq"), "-e", "local_extension")
    assert done.returncode == 1 and " passed" not in done.stdout
    assert done.stderr.startswith(
        "openfisca-sp: tests/rules/lao/cases.yaml:7: unknown variable 'local_top_uq' in the output of case 1 "
        "('a man of 60 with 5 years of coverage gets the local top-up') (jurisdiction lao); did you mean "
        "'local_top_up'?"
    ), done.stderr


def test_an_extension_that_does_not_load_is_left_to_openfisca_core_to_tell(packages: Path) -> None:
    done = _openfisca_test(packages, CASE.format(keys="", name="local_top_up"), "-e", "no_such_extension")
    assert done.returncode != 0 and "openfisca-sp:" not in done.stderr
    assert "`no_such_extension` is neither a directory, nor a package" in done.stderr


def test_an_extension_loaded_in_a_clone_is_the_clone_s_only(packages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(packages))
    original = CountryTaxBenefitSystem()  # Lao PDR: its own variables replace shared ones
    clone = original.clone()
    clone.load_extension("local_extension")
    assert "local_top_up" in clone.variables
    assert "local_top_up" not in original.variables


def test_openfisca_test_runs_openfisca_sp_s_cases_under_a_reform_given_with_r() -> None:
    """With ``-r``, the rules are a Reform of openfisca-sp's, which the guard against another country package's
    rules took for one: the run ended, saying to give ``-c openfisca_sp`` (given)."""
    root = Path(__file__).resolve().parent.parent
    environment = {key: value for key, value in os.environ.items() if key != "OPENFISCA_SP_JURISDICTION"}
    reform = "openfisca_sp.reforms.yaml_reforms.lao_old_age_10_years"  # an old-age reform: maternity unchanged
    command = [str(BIN / "openfisca"), "test", "tests/rules/lao/maternity", "-c", "openfisca_sp", "-r", reform]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=root, timeout=600)
    assert done.returncode == 0 and " passed" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
    assert "failed" not in done.stdout and "openfisca-sp:" not in done.stdout + done.stderr

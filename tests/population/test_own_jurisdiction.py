"""A population that names its own jurisdiction (a shipped sample, a synthesized table's metadata) is read with
that jurisdiction's rules by default, and another jurisdiction's rules on it are refused: in Python as on the
command line."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from openfisca_core import periods
from openfisca_core.reforms import Reform

from openfisca_sp.analysis import compare
from openfisca_sp.calibration import calibrate
from openfisca_sp.cli import main
from openfisca_sp.population import PopulationError, resolve_system, simulate
from openfisca_sp.rules.jurisdictions import UnknownJurisdictionError
from openfisca_sp.synthetic import generate, write_parquet

MONTH = "2026-10"


def test_a_sample_is_simulated_with_its_own_rules_by_default() -> None:
    results = simulate("sample:vnm", MONTH)
    assert results.rules()["jurisdiction"] == "vnm" and results.rules()["currency"] == "VND"


def test_a_sample_is_compared_with_its_own_rules_by_default() -> None:
    comparison = compare("sample:tjk", MONTH, "r202_social_pension")
    assert comparison.meta["jurisdiction"] == "tjk" and comparison.meta["currency"] == "TJS"


@pytest.mark.parametrize("rules", ["lao", resolve_system("lao")], ids=["code", "system"])
def test_another_jurisdictions_rules_on_a_sample_are_refused(rules: object) -> None:
    with pytest.raises(PopulationError, match=r"sample:vnm is the synthetic population of 'vnm', not of 'lao'"):
        simulate("sample:vnm", MONTH, rules)
    with pytest.raises(PopulationError, match=r"sample:tjk is the synthetic population of 'tjk', not of 'lao'"):
        compare("sample:tjk", MONTH, "r202_social_pension", rules)


def test_an_unknown_jurisdiction_is_refused_as_such() -> None:
    with pytest.raises(UnknownJurisdictionError, match="unknown jurisdiction 'laos'"):
        simulate("sample:lao", MONTH, "laos")


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(write_parquet(tmp_path_factory.mktemp("tjk") / "t.parquet", "tjk", 500, MONTH, seed=3))


def test_a_synthesized_table_is_read_with_the_rules_its_metadata_names(synthesized: str) -> None:
    assert simulate(synthesized, MONTH).rules()["jurisdiction"] == "tjk"
    assert simulate(pq.read_table(synthesized), MONTH).rules()["jurisdiction"] == "tjk"
    assert compare(synthesized, MONTH, "r202_social_pension").meta["jurisdiction"] == "tjk"
    with pytest.raises(PopulationError, match=r"t\.parquet is a population of 'tjk', not of 'vnm'"):
        simulate(synthesized, MONTH, "vnm")
    with pytest.raises(PopulationError, match=r"the table is a population of 'tjk', not of 'lao'"):
        compare(generate("tjk", 100, MONTH, seed=1), MONTH, "r202_social_pension", "lao")


def test_the_command_line_and_calibration_refuse_the_same(synthesized: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", synthesized, "--month", MONTH, "--jurisdiction", "lao", "--no-progress"]) == 2
    assert "is a population of 'tjk', not of 'lao'" in capsys.readouterr().err
    assert main(["simulate", synthesized, "--month", MONTH, "--no-progress"]) == 0
    assert "(amounts in TJS" in capsys.readouterr().out
    with pytest.raises(PopulationError, match="is a population of 'tjk', not of 'lao'"):
        calibrate(synthesized, "lao", MONTH)


class _MaternityAtHalf(Reform):
    name = "maternity at 50%"

    def apply(self) -> None:
        def halve(parameters):
            parameters.maternity.benefit_rate.update(start=periods.period("2026-01"), value=0.5)
            return parameters

        self.modify_parameters(modifier_function=halve)


def test_a_reform_built_on_another_jurisdictions_rules_is_refused_by_compare() -> None:
    """An outside review: compare ran Lao PDR's reformed rules on Viet Nam's sample (kip rules over dong) and
    reported winners from a rate cut; simulate refused the same."""
    with pytest.raises(ValueError, match=r"reform 'maternity at 50%' is built on the rules of 'lao', not of 'vnm'"):
        compare("sample:vnm", MONTH, _MaternityAtHalf(resolve_system("lao")))
    built = compare("sample:vnm", MONTH, _MaternityAtHalf(resolve_system("vnm"))).branches.set_index("branch")
    assert built.loc["maternity", "reform_cost"] < built.loc["maternity", "baseline_cost"]

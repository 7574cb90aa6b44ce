"""Mistakes an analyst makes in Python, each refused in words that name what is wrong and what was meant."""

from __future__ import annotations

import pytest
from openfisca_core import periods
from openfisca_core.reforms import Reform

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis import compare
from openfisca_sp.cli import main
from openfisca_sp.population import simulate
from openfisca_sp.rules.null_values import UnknownParameterError
from tests.population.test_hand_checked_table import MONTH, _viet_nam

MISSPELT = (
    "no parameter 'social_pension.minimum_age_month' in these rules; did you mean 'social_pension.minimum_age_months'?"
)


class MisspeltReform(Reform):
    """A social pension from 60, its parameter's name misspelt (``minimum_age_month``)."""

    def apply(self) -> None:
        def modify(parameters):
            parameters.social_pension.minimum_age_month.update(start=periods.period("2026-01"), value=720)
            return parameters

        self.modify_parameters(modifier_function=modify)


def test_a_python_reform_s_misspelt_parameter_is_named_with_the_one_meant(tmp_path, capsys):
    """It said "'LawNode' object has no attribute 'minimum_age_month'", and the command printed a traceback."""
    table = _viet_nam()
    with pytest.raises(UnknownParameterError) as raised:
        compare(table, MONTH, MisspeltReform, "vnm")
    assert str(raised.value) == MISSPELT
    assert isinstance(raised.value, AttributeError)  # what asking for an attribute that is not there raises
    node = tax_benefit_system("vnm").parameters.social_pension
    assert not hasattr(node, "minimum_age_month") and getattr(node, "_private", None) is None
    path = tmp_path / "table.parquet"
    table.to_parquet(path, index=False)
    reform = f"{__name__}:MisspeltReform"
    assert main(["compare", str(path), "--month", MONTH, "--jurisdiction", "vnm", "--reform", reform]) == 2
    assert capsys.readouterr().err == f"openfisca-sp compare: error: {MISSPELT}\n"


def test_a_result_column_misspelt_is_named_with_the_one_meant():
    """``to_frame(["old_age_pensio"])`` raised a bare KeyError: 'old_age_pensio'."""
    results = simulate(_viet_nam(), MONTH, "vnm")
    with pytest.raises(ValueError, match=r"unknown result column 'old_age_pensio' \(did you mean 'old_age_pension'\?"):
        results.to_frame(["old_age_pensio"])
    assert list(results.to_frame("social_pension").columns) == ["person_id", "household_id", "weight", "social_pension"]


def test_a_yaml_reform_that_is_not_there_is_named_as_a_reform():
    """It said "[Errno 2] No such file or directory: 'my_reform.yaml'", as a server says it does not."""
    with pytest.raises(ValueError, match=r"^reform '.*my_reform\.yaml': no such YAML reform file$"):
        compare(_viet_nam(), MONTH, "my_reform.yaml", "vnm")

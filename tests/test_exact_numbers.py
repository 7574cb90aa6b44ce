"""Float variables held in float64 (money exact to the dong), in every system and reform openfisca-sp builds, and
no other package's variables changed."""

from __future__ import annotations

import numpy as np
import pytest
from openfisca_country_template import CountryTaxBenefitSystem as TemplateSystem

from openfisca_sp import tax_benefit_system
from openfisca_sp.reforms import load_reform, shipped_reforms
from openfisca_sp.rules import jurisdictions


@pytest.mark.parametrize("code", sorted(jurisdictions.registry()))
def test_every_float_variable_of_a_jurisdiction_is_held_in_float64(code: str) -> None:
    system = tax_benefit_system(code)
    floats = [variable for variable in system.variables.values() if variable.value_type is float]
    assert floats and all(variable.dtype == np.float64 for variable in floats)
    assert system.variables["old_age_lump_sum"].default_array(1).dtype == np.float64


@pytest.mark.parametrize("name", sorted(shipped_reforms()))
def test_a_reform_holds_its_own_float_variables_in_float64(name: str) -> None:
    entry = shipped_reforms()[name]
    reformed = load_reform(name, tax_benefit_system(entry.jurisdictions[0]))
    floats = [variable for variable in reformed.variables.values() if variable.value_type is float]
    assert all(variable.dtype == np.float64 for variable in floats), name


def test_another_packages_floats_are_left_in_float32() -> None:
    template = TemplateSystem()
    tax_benefit_system("vnm")
    assert template.variables["salary"].dtype == np.float32

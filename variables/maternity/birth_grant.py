"""Birth grant: a lump sum per child at confinement."""

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches.maternity import BIRTH_GRANT
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import PregnancyOutcome


class birth_grant_modelled(Variable):
    value_type = bool
    entity = Person
    label = "The birth grant is modelled at this date"
    definition_period = DateUnit.MONTH
    reference = "The branch catalogue (openfisca_sp/rules/branches/maternity.py): the birth grant's optional names"
    documentation = (
        "False where a name of maternity.birth_grant stands at a null whose source was not found (its note says "
        "NOT FOUND): the grant is then not modelled, never 0. A grant a law ended is 0: no grant of that kind."
    )

    def formula(person, period, parameters):
        return person.filled_array(formulas.part_modelled(parameters, period, "maternity", BIRTH_GRANT))


class birth_grant_entitled(Variable):
    value_type = bool
    entity = Person
    label = "Entitled to the birth grant: eligible for maternity benefit"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person("maternity_benefit_eligible", period)


class birth_grant(Variable):
    value_type = float
    entity = Person
    label = "Birth grant (lump sum, paid once per confinement)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = "Parameters maternity.birth_grant (share of the reference wage, or multiple of a reference amount)"
    documentation = (
        "Per child born: a share of the maternity reference wage and/or a multiple of a reference amount "
        "(e.g. Viet Nam: 2 × the base salary). Paid to a woman eligible for maternity benefit."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None or not formulas.has(node, "birth_grant"):
            return person.filled_array(0)
        if not formulas.part_modelled(parameters, period, "maternity", BIRTH_GRANT):
            return person.filled_array(0)  # not modelled (birth_grant_modelled): the answers give no amount
        grant = node.birth_grant
        per_child = np.zeros(person.count)
        if formulas.has(grant, "reference_wage_share"):
            per_child = per_child + grant.reference_wage_share * person("maternity_reference_wage", period)
        if formulas.has(grant, "reference_amount_multiple"):
            per_child = per_child + formulas.reference_amount(parameters, period, grant.reference_amount_multiple)
        outcome = person("pregnancy_outcome", period)
        covers_loss = formulas.has(grant, "covers_pregnancy_loss") and bool(grant.covers_pregnancy_loss)
        counted = person("maternity_counts_children_born", period)
        children = np.where(counted, person("number_of_children_born", period), 0)
        if covers_loss:
            children = np.where(outcome == PregnancyOutcome.pregnancy_loss, 1, children)
        amount = formulas.round_amount(per_child * children, person.simulation.tax_benefit_system)
        return np.where(person("birth_grant_entitled", period), amount, 0)

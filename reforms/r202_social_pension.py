"""A social pension for older persons without a contributory one: the R202 floor for old age (a reform).

ILO Recommendation No. 202 (2012), Para 5(d): national social protection floors
should guarantee "basic income security, at least at a nationally defined
minimum level, for older persons". This reform adds a flat, non-contributory
monthly pension for persons at or above the age it sets (by default, the
statutory pensionable age) who are not entitled to a contributory old-age
pension. R202 sets no amount: each jurisdiction's amount is a *proposal*, in
``reforms/r202_social_pension/<jurisdiction>.yaml``, with its basis cited.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.branches import AMOUNT, Branch, Condition, ParameterName
from openfisca_sp.rules.branches.model import BOOLEAN, needs
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import DurationUnit, PaymentFrequency
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.parameter_checks import PROPOSAL, STATUSES
from openfisca_sp.rules.parameter_loader import load_parameter_file
from openfisca_sp.rules.sources import load_sources

PARAMETERS = Path(__file__).parent / "r202_social_pension"
BRANCH = Branch(
    code="social_pension",
    label="Social pension (R202 floor)",
    benefit="social_pension",
    conditions=(
        Condition((Reason.below_pensionable_age,), ("social_pension_age_reached",), ("minimum_age_months",)),
        Condition((Reason.receives_contributory_pension,), ("old_age_pension_eligible",), ()),
    ),
    coverage_group="older_persons",
    parameters=(
        ParameterName("provided", "whether the reform provides a social pension"),
        ParameterName(
            "in_law_in_force",
            "whether the law in force already provides a social pension that the baseline does not model",
            absent="the law in force provides none",
            kind=BOOLEAN,
        ),
        ParameterName(
            "minimum_age_months", "age of the social pension, in months", absent="the statutory pensionable age"
        ),
        ParameterName("amount", "the flat monthly social pension"),
    ),
    requirements={AMOUNT: needs("amount")},
)


class social_pension_age_reached(Variable):
    value_type = bool
    entity = Person
    label = "Has reached the age of the social pension"
    definition_period = DateUnit.MONTH
    reference = "ILO Recommendation No. 202 (2012), Para 5(d)"
    documentation = "The age the reform sets (minimum_age_months), else the statutory pensionable age."

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, BRANCH)
        if node is not None and formulas.has(node, "minimum_age_months"):
            return person("age_in_months", period) >= node.minimum_age_months
        return person("old_age_pensionable_age_reached", period)


class social_pension_ineligibility_reason(Variable):
    value_type = Enum
    possible_values = Reason
    default_value = Reason.eligible
    entity = Person
    label = "Why the person is not eligible for the social pension (eligible if they are)"
    definition_period = DateUnit.MONTH

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, BRANCH)
        if node is None:
            return formulas.reason_array(person, Reason.not_modelled)
        if not node.provided:
            return formulas.reason_array(person, Reason.not_provided_by_law)
        return formulas.first_that_holds(
            [
                np.logical_not(person("social_pension_age_reached", period)),
                lambda: person("old_age_pension_eligible", period),
            ],
            [Reason.below_pensionable_age.index, Reason.receives_contributory_pension.index],
            default=Reason.eligible.index,
            person=person,  # a condition written ``lambda: …`` is computed for those the ones before leave
        )


class social_pension_eligible(Variable):
    value_type = bool
    entity = Person
    label = "Eligible for the social pension"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person("social_pension_ineligibility_reason", period) == Reason.eligible


class social_pension(Variable):
    value_type = float
    entity = Person
    label = "Social pension (monthly amount)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    documentation = "The flat monthly amount the reform proposes, rounded to the currency unit; 0 when not eligible."

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, BRANCH)
        if node is None or not formulas.part_modelled(parameters, period, BRANCH, AMOUNT):
            return person.filled_array(0)
        amount = formulas.round_amount(np.full(person.count, float(node.amount)), person.simulation.tax_benefit_system)
        return np.where(person("social_pension_eligible", period), amount, 0)


class social_pension_frequency(Variable):
    value_type = Enum
    possible_values = PaymentFrequency
    default_value = PaymentFrequency.monthly
    entity = Person
    label = "How often the social pension is paid"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person.filled_array(PaymentFrequency.monthly.index)


class social_pension_duration_unit(Variable):
    value_type = Enum
    possible_values = DurationUnit
    default_value = DurationUnit.not_applicable
    entity = Person
    label = "Duration of the social pension"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        eligible = person("social_pension_eligible", period)
        return np.where(eligible, DurationUnit.lifetime.index, DurationUnit.not_applicable.index)


class social_pension_duration(Variable):
    value_type = float
    entity = Person
    label = "Duration of the social pension, in its unit (0 for life)"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        return person.filled_array(0)


class social_pension_provisional(Variable):
    value_type = bool
    entity = Person
    label = "The social pension decision rests on an unverified value (its own or the pensionable age)"
    definition_period = DateUnit.MONTH

    def formula(person, period):
        names = formulas.unverified(person, period, "social_pension", "old_age")
        return np.full(person.count, bool(names))


class r202_social_pension(Reform):
    """A flat social pension for older persons not entitled to a contributory pension (ILO R202 Para 5(d)).

    Eligible: at or above the age the reform sets (by default the statutory
    pensionable age) and not entitled to a contributory old-age pension. Amount:
    a flat monthly sum proposed per jurisdiction, with its basis cited.
    """

    name = "Social pension for older persons without a contributory pension (R202 floor)"
    jurisdictions = tuple(sorted(path.stem for path in PARAMETERS.glob("*.yaml")))
    references = (
        {
            "instrument": "ILO Social Protection Floors Recommendation, 2012 (No. 202)",
            "article": (
                "Para 5(d): basic income security, at least at a nationally defined minimum level, for older persons"
            ),
            "href": "https://www.ilo.org/secsoc/areas-of-work/legal-advice/WCMS_205341",
        },
    )

    def apply(self) -> None:
        code = self.baseline.jurisdiction.code
        path = PARAMETERS / f"{code}.yaml"
        if not path.exists():
            raise ValueError(f"r202_social_pension has no proposal for '{code}'; add {path.name} to {PARAMETERS}")
        sources = load_sources(self.baseline.jurisdiction.parameters_dir)
        node = load_parameter_file(path, "social_pension", (*STATUSES, PROPOSAL), BRANCH, sources)

        def add_social_pension(parameters):
            parameters.add_child("social_pension", node)
            return parameters

        self.modify_parameters(add_social_pension)
        for variable in (
            social_pension_age_reached,
            social_pension_ineligibility_reason,
            social_pension_eligible,
            social_pension,
            social_pension_frequency,
            social_pension_duration_unit,
            social_pension_duration,
            social_pension_provisional,
        ):
            self.add_variable(variable)
        self.extra_branches = (BRANCH,)

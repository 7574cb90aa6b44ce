"""Enumerations shared by the inputs and the rules of every jurisdiction."""

from openfisca_core.indexed_enums import Enum


class Sex(Enum):
    """Sex as recorded in the DCI Social Registry (``sex``)."""

    male = "Male"
    female = "Female"


class PregnancyOutcome(Enum):
    """Outcome of a pregnancy, as certified for a maternity claim."""

    none = "No pregnancy outcome recorded"
    live_birth = "Live birth"
    pregnancy_loss = "Miscarriage or stillbirth"


class SeparationReason(Enum):
    """Why the last employment ended (for unemployment benefit)."""

    not_separated = "Still employed, or no separation recorded"
    dismissal = "Dismissal or workforce reduction by the employer"
    employer_closure = "Bankruptcy, closure or end of the employer or project"
    temporary_closure_disaster = "Temporary closure of the employer after a disaster"
    end_of_contract = "End of a fixed-term contract"
    mutual_agreement = "Termination by mutual agreement"
    lawful_resignation = "Resignation by the employee in accordance with the law"
    unlawful_resignation = "Resignation by the employee in breach of the law"
    misconduct = "Dismissal for misconduct (disciplinary dismissal)"
    retirement = "Retirement on a pension"


class IneligibilityReason(Enum):
    """Why a person is not eligible for a benefit (``eligible`` when they are).

    A caller can act on each value: collect more contributions, wait for an age,
    register as unemployed, and so on. ``not_modelled`` means the engine has no
    verified source for the rule at that date and does not guess.
    """

    eligible = "Eligible"
    not_modelled = "Not modelled: no source for this rule at this date"
    not_provided_by_law = "The law in force provides no such benefit"
    below_pensionable_age = "Below pensionable age"
    insufficient_contributions = "Insufficient contribution period"
    insufficient_recent_contributions = "Insufficient contributions in the qualifying window"
    not_female = "The benefit is for insured women"
    no_confinement = "No birth or pregnancy outcome recorded"
    outcome_not_modelled = "Not modelled: no source for this pregnancy outcome's rules at this date"
    not_separated = "No separation from employment recorded"
    separation_reason_not_covered = "The reason for separation does not give a right"
    not_registered_unemployed = "Not registered as unemployed"
    unemployment_too_short = "Not unemployed for the minimum number of days"
    claim_out_of_time = "The claim was filed after the time limit the law sets"
    not_available_for_work = "Not capable of and available for work"
    not_disabled = "No disability recorded"
    disability_degree_too_low = "Degree of disability below the threshold"
    disability_category_not_covered = "Disability category less severe than the law covers"
    above_age_limit = "Above the age limit for the benefit"
    receives_contributory_pension = "Entitled to a contributory old-age pension"
    receives_higher_social_allowance = "Entitled to a monthly social allowance at least as high, paid instead"
    receives_higher_social_pension = "Entitled to a higher social pension, paid instead"
    early_pension_not_modelled = (
        "Not modelled: below pensionable age, at an age and with a period the law gives an early pension for, whose "
        "rules were not found"
    )
    reduced_period_not_modelled = (
        "Not modelled: a contribution period below the one required, for which the law pays something whose rules "
        "were not found"
    )
    reduced_capacity_pension_not_modelled = (
        "Not modelled: below pensionable age, with a loss of working capacity, an age and a period for which the law "
        "gives a reduced pension that is not encoded"
    )


NOT_MODELLED = (  # no decision: no source (for the branch, or for the person's case)
    IneligibilityReason.not_modelled,
    IneligibilityReason.outcome_not_modelled,
    IneligibilityReason.early_pension_not_modelled,
    IneligibilityReason.reduced_period_not_modelled,
    IneligibilityReason.reduced_capacity_pension_not_modelled,
)


class DurationUnit(Enum):
    """Unit of a benefit's duration."""

    not_applicable = "Not applicable (not eligible)"
    not_modelled = "Not modelled: no source for the duration"
    days = "Days"
    weeks = "Weeks"
    months = "Months"
    lifetime = "Throughout the contingency (for life)"
    until_pensionable_age = "Until old-age benefit becomes payable"


COUNTED_DURATION_UNITS = ("days", "weeks", "months")  # a duration in these units is a count; the others are not


class PaymentFrequency(Enum):
    """How often a periodic benefit is paid (DCI ``benefit_frequency``)."""

    monthly = "Monthly"

"""Response models of the eligibility endpoint: what ``POST /eligibility`` answers, for its OpenAPI schema
(the answers themselves are written as JSON by :mod:`~openfisca_sp.api.decision_json`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from openfisca_sp.api.models import Identifier
from openfisca_sp.decisions.deaths import DECEASED
from openfisca_sp.decisions.outcomes import OUTCOME_NAMES
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.enums import DurationUnit, IneligibilityReason, PaymentFrequency
from openfisca_sp.rules.parametric_reforms import REFORM_STATUSES

# the values a client branches on, as the rules name them: a refusal's reasons (and a death's), the units of a
# duration, the kinds of event a claim is decided on, the frequencies of payment
REGISTRY_UNAVAILABLE = "registry_unavailable"  # /eligibility/by-identifier: a registry that gives a fact failed
REGISTRY_NOT_CONFIGURED = "registry_not_configured"  # /eligibility/by-identifier: none set up gives the fact
REASONS = (
    *(reason.name for reason in IneligibilityReason if reason is not IneligibilityReason.eligible),
    DECEASED,
    REGISTRY_UNAVAILABLE,
    REGISTRY_NOT_CONFIGURED,
)
REGISTRIES_NAMED = "Only on /eligibility/by-identifier: the registries (social_registry, disability_registry, crvs) "
UNITS = tuple(unit.name for unit in DurationUnit)
EVENT_KINDS = tuple(dict.fromkeys(branch.event.kind for branch in BRANCHES.values() if branch.event))
FREQUENCIES = tuple(frequency.name for frequency in PaymentFrequency)
DATE = {"format": "date"}


class Duration(BaseModel):
    value: float | None = Field(description="A count of the unit; null when open-ended (lifetime …) or not modelled")
    unit: Literal[UNITS]  # type: ignore[valid-type]


class DCIBenefit(BaseModel):
    """The benefit in the DCI Integrated Beneficiary Registry shape."""

    benefit_type: str
    benefit_value: str
    benefit_frequency: str


class Event(BaseModel):
    """The event a claim is decided on."""

    kind: Literal[EVENT_KINDS] = Field(description="confinement, registration, claim or assessment")  # type: ignore[valid-type]
    date: str = Field(json_schema_extra=DATE)


class MonthPayment(BaseModel):
    month: str = Field(pattern=r"^\d{4}-\d{2}$", description="A calendar month, YYYY-MM")
    periodical: float | None
    lump_sums: float


class LumpSumDue(BaseModel):
    name: str
    amount: float | None
    due: str = Field(json_schema_extra=DATE)


class Payments(BaseModel):
    """The benefit period and payment schedule of an entitlement (docs/api.md)."""

    start: str | None = Field(
        description="The first day paid; null where the law's start is not modelled", json_schema_extra=DATE
    )
    end: str | None = Field(
        description="The last day paid; null when open-ended or not modelled", json_schema_extra=DATE
    )
    status: Literal["payable", "not_yet_payable", "ended"] | None = Field(description="On as_of")
    months: list[MonthPayment] | None = Field(description="What is payable in each calendar month of the period")
    periodical_total: float | None
    lump_sums: list[LumpSumDue]
    total: float | None
    provisional: bool = Field(
        description="What the payments list rests on an unverified value or an assumed fact: whenever the decision "
        "is provisional, and where the schedule rests on a rule the law does not give (see method): a part month's "
        "share, a first day paid read from the law, an amount that follows the person's age, months kept at the "
        "amount decided where rises of benefits in payment are not modelled, or an unverified value of their index"
    )
    method: str | None


class BranchDecision(BaseModel):
    """One branch decided for one person, on the date of its event."""

    decision: Literal[OUTCOME_NAMES]  # type: ignore[valid-type]
    eligible: bool | None = Field(description="null when undetermined (a fact is missing) or not modelled")
    reason: Literal[REASONS] | None = Field(  # type: ignore[valid-type]
        description="The first unmet condition, in the law's order (`deceased`: a death the request states); null "
        "when eligible or undetermined (on /eligibility/by-identifier, an undetermined decision a registry could "
        "settle: registry_unavailable, registry_not_configured)"
    )
    amount: float | None = Field(description="Periodic amount, rounded as the law says; null if not determined")
    amount_modelled: bool = Field(
        description="Whether this person's amount is modelled: false where the law's amount formula was not found at "
        "the date, or the decision is not_modelled"
    )
    frequency: Literal[FREQUENCIES] | None  # type: ignore[valid-type]
    duration: Duration | None
    lump_sums: dict[str, float | None]
    provisional: bool = Field(
        description="True when the decision rests on an unverified parameter value (one its legal_basis lists) or an "
        "assumed fact; false when undetermined (nothing is decided) and in a decision a CRVS death makes"
    )
    missing_facts: list[str] = Field(description="Facts that were needed and not stated")
    legal_basis: list[str] = Field(
        description="Parameters (see branches.<branch>.rules_in_force.<rules_in_force_since>) behind the decision: a "
        "refusal's condition (with the values of another rule it rests on where it refuses: the qualifying period of a "
        "lower pensionable age), and the lump sum's where one is owed on it"
    )
    event: Event | None = Field(description="The event the claim is decided on; null when there is none")
    rules_date: str = Field(
        description="The day whose law decided the claim: the event's date, or the date asked", json_schema_extra=DATE
    )
    rules_in_force_since: str = Field(
        description="When the rules in force that day came into force: the key of branches.<branch>.rules_in_force",
        json_schema_extra=DATE,
    )
    payments: Payments | None = Field(description="The benefit period and payment schedule; null if nothing is paid")
    dci_benefit: DCIBenefit | None
    waiting_days: int | None = Field(None, description="Days before payment starts; null when not modelled")
    note: str | None = Field(None, description="Why a death decided it (reason `deceased`); absent otherwise")
    registries_unavailable: list[str] | None = Field(
        None, description=REGISTRIES_NAMED + "that failed to give a fact this undetermined decision lacks"
    )
    registries_not_configured: list[str] | None = Field(
        None, description=REGISTRIES_NAMED + "not set up that would give a fact this undetermined decision lacks"
    )


class PersonDecisions(BaseModel):
    identifier: str | list[Identifier] | None
    record_type: str | None = Field(None, description="The DCI record type read (Member, Beneficiary …), if any")
    member_identifier: Any = Field(None, description="A DCI Member's member_identifier, as it came")
    group_identifier: Any = Field(None, description="The identifiers of the DCI Group the person is a member of")
    household_identifier: str | None
    deceased_on: str | None = Field(
        None,
        description="The day of the person's death a record states (CRVS, IBR, dci_PersonRecord)",
        json_schema_extra=DATE,
    )
    benefits: dict[str, BranchDecision]
    registries_unavailable: list[str] | None = Field(None, description=REGISTRIES_NAMED + "that failed for the person")
    registries_not_configured: list[str] | None = Field(
        None, description=REGISTRIES_NAMED + "not set up, searched for the person"
    )


class Citation(BaseModel):
    value: Any
    in_force_from: str = Field(json_schema_extra=DATE)
    status: Literal[REFORM_STATUSES] | None = Field(  # type: ignore[valid-type]
        description="verified, verified_2nd (a second source), unverified (provisional), or proposal (a reform's)"
    )
    reference: list[dict[str, Any]]
    note: str | None = None


class RulesInForce(BaseModel):
    legal_basis: dict[str, Citation]
    unverified_parameters: list[str]


class BranchSummary(BaseModel):
    label: str
    rules_in_force: dict[str, RulesInForce] = Field(
        description="The rules the batch's claims were decided on, by the day they came into force"
    )


class RulesVersion(BaseModel):
    package: str
    version: str
    jurisdiction: str | None
    jurisdiction_label: str | None
    currency: str | None
    legislation_date: str | None
    reforms: list[str] | None = Field(
        default=None, description="The reforms the server applies to this law, first applied first (absent: none)"
    )


class EligibilityResponse(BaseModel):
    rules: RulesVersion
    as_of: str = Field(json_schema_extra=DATE)
    branches: dict[str, BranchSummary]
    persons: list[PersonDecisions]


class RegistrySearch(BaseModel):
    """One registry searched for one identifier."""

    registry: str = Field(description="social_registry, disability_registry or crvs")
    status: str = Field(description="found, not_found, unavailable or not_configured")
    attempts: int
    reason: str | None = Field(description="Why it is unavailable (`answered HTTP 503` …)")
    truncated: bool = Field(description="Whether the registry had more records than were read")


class RegistryOutcome(BaseModel):
    identifier: Identifier
    searches: list[RegistrySearch]


class ByIdentifierResponse(EligibilityResponse):
    """The /eligibility answer for the persons the registries gave, with each search's outcome."""

    registries: list[RegistryOutcome] = Field(description="Per identifier asked, in order: each registry searched")

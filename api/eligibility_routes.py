"""``POST /eligibility``: decisions for a batch of person records, each claim on the date of its event."""

from typing import Any

from fastapi import APIRouter, Body

from openfisca_sp.api.decision_records import branch_records
from openfisca_sp.api.examples import eligibility_example
from openfisca_sp.api.json_route import OrjsonRoute
from openfisca_sp.api.memory import collector_paused
from openfisca_sp.api.models import EligibilityResponse, eligibility_request_model
from openfisca_sp.api.responses import JSONBody, versioned
from openfisca_sp.api.settings import Settings
from openfisca_sp.decisions import decide_claims, facts_of, read_records
from openfisca_sp.decisions.consistency import check_facts
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.version import rules_version

HEADS = frozenset({"self", "head"})  # DCI relationship_head values that mark the household head


def _identifier(value: Any) -> Any:
    return [item.model_dump() for item in value] if isinstance(value, list) else value


def eligibility_router(tax_benefit_system: Any, settings: Settings, prefix: str = "") -> APIRouter:
    """The eligibility endpoint over ``tax_benefit_system``."""
    RequestModel = eligibility_request_model(tax_benefit_system, settings.max_persons)  # noqa: N806 - a model class
    facts = facts_of(tax_benefit_system)
    jurisdiction = tax_benefit_system.jurisdiction
    router = APIRouter(prefix=prefix, tags=[f"Eligibility{' ' + prefix if prefix else ''}"], route_class=OrjsonRoute)

    @router.post(
        "/eligibility",
        summary="Decide eligibility, amount and duration per person and branch",
        response_model=None,
        responses={
            200: {"model": EligibilityResponse, "description": "A decision per person and branch"},
            400: {"description": "The body is not JSON"},
            401: {"description": "API key required"},
            403: {"description": "API key not accepted"},
            413: {"description": "Body or batch too large"},
            422: {
                "description": (
                    "A field is invalid, or facts contradict each other (a mother born after her child, an event "
                    "after as_of): the body names the field and says what was expected"
                )
            },
        },
    )
    async def eligibility(
        request: RequestModel = Body(..., openapi_examples={"household": {"value": eligibility_example()}}),
    ) -> JSONBody:  # type: ignore[valid-type]
        with collector_paused():
            return answer(request)

    def answer(request: Any) -> JSONBody:
        codes = list(dict.fromkeys(request.branches or BRANCHES))
        records = [person.__dict__ for person in request.persons]
        columns = read_records(records, facts)
        check_facts(columns, request.as_of, codes)
        households = (
            [person.household_identifier for person in request.persons],
            [(person.relationship_head or "").lower() in HEADS for person in request.persons],
        )
        decisions = decide_claims(tax_benefit_system, columns, request.as_of, codes, households)
        version = rules_version(tax_benefit_system, str(request.as_of))
        per_branch = {
            code: branch_records(
                decisions.branches[code], jurisdiction.currency, jurisdiction.amount_decimals, request.as_of
            )
            for code in codes
        }
        persons = [
            {
                "identifier": _identifier(record["identifier"]),
                "household_identifier": record["household_identifier"],
                "benefits": {code: per_branch[code][row] for code in codes},
            }
            for row, record in enumerate(records)
        ]
        branches = {
            code: {
                "label": BRANCHES[code].label,
                "rules_in_force": {
                    day: {"legal_basis": basis.values, "unverified_parameters": basis.unverified}
                    for day, basis in sorted(decisions.branches[code].bases.items())
                },
            }
            for code in codes
        }
        body = {"rules": version, "as_of": str(request.as_of), "branches": branches, "persons": persons}
        return versioned(body, version)

    return router

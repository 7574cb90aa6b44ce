"""``POST /eligibility``: decisions for a batch of person records, evaluated as one simulation."""

from typing import Any

import numpy as np
from fastapi import APIRouter, Body, Depends

from openfisca_sp import decisions
from openfisca_sp.api.examples import eligibility_example
from openfisca_sp.api.memory import collector_paused
from openfisca_sp.api.models import EligibilityResponse, eligibility_request_model
from openfisca_sp.api.responses import JSONBody, versioned
from openfisca_sp.api.security import api_key_guard
from openfisca_sp.api.settings import Settings
from openfisca_sp.facts import facts_of, to_columns
from openfisca_sp.version import rules_version

HEADS = frozenset({"self", "head"})


def households(persons: list[Any]) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Household index, ids and heads from DCI ``household_identifier`` / ``relationship_head``.

    A person without a household identifier is a household of one. Without a
    declared head, the first member listed heads the household.
    """
    identifiers = [person.household_identifier for person in persons]
    if all(identifier is None for identifier in identifiers):
        return None, None, None
    keys = [identifier if identifier is not None else f"\x00{row}" for row, identifier in enumerate(identifiers)]
    household_ids, household_of = np.unique(np.array(keys, dtype=object), return_inverse=True)
    declared = np.array([(person.relationship_head or "").lower() in HEADS for person in persons])
    has_declared = np.zeros(len(household_ids), dtype=bool)
    has_declared[household_of[declared]] = True
    first = np.zeros(len(persons), dtype=bool)
    first[np.unique(household_of, return_index=True)[1]] = True
    head = np.where(has_declared[household_of], declared, first)
    # at most one head per household: the first one listed
    heads = np.flatnonzero(head)
    kept = heads[np.unique(household_of[heads], return_index=True)[1]]
    head[:] = False
    head[kept] = True
    return household_of, household_ids.astype(str), head


def _identifier(value: Any) -> Any:
    return [item.model_dump() for item in value] if isinstance(value, list) else value


def eligibility_router(tax_benefit_system: Any, settings: Settings, prefix: str = "") -> APIRouter:
    """The eligibility endpoint over ``tax_benefit_system``."""
    RequestModel = eligibility_request_model(tax_benefit_system, settings.max_persons)  # noqa: N806 - a model class
    facts = facts_of(tax_benefit_system)
    jurisdiction = tax_benefit_system.jurisdiction
    router = APIRouter(prefix=prefix, tags=[f"Eligibility{' ' + prefix if prefix else ''}"])

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
            422: {"description": "A field is invalid: the body names it and says what was expected"},
        },
        dependencies=[Depends(api_key_guard(settings.api_keys))],
    )
    async def eligibility(
        request: RequestModel = Body(..., openapi_examples={"household": {"value": eligibility_example()}}),
    ) -> JSONBody:  # type: ignore[valid-type]
        with collector_paused():
            return decide(request)

    def decide(request: Any) -> JSONBody:
        month = f"{request.as_of.year:04d}-{request.as_of.month:02d}"
        codes = list(dict.fromkeys(request.branches or decisions.BRANCHES))
        records = [person.__dict__ for person in request.persons]
        columns = to_columns(records, facts, month)
        household_of, household_ids, heads = households(request.persons)
        evaluation = decisions.evaluate(tax_benefit_system, columns, month, codes, household_of, household_ids, heads)
        legislation_date = f"{month}-01"
        version = rules_version(tax_benefit_system, legislation_date)
        per_branch = {
            code: decisions.branch_records(
                evaluation.branches[code], jurisdiction.currency, jurisdiction.amount_decimals
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
                "label": decisions.BRANCHES[code].label,
                "legal_basis": evaluation.branches[code].basis.values,
                "unverified_parameters": evaluation.branches[code].basis.unverified,
            }
            for code in codes
        }
        return versioned({"rules": version, "month": month, "branches": branches, "persons": persons}, version)

    return router

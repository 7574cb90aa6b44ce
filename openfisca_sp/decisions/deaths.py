"""Deaths registered by a CRVS (:mod:`~openfisca_sp.decisions.crvs_events`) in the decisions: no entitlement runs
from the day of death (a benefit is paid while its contingency lasts, and death ends it).

The rules do not model death (no survivors' benefits, no arrears due to the estate): a deceased person's
decisions are rewritten here, without a rule of their own. For a person echoed ``deceased_on`` on or before the
date asked, each branch whose claim is made on or after that day (its ``rules_date``) is ``not_eligible`` with
reason ``deceased``; a claim made before the death that was ``eligible`` is ``undetermined`` with reason
``deceased``: what was due between the claim and the death is not modelled. Nothing is paid, nothing is
scheduled; no legal basis is cited and neither is provisional (the death decides, not a value of the law). A
death after the date asked changes nothing of the decision on that date (the answer echoes it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

DECEASED = "deceased"  # the reason of a decision a death makes
NOTE = "the person died on {day}: no entitlement from that day; survivors' benefits and arrears are not modelled"


def deceased_on(echoes: Sequence[dict[str, Any] | None] | None, as_of: str) -> bool:
    """Whether any person of a request died on or before ``as_of`` (then :func:`with_deaths` rewrites)."""
    return any(echo and echo.get("deceased_on", "9999") <= as_of for echo in echoes or ())


def with_deaths(body: bytes, as_of: str) -> bytes:
    """An ``/eligibility`` answer with the decisions of the persons dead by ``as_of`` rewritten (see the module)."""
    answer = orjson.loads(body)
    for person in answer["persons"]:
        day = person.get("deceased_on")
        if day is None or day > as_of:
            continue
        for decision in person["benefits"].values():
            dead(decision, day)
    return orjson.dumps(answer)


def dead(decision: dict[str, Any], day: str) -> None:
    """One branch's decision for a person who died on ``day`` (see the module)."""
    after = decision.get("rules_date", day) >= day
    if not after and decision.get("decision") != "eligible":
        return
    decision.update(
        decision="not_eligible" if after else "undetermined",
        eligible=False if after else None,
        reason=DECEASED,
        amount=None,
        frequency=None,
        duration=None,
        lump_sums=dict.fromkeys(decision.get("lump_sums") or {}),
        payments=None,
        dci_benefit=None,
        missing_facts=[],
        legal_basis=[],  # the death decides, not the law's values: none cited, none unverified
        provisional=False,
        note=NOTE.format(day=day),
    )

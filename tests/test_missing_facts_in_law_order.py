"""A decision's missing facts looked up in the law's order: only the refusing conditions' facts where nobody is
eligible and every refusal stands, the same answer as the rule stated person by person, every fact looked up."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.decisions.missing_facts import MissingFact, undecided_in_law_order
from openfisca_sp.rules.branches import BRANCHES, Branch
from openfisca_sp.rules.enums import NOT_MODELLED
from openfisca_sp.rules.enums import IneligibilityReason as Reason

CODES = sorted(BRANCHES)
SHARED_LABELS = ("fact_a", "fact_b", "fact_c", "fact_d")
BEYOND_THE_LAW = {reason.index for reason in (*NOT_MODELLED, Reason.not_provided_by_law)}  # the case's, or the branch's


def every_fact_looked_up(
    reason: np.ndarray,
    branch: Branch,
    lacking_by_condition: list[list[MissingFact]],
    event_missing: np.ndarray | None = None,
) -> tuple[np.ndarray, list[MissingFact]]:
    """The reference: the rule as ``docs/api.md`` states it, person by person, every fact looked up.

    A refusal stands when the conditions that may have refused (each one refusing with the person's reason) rest on
    stated facts; an eligibility needs every
    condition's facts; a decision beyond the law (not modelled, not provided) always stands. A claim whose
    event date is missing is undetermined unless a condition before the one that first needs it refuses it on
    stated facts. An undetermined person is told every fact they lack, in the conditions' order, the date just
    before the facts of the condition that first needs it.
    """
    count, conditions = len(reason), len(lacking_by_condition)
    event_asked = event_missing is not None and branch.event is not None
    needed_from = branch.event.needed_from if event_asked else conditions
    date = branch.event.date_fact if event_asked else None
    order = [fact.label for position in range(min(needed_from, conditions)) for fact in lacking_by_condition[position]]
    order += [date] if event_asked else []
    order += [fact.label for position in range(needed_from, conditions) for fact in lacking_by_condition[position]]
    undecided = np.zeros(count, dtype=bool)
    told: dict[str, np.ndarray] = {label: np.zeros(count, dtype=bool) for label in order}
    for person in range(count):
        lacks = [
            (position, fact.label)
            for position, facts in enumerate(lacking_by_condition)
            for fact in facts
            if fact.lacking[person]
        ]
        refusing = [
            position
            for position, condition in enumerate(branch.conditions)
            if reason[person] in [known.index for known in condition.reasons]
        ]
        eligible = reason[person] == Reason.eligible.index
        beyond_law = reason[person] in BEYOND_THE_LAW
        uncertain = any(position in refusing for position, _ in lacks)
        stands = beyond_law or (not lacks if eligible else not uncertain)
        needs_date = (
            event_asked
            and bool(event_missing[person])
            and not beyond_law
            and (eligible or any(position >= needed_from for position in refusing) or uncertain)
        )
        if stands and not needs_date:
            continue
        undecided[person] = True
        for label in [label for _, label in lacks] + ([date] if needs_date else []):
            told[label][person] = True
    return undecided, [MissingFact(label, told[label]) for label in dict.fromkeys(order) if told[label].any()]


def _reasons(code: str) -> list[int]:
    """Every reason a branch's decision can give: its conditions', eligible, and beyond the law."""
    found = [reason.index for condition in BRANCHES[code].conditions for reason in condition.reasons]
    return [*found, Reason.eligible.index, Reason.not_modelled.index, Reason.not_provided_by_law.index]


@st.composite
def decisions(draw: st.DrawFn) -> tuple:
    code = draw(st.sampled_from(CODES))
    branch = BRANCHES[code]
    count = draw(st.integers(1, 6))
    reason = np.array(draw(st.lists(st.sampled_from(_reasons(code)), min_size=count, max_size=count)), dtype=np.int16)
    # labels shared between conditions: two conditions may read one fact (Viet Nam's old-age lower ages and the
    # qualifying period both read contribution_months), each asking it of its own persons
    lacking = [
        [
            MissingFact(label, np.array(draw(st.lists(st.booleans(), min_size=count, max_size=count))))
            for label in draw(st.lists(st.sampled_from(SHARED_LABELS), unique=True, max_size=2))
        ]
        for position in range(len(branch.conditions))
    ]
    event = draw(st.none() | st.lists(st.booleans(), min_size=count, max_size=count))
    return branch, reason, lacking, None if event is None else np.array(event)


def _same(found: tuple, expected: tuple) -> None:
    assert np.array_equal(found[0], expected[0])
    assert [fact.label for fact in found[1]] == [fact.label for fact in expected[1]]
    for fact, other in zip(found[1], expected[1], strict=True):
        assert np.array_equal(fact.lacking, other.lacking), fact.label


@settings(max_examples=1000, deadline=None)
@given(decisions())
def test_looking_up_facts_in_the_law_order_answers_as_looking_up_every_fact(decision: tuple) -> None:
    branch, reason, lacking, event_missing = decision
    looked_up: list[int] = []

    def lacking_of(position: int) -> list[MissingFact]:
        looked_up.append(position)
        return lacking[position]

    found = undecided_in_law_order(reason, branch, lacking_of, len(lacking), event_missing)
    _same(found, every_fact_looked_up(reason, branch, lacking, event_missing))
    assert len(looked_up) == len(set(looked_up))  # each condition's facts looked up once at most


def test_a_refusal_on_stated_facts_looks_up_its_own_condition_only() -> None:
    """An unemployed claim refused as not separated, on a stated fact: the contributions' window (some 26
    wage months) is not looked up, and nothing is listed as missing."""
    branch = BRANCHES["unemployment"]
    reason = np.array([Reason.not_separated.index], dtype=np.int16)
    wages = [MissingFact(f"insured_wage.2023-{month:02d}", np.array([True])) for month in range(1, 13)]
    lacking = [[] for _ in branch.conditions]
    lacking[-1] = wages
    looked_up: list[int] = []

    def lacking_of(position: int) -> list[MissingFact]:
        looked_up.append(position)
        return lacking[position]

    undecided, missing = undecided_in_law_order(reason, branch, lacking_of, len(lacking))
    assert looked_up == [0] and not undecided.any() and missing == []

"""A decision's missing facts looked up in the law's order: only the refusing conditions' facts where nobody is
eligible and every refusal stands, the same answer as when every condition's facts are looked up."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.decisions.missing_facts import MissingFact, refusing_condition, undecided_in_law_order
from openfisca_sp.rules.branches import BRANCHES, Branch
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.formulas import among

CODES = sorted(BRANCHES)


def every_fact_looked_up(
    reason: np.ndarray,
    branch: Branch,
    lacking_by_condition: list[list[MissingFact]],
    event_missing: np.ndarray | None = None,
) -> tuple[np.ndarray, list[MissingFact]]:
    """The reference: every condition's facts looked up first, then who cannot be decided for lack of a fact,
    and the facts they lack (the rules as written before facts were looked up in the law's order).

    A refusal stands when the condition that refused rests on stated facts only
    (whatever the earlier conditions, the person is refused); an eligibility
    needs every condition's facts. Otherwise the decision is undetermined, and
    every missing fact of the conditions is listed. A claim whose event date is
    missing is undetermined, with the date listed, unless a condition before the
    one that first needs it refuses it on stated facts (a refusal there that rests
    on a missing fact, such as a sex not stated, leaves the date needed too).
    """
    count = len(reason)
    if not any(lacking_by_condition) and (event_missing is None or branch.event is None or not event_missing.any()):
        return np.zeros(count, dtype=bool), []  # every fact stated: every decision stands
    eligible = reason == Reason.eligible.index
    refused_at = refusing_condition(reason, branch)
    beyond_law = among(reason, [Reason.not_modelled.index, Reason.not_provided_by_law.index])
    facts = [(position, fact) for position, lacking in enumerate(lacking_by_condition) for fact in lacking]
    if facts:
        table = np.array([fact.lacking for _, fact in facts], dtype=bool).reshape(len(facts), count)  # fact by person
        positions = np.array([position for position, _ in facts], dtype=np.int64)
        refusal_uncertain = (table & (refused_at == positions[:, None])).any(axis=0)
        undecided = ~beyond_law & np.where(eligible, table.any(axis=0), refusal_uncertain)
    else:  # only the event's date is missing
        refusal_uncertain, undecided = np.zeros(count, dtype=bool), np.zeros(count, dtype=bool)
    event: list[MissingFact] = []  # the date, listed in the law's order: before the condition that first needs it
    needed_from = len(lacking_by_condition)
    if event_missing is not None and branch.event is not None:
        needed_from = branch.event.needed_from
        # a refusal before that condition spares the date only when it rests on stated facts (a man)
        needed = eligible | (refused_at >= needed_from) | refusal_uncertain
        needs_event = event_missing & ~beyond_law & needed
        undecided |= needs_event
        if needs_event.any():
            event.append(MissingFact(branch.event.date_fact, needs_event))
    if facts:
        undecided_lacking = table & undecided  # who lacks each fact among the undecided
        told = undecided_lacking.any(axis=1).tolist()
    missing: list[MissingFact] = []
    seen: set[str] = {fact.label for fact in event}
    for index, (position, fact) in enumerate(facts):
        if position >= needed_from:  # the date before the facts of the condition that first needs it
            missing += event
            event = []
        if told[index] and fact.label not in seen:
            seen.add(fact.label)
            missing.append(MissingFact(fact.label, undecided_lacking[index]))
    return undecided, missing + event


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
    lacking = [
        [
            MissingFact(
                f"fact_{position}_{index}", np.array(draw(st.lists(st.booleans(), min_size=count, max_size=count)))
            )
            for index in range(draw(st.integers(0, 2)))
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

"""What must hold for any batch of Viet Nam old-age claims: each person's answer is the one they get alone.

The decisions asked again as if a fact were stated (months of arduous work or coal mining, :mod:`~openfisca_sp.
decisions.arduous_work`; a sex not stated, :mod:`~openfisca_sp.decisions.unstated_choices`) and the facts a
condition asks (:mod:`~openfisca_sp.decisions.missing_facts`) run on a whole batch: a person's outcome, reason,
amount, missing facts (in order) and legal basis must not depend on who else is in it. A review found a fact two
conditions read asked of one person and not of another beside them.
"""

from __future__ import annotations

import datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from api.decision_records import branch_records
from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims, facts_of, read_records
from openfisca_sp.decisions.consistency import check_facts

SYSTEM = tax_benefit_system("vnm")
PARTS = ("arduous_work_months", "hardship_area_months", "underground_coal_mining_months")
# around the law's 15 years of such work (180 months) and its qualifying periods (15 and 20 years)
MONTHS = (0, 60, 179, 180, 200, 239, 240, 300, 420)
DEGREES = (0, 60, 61, 65, 80, 81, 85, 100)  # around the reduced-capacity minimums (61% and 81%)
COMPARED = ("decision", "reason", "amount", "missing_facts", "legal_basis", "provisional")


@st.composite
def person(draw, as_of: datetime.date) -> dict:
    """A person of 40 to 75 on ``as_of``, their months of contributions and of such work, a loss of capacity, their
    sex and wage each stated or not (months of such work no more than those contributed, or than those lived)."""
    near = draw(st.booleans())  # half of them near the lower and general ages (45 to 62), where the months count
    age_days = draw(st.integers(45 * 365, 62 * 365) if near else st.integers(40 * 365, 75 * 365 + 18))
    birth = as_of - datetime.timedelta(days=age_days)
    lived = (as_of.year - birth.year) * 12 + as_of.month - birth.month + 1
    facts: dict = {"birth_date": birth}
    if draw(st.booleans()) or draw(st.booleans()):
        facts["sex"] = draw(st.sampled_from(["male", "female"]))
    limit = lived
    if draw(st.integers(0, 2)):  # most state their months of contributions
        facts["contribution_months"] = limit = min(draw(st.sampled_from(MONTHS)), lived)
    for name in PARTS:
        if draw(st.booleans()):  # arduous work and hardship together no more than the months lived: the rules add them
            room = lived - facts.get("arduous_work_months", 0) if name == "hardship_area_months" else limit
            facts[name] = min(draw(st.sampled_from(MONTHS)), limit, room)
    if draw(st.integers(0, 2)) == 0:
        facts["disability_degree"] = draw(st.sampled_from(DEGREES))
    if draw(st.integers(0, 5)):
        facts["career_average_insured_wage"] = draw(st.sampled_from([4_000_000, 10_000_000]))
    return facts


@st.composite
def batches(draw) -> tuple[datetime.date, list[dict]]:
    year = draw(st.sampled_from([2019, 2024, 2025]))
    as_of = draw(st.dates(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    return as_of, draw(st.lists(person(as_of), min_size=2, max_size=5))


def _answers(records: list[dict], as_of: datetime.date) -> list[dict]:
    columns = read_records(records, facts_of(SYSTEM))
    check_facts(columns, as_of, ["old_age"])  # the persons drawn are possible ones
    decided = decide_claims(SYSTEM, columns, as_of, ["old_age"]).branches["old_age"]
    answers = branch_records(decided, "VND", 0, as_of)
    return [{name: answer[name] for name in COMPARED} for answer in answers]


# found by this test: two women of 49 years 11 months (her coal mining age, 50, reached in the claim's month), sex
# not stated, the second stating 15 years of arduous work; the first was asked contribution_months before the
# months of such work beside her, after them alone
FOUND = [
    {"birth_date": datetime.date(1969, 1, 31), "disability_degree": 0},
    {"birth_date": datetime.date(1969, 1, 31), "arduous_work_months": 180, "disability_degree": 0},
]


@settings(max_examples=200, deadline=None)
@given(batches())
@example((datetime.date(2019, 1, 1), FOUND))
def test_each_person_of_a_batch_is_answered_as_alone(batch) -> None:
    as_of, records = batch
    together = _answers(records, as_of)
    for row, record in enumerate(records):
        assert together[row] == _answers([record], as_of)[0], (row, records, as_of)

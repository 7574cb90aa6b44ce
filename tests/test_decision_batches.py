"""Batches of records put together: read as one batch, and missing facts in one order whatever the batch."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import facts_of, read_records
from openfisca_sp.decisions.records import concat_columns
from openfisca_sp.decisions.scattering import keeping_order

SYSTEM = tax_benefit_system("lao")


def _records(seed: int, count: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    months = [f"2024-{month:02d}" for month in range(1, 7)]
    found = []
    for _ in range(count):
        record: dict = {}
        if rng.random() < 0.7:
            record["birth_date"] = f"19{rng.integers(50, 99)}-0{rng.integers(1, 9)}-1{rng.integers(0, 9)}"
        if rng.random() < 0.5:
            record["sex"] = ["male", "female"][int(rng.integers(2))]
        if rng.random() < 0.5:
            record["contribution_months"] = int(rng.integers(0, 400))
        if rng.random() < 0.3:
            record["separation_reason"] = "dismissal"
        if rng.random() < 0.6:
            record["insured_wage"] = {month: float(rng.integers(1, 9)) for month in months if rng.random() < 0.6}
        found.append(record)
    return found


def test_batches_put_together_are_read_as_one_batch() -> None:
    facts = facts_of(SYSTEM)
    parts = [_records(seed, count) for seed, count in enumerate((3, 1, 7, 4))]
    whole = read_records([record for part in parts for record in part], facts)
    joined = concat_columns([read_records(part, facts) for part in parts])
    assert joined.count == whole.count
    for kind in ("values", "histories"):
        assert list(getattr(joined, kind)) == list(getattr(whole, kind))
        for key, (array, stated) in getattr(joined, kind).items():
            expected, expected_stated = getattr(whole, kind)[key]
            assert np.array_equal(array, expected) and np.array_equal(stated, expected_stated), key


ORDER = [f"fact_{index}" for index in range(12)]


@given(st.lists(st.lists(st.sampled_from(ORDER), unique=True), max_size=6))
def test_missing_facts_keep_the_order_of_every_part(parts: list[list[str]]) -> None:
    ordered = [sorted(part, key=ORDER.index) for part in parts]  # each part lists facts in the law's order
    merged = keeping_order(ordered)
    assert sorted(merged) == sorted({name for part in parts for name in part})
    for part in ordered:
        assert [name for name in merged if name in part] == part


def test_parts_that_disagree_still_list_every_fact_once() -> None:
    assert sorted(keeping_order([["a", "b"], ["b", "a"], ["c"]])) == ["a", "b", "c"]

"""The bound on a body's JSON values, counted before anything parses it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openfisca_sp.api.bodies import ARRAY_COUNT_FROM_BYTES, json_values

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5)
DOCUMENTS = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
)


def _values(document: Any) -> int:
    if isinstance(document, list):
        return 1 + sum(map(_values, document))
    if isinstance(document, dict):
        return 1 + sum(map(_values, document.values()))
    return 1


@given(DOCUMENTS, st.booleans(), st.integers(0, ARRAY_COUNT_FROM_BYTES))
def test_the_bound_is_never_below_the_values_and_counts_each_mark(document: Any, compact: bool, pad: int) -> None:
    body = json.dumps(document, separators=(",", ":") if compact else None).encode() + b" " * pad  # either way
    bound = json_values(body)
    assert bound >= _values(document)
    assert bound == body.count(b",") + body.count(b"[") + body.count(b"{") + 1


@pytest.mark.parametrize("items", [0, 1, 1000, ARRAY_COUNT_FROM_BYTES // 2 - 2, ARRAY_COUNT_FROM_BYTES, 10**6])
def test_a_body_of_tiny_items_is_counted_exactly_whichever_way_it_is_counted(items: int) -> None:
    body = b"[" + b",".join([b"0"] * items) + b"]"
    assert json_values(body) == items + 1 + (items == 0)  # the array, its items (the empty array: 1 + 1)

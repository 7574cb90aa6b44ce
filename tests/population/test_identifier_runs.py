"""Person ids checked unique, and households numbered, without hashing when the ids come in a few increasing
runs: the same verdicts and numbers as a hash table's, whatever the runs. Survey weights refused exactly when one
is not a finite number of 0 or more."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.inputs import MAX_RUNS, _households, _unique
from openfisca_sp.population.weights import MAX_WEIGHT, checked_weights


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(-20, 40), max_size=12), min_size=1, max_size=MAX_RUNS + 2))
def test_same_verdict_as_a_hash_table(parts):
    # runs: each part sorted (duplicates inside a part are kept, to be found too)
    values = np.array([value for part in parts for value in sorted(part)], dtype=np.int64)
    assert _unique(values) == bool(pd.Index(values).is_unique)


def test_a_table_reordered_in_two_parts():
    ids = np.arange(0, 3_000, 3, dtype=np.int64)
    first = ids % 7 == 0  # the households with claims first, each part in the file's order
    reordered = np.concatenate([ids[first], ids[~first]])
    assert _unique(reordered)
    reordered[-1] = reordered[0]  # an id of the first part repeated in the second
    assert not _unique(reordered)


def test_unsigned_and_single_values():
    assert _unique(np.array([5], dtype=np.uint32))
    assert _unique(np.array([3, 9, 1, 4], dtype=np.uint32))
    assert not _unique(np.array([3, 9, 3, 4], dtype=np.uint32))


def _by_hashing(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Each row's household and each household's id as a hash table numbers them (None: not contiguous)."""
    codes, uniques = pd.factorize(ids, sort=False)
    if len(codes) > 1 and not bool(np.all(codes[1:] >= codes[:-1])):
        return None
    return codes.astype(np.int64), np.asarray(uniques)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 30), st.integers(1, 3)), max_size=8),
        min_size=1,
        max_size=MAX_RUNS + 2,
    )
)
def test_households_numbered_as_by_hashing(parts):
    # each part: households in increasing order, each of 1 to 3 rows (a household may recur in another part)
    ids = np.array(
        [household for part in parts for household, size in sorted(part) for _ in range(size)], dtype=np.int64
    )
    if not len(ids):
        return
    expected = _by_hashing(ids)
    if expected is None:
        with pytest.raises(PopulationError, match="contiguous"):
            _households(pa.chunked_array([ids]), None)
        return
    numbers, firsts = _households(pa.chunked_array([ids]), None)
    assert numbers.tolist() == expected[0].tolist()
    assert firsts.tolist() == expected[1].tolist()


weight_values = st.one_of(
    st.sampled_from([0.0, -0.0, -1.0, 1.0, np.nan, -np.nan, np.inf, -np.inf, np.finfo(np.float64).max]),
    st.floats(allow_nan=True, allow_infinity=True),
)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(weight_values, max_size=30), as_integers=st.booleans())
def test_survey_weights_are_refused_exactly_when_one_is_not_finite_or_negative(values, as_integers):
    """Weights are refused exactly when one of them is not a finite number of 0 or more (NaN, an infinity, a
    negative number; -0.0 is 0) or is above ``MAX_WEIGHT`` (the totals would overflow), naming the first bad
    row, and are otherwise kept as given."""
    if as_integers:
        values = [int(value) for value in values if np.isfinite(value) and abs(value) < 2**53]
    column = pa.array(values, pa.int64() if as_integers else pa.float64())
    expected = np.array(values, dtype=np.float64)
    bad = ~np.isfinite(expected) | (expected < 0)
    above = ~bad.any() & (expected > MAX_WEIGHT)  # checked once every weight is a finite number of 0 or more
    if bad.any() or above.any():
        first = int(np.argmax(bad if bad.any() else above))
        with pytest.raises(PopulationError, match=rf"\(first: row {first}, counted from 0\)"):
            checked_weights(pa.table({"weight": column}), None)
    else:
        np.testing.assert_array_equal(checked_weights(pa.table({"weight": column}), None), expected)

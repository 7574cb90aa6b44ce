"""Person ids checked unique without hashing when they come in a few increasing runs: the same verdict as a
hash table's, whatever the runs."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.population.inputs import MAX_RUNS, _unique


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

"""A column of dates or numbers is read the same whether it is short (checked in Python) or long (in numpy)."""

from __future__ import annotations

import datetime

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from openfisca_sp.api.situations.values import _FEW, _days, _numbers

DATE_LIKE = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),  # 2024-02-30, 0000-01-01, 2024-13-01
    st.text(min_size=10, max_size=10),  # other scripts' digits, other separators
)


def _as_list(days: np.ndarray | None) -> list | None:
    return None if days is None else days.tolist()


@given(DATE_LIKE)
def test_a_date_is_read_alike_alone_and_in_a_long_column(text: str) -> None:
    alone = _days([text])
    long = _days([text] * (_FEW + 1))
    assert (alone is None) == (long is None)
    if alone is not None:
        assert _as_list(alone) == _as_list(long)[:1]
        assert alone.tolist() == [datetime.date.fromisoformat(text)]


def test_dates_that_do_not_exist_are_refused_on_both_paths() -> None:
    for text in ("2024-02-30", "2023-02-29", "0000-01-01", "2024-13-01", "２０２４-01-01", "2024/01/01"):
        assert _days([text]) is None
        assert _days([text] * (_FEW + 1)) is None
    assert _days(["2024-02-29"]).tolist() == [datetime.date(2024, 2, 29)]


@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_a_number_beyond_its_array_is_kept_as_sent_on_both_paths(value: float) -> None:
    kind = float if isinstance(value, float) else int
    stored = np.finfo(np.float32) if kind is float else np.iinfo(np.int32)  # openfisca-core's arrays
    low, high = (
        float(stored.min) if kind is float else int(stored.min),
        float(stored.max) if kind is float else int(stored.max),
    )
    read = _numbers(np.float64 if kind is float else np.int64, (low, high))
    for column in ([value], [value] * (_FEW + 1)):
        result = read(column)
        if low <= value <= high:
            assert isinstance(result, np.ndarray) and result.tolist() == column
        else:
            assert result is column

"""The first day paid from a month the law names, and whether it rests on a reading, are those of every date
converted to its month (:mod:`openfisca_sp.rules.months_paid_from`), for any event and any date: stated or not
(1 January 1970), NaT, on either side of a month's end."""

from __future__ import annotations

import datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.rules.months_paid_from import NOT_STATED, named_first_days, named_read

DAYS = st.one_of(
    st.dates(datetime.date(1960, 1, 1), datetime.date(2040, 12, 31)).map(np.datetime64),
    st.sampled_from([np.datetime64("NaT", "D"), NOT_STATED, np.datetime64("2026-02-28"), np.datetime64("2026-03-01")]),
)
PAIRS = st.lists(st.tuples(DAYS, DAYS), min_size=0, max_size=300)


def months(days: np.ndarray) -> np.ndarray:
    """Each date's month's first day, converted the plain way (NaT stays NaT)."""
    return days.astype("datetime64[M]").astype("datetime64[D]")


@settings(max_examples=300, deadline=None)
@given(pairs=PAIRS, shift=st.integers(0, 40))
def test_the_first_days_and_readings_are_those_of_every_date_converted(pairs: list, shift: int) -> None:
    event = np.array([one for one, _ in pairs], dtype="datetime64[D]")
    # a date some days after its event's: the band where the month after the event's begins (28 to 31 days on)
    dated = np.array([other for _, other in pairs], dtype="datetime64[D]")
    dated = np.where(np.arange(len(dated)) % 2 == 0, dated, event + shift)
    stated, event_month, named = dated != NOT_STATED, months(event), months(dated)
    found = named_first_days(event, dated)
    assert found.dtype == np.dtype("datetime64[D]")
    assert np.array_equal(found, np.where(stated & (named > event_month), named, event_month), equal_nan=True)
    assert np.array_equal(named_read(event, dated), ~stated | (named < event_month))


def test_a_month_after_the_events_is_paid_from_whatever_the_months_length() -> None:
    event = np.array(["2026-02-10", "2026-01-31", "2026-01-31", "2026-12-31", "NaT", "2026-03-05"], "datetime64[D]")
    dated = np.array(
        ["2026-03-01", "2026-02-28", "2026-01-01", "2027-01-01", "2026-05-05", "1970-01-01"], "datetime64[D]"
    )
    assert named_first_days(event, dated).astype(str).tolist() == [
        "2026-03-01",
        "2026-02-01",
        "2026-01-01",
        "2027-01-01",
        "NaT",
        "2026-03-01",
    ]
    assert named_read(event, dated).tolist() == [False, False, False, False, False, True]

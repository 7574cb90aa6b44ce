"""The day a DCI record writes for a death (``calendar_day``): read from a date, or a date and time in its own
offset, exactly when it is a real day of the calendar the service reads; never a text passed on to be compared."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.decisions.dci_values import DCIValueError, calendar_day
from openfisca_sp.rules.periods import FIRST_DATE, LAST_DATE

DAYS = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31))


@settings(max_examples=300, deadline=None)
@given(DAYS, st.sampled_from(["", "T00:00:00Z", "T23:30:00-05:00", "T08:30:00.123+07:00"]))
def test_a_written_day_is_read_exactly_when_the_calendar_holds_it(day: datetime.date, time: str) -> None:
    text = day.isoformat() + time
    if FIRST_DATE <= day <= LAST_DATE:
        assert calendar_day(text) == day.isoformat()  # the day as written, in the record's own offset
    else:
        with pytest.raises(DCIValueError):
            calendar_day(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789-./T:Z+ ", max_size=25))
def test_a_text_is_a_day_only_if_it_writes_one(text: str) -> None:
    try:
        day = calendar_day(text)
    except DCIValueError:
        return
    assert datetime.date.fromisoformat(day) and text.startswith(day) and FIRST_DATE.isoformat() <= day


@pytest.mark.parametrize("text", ["31.12.2023", "10/03/2024", "2024-02-30", "2024-13-01", "20240310", "1899-12-31"])
def test_what_registries_write_that_is_no_day_is_refused(text: str) -> None:
    with pytest.raises(DCIValueError):
        calendar_day(text)

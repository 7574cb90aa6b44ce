"""Counts said with their noun in the right number, as every message built from a count says them."""

from __future__ import annotations

import numpy as np
import pytest

from openfisca_sp.rules.wording import counted, noun_for


@pytest.mark.parametrize(
    ("number", "noun", "plural", "form", "said"),
    [
        (1, "month", None, "", "1 month"),
        (np.int64(1), "month", None, "", "1 month"),
        (0, "month", None, "", "0 months"),
        (2, "month", None, "", "2 months"),
        (-1, "month", None, "", "-1 month"),
        (1, "entry", "entries", "", "1 entry"),
        (3, "entry", "entries", "", "3 entries"),
        (1_000, "person", None, ",", "1,000 persons"),
        (0.6, "person", None, ",.0f", "1 person"),  # one as written
        (1.4, "person", None, ",.0f", "1 person"),
        (1.5, "person", None, ",.0f", "2 persons"),
    ],
)
def test_a_count_takes_its_noun_in_the_number_written(number, noun, plural, form, said) -> None:
    assert counted(number, noun, plural, form) == said


def test_a_noun_alone_takes_the_number_of_its_count() -> None:
    assert [noun_for(count, "column") for count in (0, 1, 2)] == ["columns", "column", "columns"]

"""The "did you mean" of error messages: one rule for every message that names a mistyped name."""

from openfisca_sp.rules.suggestions import LONGEST_COMPARED, closest_name

KNOWN = ("status", "reference", "unit", "description")


def test_a_typo_finds_the_name_meant():
    assert closest_name("stauts", KNOWN) == "status"
    assert closest_name("refrence", set(KNOWN)) == "reference"


def test_nothing_close_enough_finds_nothing():
    assert closest_name("period", KNOWN) is None
    assert closest_name("stat", KNOWN, cutoff=0.95) is None
    assert closest_name("anything", ()) is None


def test_a_name_is_compared_on_its_first_characters_only():
    long_name = "status" + "x" * 10 * LONGEST_COMPARED
    assert closest_name(long_name, KNOWN) is None  # its first characters are mostly x: no name is close
    assert closest_name(123, ("123", "456")) == "123"  # a key that is not a text is compared as written

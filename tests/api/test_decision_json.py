"""The ``/eligibility`` answer's JSON pieces are the bytes orjson writes."""

from __future__ import annotations

import orjson
from hypothesis import given
from hypothesis import strategies as st

from openfisca_sp.api.decision_json import encode, encode_each

TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]))  # JSON parsed by orjson holds no lone surrogate


def test_every_character_is_written_as_orjson_writes_it() -> None:
    text = "".join(chr(point) for point in range(0x110000) if not 0xD800 <= point <= 0xDFFF)
    assert encode_each([text, text[:128]]) == [orjson.dumps(text), orjson.dumps(text[:128])]


@given(st.lists(st.one_of(TEXT, st.none(), st.lists(st.fixed_dictionaries({"identifier_value": TEXT})))))
def test_identifiers_are_written_as_orjson_writes_them(values: list) -> None:
    assert encode_each(values) == [encode(value) for value in values]

"""Situations are parsed by msgspec and read exactly as orjson reads them, with orjson's errors."""

from __future__ import annotations

import math

import numpy as np
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openfisca_sp.api import situation_json

INT64 = 2**63
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-INT64, INT64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=40,
)


@given(json_values)
def test_every_document_is_read_as_orjson_reads_it(value) -> None:
    raw = orjson.dumps(value)
    read = situation_json.loads(raw)
    assert read == orjson.loads(raw)
    assert situation_json.dumps(read) == raw


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a":"\\ud800"}',  # a lone surrogate
        b'"\\udc00"',
        b'{"a":"\xff"}',  # not UTF-8
        b"NaN",
        b"[1e400]",  # beyond a double
        b"{}x",
        b"\xef\xbb\xbf{}",  # a byte order mark
        b"[1,]",
        b"[" * 2_000 + b"]" * 2_000,  # deeper than 1,024 levels
        b"",
    ],
)
def test_what_orjson_refuses_is_refused_with_its_error(raw: bytes) -> None:
    with pytest.raises(orjson.JSONDecodeError) as expected:
        orjson.loads(raw)
    with pytest.raises(orjson.JSONDecodeError) as refused:
        situation_json.loads(raw)
    assert str(refused.value) == str(expected.value)


def test_an_integer_beyond_64_bits_is_kept_and_written_back() -> None:
    raw = b'{"persons":{"a":{"salary":{"2017-01":1042040566221520702751637504}}}}'
    read = situation_json.loads(raw)
    assert read["persons"]["a"]["salary"]["2017-01"] == 1042040566221520702751637504
    assert situation_json.dumps(read) == raw
    answer = {"big": -(2**70), "computed": np.float32(0.5), "column": np.arange(2), "missing": math.nan}
    assert (
        situation_json.dumps(answer) == b'{"big":-1180591620717411303424,"computed":0.5,"column":[0,1],"missing":null}'
    )

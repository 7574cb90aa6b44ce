"""OpenFisca situations (``/calculate``, ``/trace``) parsed into Python objects: msgspec's decoder, orjson's errors.

msgspec builds a large situation about a fifth faster than orjson (5 MB, 10,000
persons: 24 against 30 ms on the benchmark machine) and a small one as fast. Both
refuse the same bodies (invalid UTF-8, lone surrogates, ``NaN``, numbers beyond a
double, trailing content, a byte order mark, deep nesting); a body msgspec refuses
is handed to orjson, so that the routes report the error they always have
(``orjson.JSONDecodeError``: a ``json.JSONDecodeError`` with line and column).

One difference: an integer beyond 64 bits stays an integer, where orjson makes it a
float. That is how Python's ``json`` and ``openfisca serve`` read it: every number
of a situation is checked against its variable's array before use (an integer
beyond int32 is refused with its path), and an answer that echoes such a number
is written by :func:`dumps`, which orjson cannot do. The other routes keep orjson.
"""

from __future__ import annotations

from typing import Any

import msgspec
import numpy as np
import orjson

_DECODER = msgspec.json.Decoder()


def _as_python(value: Any) -> Any:
    """A numpy value as the Python value orjson's ``OPT_SERIALIZE_NUMPY`` writes."""
    if isinstance(value, np.generic | np.ndarray):
        return value.tolist()
    raise NotImplementedError(f"{type(value).__name__} is not JSON")


_ENCODER = msgspec.json.Encoder(enc_hook=_as_python)


def loads(raw: bytes) -> Any:
    """The JSON document ``raw``; raises ``orjson.JSONDecodeError`` where it is not valid JSON."""
    try:
        return _DECODER.decode(raw)
    except (msgspec.DecodeError, RecursionError):
        return orjson.loads(raw)  # raises its own error, with line and column (or reads what msgspec would not)


def dumps(situation: Any) -> bytes:
    """A situation with its results as JSON: orjson's, or msgspec's for an integer beyond 64 bits."""
    try:
        return orjson.dumps(situation, option=orjson.OPT_SERIALIZE_NUMPY)
    except orjson.JSONEncodeError:
        return _ENCODER.encode(situation)

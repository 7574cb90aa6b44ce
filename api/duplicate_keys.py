"""A key twice in one JSON object, refused where the body is parsed.

JSON leaves an object with a key twice undefined; orjson, like most parsers, keeps the last value, so a request
stating ``"sex": "female", "sex": "male"`` would be decided on whichever came last, and two persons with the same
id would become one, without a word. A body's object members are counted (the colons outside strings) and
compared with the members of what was parsed: equal counts, no key was lost. Only a body where they differ is
parsed again, key by key, to name the key and where it stands.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any

import numpy as np
import orjson

LARGE_BODY = 64 * 1024  # above this size, colons are counted by NumPy rather than by splitting the text
BLOCK = 1 << 20  # bytes of a large text counted at once
QUOTE, COLON, BACKSLASH = ord('"'), ord(":"), b"\\"


class DuplicateKeyError(ValueError):
    """A JSON object states ``key`` twice, at ``path`` (the keys and positions leading to that object)."""

    def __init__(self, key: str, path: tuple[str | int, ...]) -> None:
        self.key = key
        self.path = path
        where = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")
        super().__init__(
            f"the key {key!r} appears twice in the object at {where or 'the top'}: a key may be stated once"
        )


def refuse_duplicate_keys(raw: bytes, parsed: Any) -> None:
    """Raise :class:`DuplicateKeyError` if an object of the JSON text ``raw`` (``parsed``) states a key twice."""
    if not isinstance(parsed, (dict, list)):
        return
    if BACKSLASH not in raw and object_members(raw) == _parsed_members(parsed):
        return  # every member kept (a body with escapes is read key by key: its quotes are not all delimiters)
    try:
        pairs = json.loads(raw, object_pairs_hook=_Pairs)
    except RecursionError:  # nested deeper than Python reads: refused as such where the body is read
        return
    found = _first_duplicate(pairs)
    if found is not None:
        raise DuplicateKeyError(*found)


def object_members(text: bytes) -> int:
    """The number of object members of a JSON text without backslashes: its colons outside strings (a large text
    block by block, a string's parity carried over, so that the memory it takes stays a block's, not the text's
    several times over)."""
    if len(text) <= LARGE_BODY:
        return sum(part.count(b":") for part in text.split(b'"')[::2])
    data = np.frombuffer(text, dtype=np.uint8)
    count, inside = 0, False
    for start in range(0, len(data), BLOCK):
        block = data[start : start + BLOCK]
        parity = np.bitwise_xor.accumulate(block == QUOTE)  # an odd number of quotes so far: inside a string
        if inside:
            np.logical_not(parity, out=parity)
        count += int(np.count_nonzero((block == COLON) & ~parity))
        inside = bool(parity[-1])
    return count


def _parsed_members(parsed: Any) -> int:
    """The number of members of every object in ``parsed``: counted in the JSON orjson writes of it, or one
    container at a time where orjson does not write it (nested past 255 levels, an integer beyond 64 bits)."""
    try:
        return object_members(orjson.dumps(parsed))
    except orjson.JSONEncodeError:
        pass
    count, pending = 0, [parsed]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            count += len(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return count


class _Pairs(list):
    """An object's members in order, duplicates kept."""


def _first_duplicate(pairs: Any) -> tuple[str, tuple[str | int, ...]] | None:
    """The first key stated twice in an object of ``pairs`` (the JSON read with :class:`_Pairs`), and its path."""
    pending: deque[tuple[Any, tuple[str | int, ...]]] = deque([(pairs, ())])
    while pending:
        value, path = pending.popleft()
        if isinstance(value, _Pairs):
            seen: set[str] = set()
            for key, _ in value:
                if key in seen:
                    return key, path
                seen.add(key)
            pending.extend((member, (*path, key)) for key, member in value)
        elif isinstance(value, list):
            pending.extend((member, (*path, position)) for position, member in enumerate(value))
    return None

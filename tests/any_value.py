"""Any value at any place of a YAML document, for the tests that a reader of drafters' and analysts' files tells
every mistake as a problem at a line, never another exception (hypothesis strategies and the change they make)."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator, Sequence
from typing import Any

from hypothesis import strategies as st


def places(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every key and list item of ``data``."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield (*path, key)
        yield from places(value, (*path, key))


def scalars(words: Sequence[str], biggest: int = 10**400) -> st.SearchStrategy[Any]:
    """Any single value: nothing, true or false, numbers (some up to ``biggest``, infinite, NaN), texts (among them
    ``words``), dates."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=-biggest, max_value=biggest),
        st.floats(),
        st.text(max_size=20),
        st.dates(min_value=datetime.date(1, 1, 1)),
        st.sampled_from(list(words)),
    )


def values(words: Sequence[str], keys: Sequence[str] = ()) -> st.SearchStrategy[Any]:
    """Any YAML value: :func:`scalars`, and lists and mappings of them (keyed by any text or one of ``keys``)."""
    names = st.one_of(st.text(max_size=8), st.sampled_from(list(keys))) if keys else st.text(max_size=8)
    return st.recursive(
        scalars(words),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(names, inner, max_size=3)),
        max_leaves=6,
    )


def changed(data: Any, changes: Sequence[tuple[tuple[Any, ...], Any]]) -> Any:
    """``data`` (a copy) with each value at a place replaced; a place an earlier change removed is skipped."""
    result = copy.deepcopy(data)
    for place, value in changes:
        parent = result
        try:
            for key in place[:-1]:
                parent = parent[key]
            parent[place[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return result

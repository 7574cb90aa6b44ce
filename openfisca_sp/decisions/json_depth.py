"""How deep a JSON value nests, found without recursion. A DCI record or a registry's answer nested deeper than
:data:`MAX_DEPTH` is refused before code that recurses over it (comparing, printing or canonicalising it) meets
Python's recursion limit, which JSON's own reading (orjson: 1,024 levels) lets a body reach."""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 64  # levels of arrays and objects: a DCI search answer is about ten deep, a Social Registry Group six


def nested_deeper(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests arrays and objects more than ``limit`` levels deep (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False

"""The field names a route's body may hold, at any depth, as ``/openapi.json`` documents it: the names a
mistyped field is compared with.

A DCI envelope's ``mesage`` was told "no such field" without the closest name, and ``identifiers`` was offered
an eligibility request's ``identifier``: the suggestions were the eligibility request's, whatever the route.
The documented schema is read rather than the route's model, since the DCI routes read their body themselves
and document it by reference.
"""

from __future__ import annotations

from typing import Any

MAX_SCHEMAS = 100_000  # schemas walked at most for one route: references are followed once, so only a bound
REFERENCE = "#/components/schemas/"


def schema_fields(schema: Any, components: dict[str, Any]) -> frozenset[str]:
    """Every property name of ``schema`` and of the schemas it holds, references followed once each."""
    names: set[str] = set()
    followed: set[str] = set()
    waiting = [schema]
    walked = 0
    while waiting and walked < MAX_SCHEMAS:
        current = waiting.pop()
        walked += 1
        if isinstance(current, list):
            waiting.extend(current)
            continue
        if not isinstance(current, dict):
            continue
        reference = current.get("$ref")
        if isinstance(reference, str) and reference.startswith(REFERENCE) and reference not in followed:
            followed.add(reference)
            waiting.append(components.get(reference.removeprefix(REFERENCE)))
        properties = current.get("properties")
        if isinstance(properties, dict):
            names.update(properties)
            waiting.extend(properties.values())
        for key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf"):
            waiting.append(current.get(key))
    return frozenset(names)


def documented_body_fields(openapi: dict[str, Any], path: str, method: str) -> frozenset[str]:
    """The property names of the body ``/openapi.json`` documents for ``method`` at ``path`` (none if it
    documents no JSON body there)."""
    operation = (openapi.get("paths", {}).get(path) or {}).get(method.lower()) or {}
    content = (operation.get("requestBody") or {}).get("content") or {}
    schema = (content.get("application/json") or {}).get("schema")
    return schema_fields(schema, openapi.get("components", {}).get("schemas", {}))

"""JSON Schemas of the files drafters write, so that an editor validates while they type.

``parameter-file``: a parameter, a scale or a group of them (the house rules
of :mod:`~openfisca_sp.rules.parameter_checks` that a schema can say: dated
values, a reference with its instrument and article, a status, numbers where
the unit is one of numbers, never negative, whole months, rates at most 1). ``law-cases``:
a list of OpenFisca YAML tests. What a schema cannot say (the names a branch
reads, the sources a reference cites, the variables a case names) is checked
by ``openfisca-sp check``. The files ship in ``openfisca_sp/data/schemas/``;
:func:`build` makes them, and a test keeps the two equal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openfisca_core.tools.test_runner import TEST_KEYWORDS

from openfisca_sp.rules.parameter_checks import BRACKET_KEYS, DATE, NAME, NODE_KEYS, PARAMETER_KEYS, SCALE_KEYS
from openfisca_sp.rules.parameter_kinds import UNIT_WORDS
from openfisca_sp.rules.provenance_checks import GROUP_METADATA_KEYS, REFERENCE_KEYS, STATUSES
from openfisca_sp.rules.sources import IDENTIFIER, PARTIAL_DATE, REQUIRED_KEYS

SCHEMAS_DIR = Path(__file__).resolve().parents[1] / "data" / "schemas"
NAMES = ("parameter-file", "law-cases")
BASE_URL = "https://openfisca-sp.github.io/schemas/"
# A unit of numbers (parameter_kinds.is_number_unit): a unit word, an amount in a currency, a multiple, a rate per …
NUMBER_UNIT = "^(" + "|".join(word.replace("/", "\\/") for word in UNIT_WORDS) + ")$|^[A-Z]{3}\\b|^times |(^| )per( |$)"
SCALAR = {"type": ["number", "boolean", "string", "array", "null"], "items": {"type": ["string", "number"]}}


def _reference() -> dict[str, Any]:
    item = {
        "type": "object",
        "required": ["instrument", "article"],
        "properties": {key: {"type": "string", "minLength": 1} for key in sorted(REFERENCE_KEYS)},
        "additionalProperties": False,
        "anyOf": [{"required": ["href"]}, {"required": ["source"]}],  # its link, or the id of a source that has it
    }
    item["properties"]["instrument"]["description"] = "The law or source cited (e.g. Decree No. 207/PM)"
    item["properties"]["article"]["description"] = (
        'The article or passage that sets the value (e.g. Art 50(2)); "not stated in the source (…)" where it '
        "names none"
    )
    for key in ("instrument", "article"):  # text with something in it, as the checker asks
        item["properties"][key]["pattern"] = r"\S"
    item["properties"]["href"]["pattern"] = r"^https?://\S+$"  # a web address (a javascript: link is refused)
    item["properties"]["source"] = {
        "type": ["string", "array"],
        "items": {"type": "string"},
        "description": "Id(s) of the jurisdiction's sources (metadata.sources of its index.yaml)",
    }
    description = "Legal references: instrument, article, and a link (href, or source: an id of metadata.sources)"
    return {"type": "array", "minItems": 1, "items": item, "description": description}


def _metadata() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "status": {"enum": list(STATUSES), "description": "How sure the value is (see docs/drafting.md)"},
            "reference": {"$ref": "#/$defs/reference"},
            "unit": {"type": "string"},
            "sources": _sources(),
        },
        "propertyNames": {"enum": sorted(GROUP_METADATA_KEYS)},  # a misspelt key (stauts) would drop its meaning
    }


def _sources() -> dict[str, Any]:
    """The registry of a jurisdiction's sources (``metadata.sources`` of its ``index.yaml``)."""
    entry = {
        "type": "object",
        "required": list(REQUIRED_KEYS),
        "properties": {
            "instrument": {"type": "string", "minLength": 1},
            "date": {"type": ["string", "null"], "pattern": PARTIAL_DATE.pattern},
            "link": {"type": "string", "pattern": "^https?://"},
            "language": {"type": ["string", "array"], "items": {"type": "string"}},
            "note": {"type": ["string", "null"]},
        },
        "additionalProperties": False,
    }
    return _keyed(IDENTIFIER.pattern, entry, "The sources this jurisdiction's references cite, by id (source: S26)")


def _keyed(key_pattern: str, entry: dict[str, Any], description: str) -> dict[str, Any]:
    """A mapping of at least one key matching ``key_pattern``, each to an ``entry``."""
    return {
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": key_pattern},
        "additionalProperties": entry,
        "description": description,
    }


def _values(number: dict[str, Any] | None) -> dict[str, Any]:
    """Dated values; ``number``: the schema each value must meet (a number of the unit), or any value."""
    value = number or SCALAR
    entry = {
        "oneOf": [
            value,
            {
                "type": "object",
                "required": ["value"],
                "properties": {"value": value, "metadata": {"$ref": "#/$defs/metadata"}},
                "additionalProperties": False,
            },
        ]
    }
    return _keyed(
        DATE.pattern, entry, "Dated values: YYYY-MM-DD: value (null ends a value; nothing after the colon is refused)"
    )


def _number(minimum: float = 0, **limits: Any) -> dict[str, Any]:
    return {"type": ["number", "null"], "minimum": minimum, **limits}


def _unit_is(pattern: str) -> dict[str, Any]:
    return {
        "required": ["metadata"],
        "properties": {"metadata": {"required": ["unit"], "properties": {"unit": {"pattern": pattern}}}},
    }


def _parameter() -> dict[str, Any]:
    properties = {key: {} for key in sorted(PARAMETER_KEYS)}
    properties.update(
        description={"type": "string", "minLength": 1},
        metadata={"$ref": "#/$defs/metadata"},
        values=_values(None),
    )
    return {
        "type": "object",
        "required": ["description", "values"],
        "properties": properties,
        "additionalProperties": False,
        "allOf": [  # numbers where the unit is a unit of numbers, with the unit's limits
            {"if": _unit_is(NUMBER_UNIT), "then": {"properties": {"values": _values(_number())}}},
            {"if": _unit_is("^month$"), "then": {"properties": {"values": _values(_number(multipleOf=1))}}},
            {"if": _unit_is("^/1$"), "then": {"properties": {"values": _values(_number(maximum=1))}}},
        ],
    }


def _scale() -> dict[str, Any]:
    properties = {key: {} for key in sorted(SCALE_KEYS)}
    bracket = {
        "type": "object",
        "required": ["threshold"],
        "properties": {key: _values(_number()) for key in sorted(BRACKET_KEYS)},
        "additionalProperties": False,
    }
    properties.update(
        description={"type": "string", "minLength": 1},
        metadata={"$ref": "#/$defs/metadata"},
        brackets={"type": "array", "minItems": 1, "items": bracket},
    )
    return {"type": "object", "required": ["description", "brackets"], "properties": properties,
            "additionalProperties": False}  # fmt: skip


def _group() -> dict[str, Any]:
    return {
        "type": "object",
        "not": {"anyOf": [{"required": ["values"]}, {"required": ["brackets"]}]},
        "properties": {key: ({"$ref": "#/$defs/metadata"} if key == "metadata" else {}) for key in sorted(NODE_KEYS)},
        "propertyNames": {"pattern": NAME.pattern},
        "additionalProperties": {"$ref": "#/$defs/node"},
    }


def _parameter_file() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URL + "parameter-file.schema.json",
        "title": "openfisca-sp parameter file",
        "description": "A parameter (dated values), a scale (brackets) or a group of them, each value with its "
        "legal reference and verification status. Names and sources are checked by openfisca-sp check.",
        "$ref": "#/$defs/node",
        "$defs": {
            "node": {"oneOf": [{"$ref": "#/$defs/parameter"}, {"$ref": "#/$defs/scale"}, {"$ref": "#/$defs/group"}]},
            "parameter": _parameter(),
            "scale": _scale(),
            "group": _group(),
            "metadata": _metadata(),
            "reference": _reference(),
        },
    }


def _law_cases() -> dict[str, Any]:
    case = {
        "type": "object",
        "required": ["name", "period", "output"],
        "properties": {key: {} for key in sorted(TEST_KEYWORDS)},
        "additionalProperties": False,
    }
    case["properties"].update(
        name={"type": "string", "minLength": 1, "description": "The legal case, as a drafter reads it"},
        period={"type": ["string", "integer"], "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
        input={"type": "object"},
        output={"type": "object", "minProperties": 1},
        reforms={"type": ["string", "array"], "items": {"type": "string"}},
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URL + "law-cases.schema.json",
        "title": "openfisca-sp law cases (OpenFisca YAML tests)",
        "description": "The law's own cases: name, period, input, the output the law gives. The variables named "
        "are checked by openfisca-sp check.",
        "oneOf": [{"type": "array", "minItems": 1, "items": case}, case],
    }


def build(name: str) -> dict[str, Any]:
    """The schema ``name`` (one of :data:`NAMES`)."""
    builders = {"parameter-file": _parameter_file, "law-cases": _law_cases}
    if name not in builders:
        raise ValueError(f"unknown schema '{name}': expected one of {', '.join(NAMES)}")
    return builders[name]()


def schema_text(name: str) -> str:
    """The schema ``name`` as the shipped file holds it."""
    return json.dumps(build(name), indent=2, ensure_ascii=False) + "\n"


def schema_path(name: str) -> Path:
    """Where the package ships the schema ``name``."""
    return SCHEMAS_DIR / f"{name}.schema.json"

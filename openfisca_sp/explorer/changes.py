"""The "What changed" page's rows, shaped from a law diff as data (``LawDiff.to_dict()``).

Web-free: :func:`changes_view` turns the diff into rows of text and links; :func:`~.site.render_changes` renders
them with the explorer's templates, as a page of the explorer or on its own (``openfisca-sp diff --format html``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openfisca_sp.explorer.data import value_text
from openfisca_sp.rules import jurisdictions


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass
class ValueRow:
    """One dated value added, removed or changed: what it was, what it is, and where it is written."""

    parameter: str
    href: str | None  # the parameter's section in the explorer, if known
    start: str
    changes: list[str]
    where: str  # file:line
    old: str | None  # value text (None: no such side)
    new: str | None
    status: tuple[str | None, str | None]
    references: list[str]  # "instrument, article" of the new side (old for a value removed)
    reference_changes: list[str]  # "reference 1 source: S20 → L3"
    sources: list[Link]  # the links of the references of the side shown


@dataclass
class CaseRow:
    file: str
    case: str
    output: str
    old: str
    new: str
    expected: str


@dataclass
class ChangesView:
    """Everything the page shows, counted for its summary."""

    jurisdiction: str
    kind: str
    old: str
    new: str
    values: list[ValueRow]
    counts: dict[str, int]  # added, removed, changed
    cases_computed: int | None
    cases: list[CaseRow]
    cases_changed: int  # distinct cases with at least one output changed
    sample: dict[str, Any] | None
    notes: list[str] = field(default_factory=list)
    cases_failing: list[dict[str, Any]] = field(default_factory=list)  # could not be computed on a side or both
    amount_decimals: int = 2  # the jurisdiction's currency unit: amounts are shown to it


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value_text(value)


def _cited(reference: Mapping[str, Any]) -> str:
    return ", ".join(str(reference[key]) for key in ("instrument", "article") if reference.get(key)) or "?"


def _reference_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """Each field of a reference that differs, as ``reference N field: old → new``."""
    found = []
    for number in range(max(len(old), len(new))):
        before = old[number] if number < len(old) else {}
        after = new[number] if number < len(new) else {}
        found += [
            f"reference {number + 1} {key}: {before.get(key) or '–'} → {after.get(key) or '–'}"
            for key in dict.fromkeys([*before, *after])
            if before.get(key) != after.get(key)
        ]
    return found


def _value_row(change: Mapping[str, Any], links: Mapping[str, str]) -> ValueRow:
    old, new = change["old"], change["new"]
    shown = new or old
    both = old is not None and new is not None
    return ValueRow(
        parameter=change["parameter"],
        href=links.get(change["parameter"].split("[", 1)[0]),
        start=change["start"],
        changes=list(change["changes"]),
        where=f"{change['file']}:{change['line'] or '?'}",
        old=_text(old["value"]) if old else None,
        new=_text(new["value"]) if new else None,
        status=(old["status"] if old else None, new["status"] if new else None),
        references=[_cited(reference) for reference in shown["reference"]],
        reference_changes=_reference_changes(old["reference"], new["reference"]) if both else [],
        sources=[
            Link(_source_text(reference.get("source")), reference["href"])
            for reference in shown["reference"]
            if str(reference.get("href") or "").startswith(("https://", "http://"))
        ],
    )


def changes_view(diff: Mapping[str, Any], links: Mapping[str, str] | None = None) -> ChangesView:
    """The rows of the page for ``diff`` (a law diff as JSON-ready data); ``links``: parameter name -> page#anchor."""
    values = [_value_row(change, links or {}) for change in diff["values"]]
    counts = {
        "added": sum("added" in row.changes for row in values),
        "removed": sum("removed" in row.changes for row in values),
    }
    counts["changed"] = len(values) - counts["added"] - counts["removed"]
    law_cases = diff.get("law_cases")
    cases = [
        CaseRow(
            item["file"], item["case"], item["output"], _text(item["old"]), _text(item["new"]), _text(item["expected"])
        )
        for item in (law_cases or {}).get("changes", ())
    ]
    return ChangesView(
        jurisdiction=diff["jurisdiction"],
        kind=diff["kind"],
        old=diff["old"],
        new=diff["new"],
        values=values,
        counts=counts,
        cases_computed=None if law_cases is None else law_cases["computed"],
        cases=cases,
        cases_changed=len({(row.file, row.case) for row in cases}),
        cases_failing=list((law_cases or {}).get("failing", ())),
        amount_decimals=jurisdictions.get(diff["jurisdiction"]).amount_decimals,
        sample=diff.get("sample"),
        notes=list(diff.get("notes", ())),
    )


def _source_text(source: object) -> str:
    """A reference's link text: ``source S27``, ``sources S20, S21`` (a list of ids), or ``source``."""
    if isinstance(source, list | tuple):
        ids = [str(item) for item in source if item]
        return f"sources {', '.join(ids)}" if len(ids) > 1 else f"source {ids[0]}" if ids else "source"
    return f"source {source}" if source else "source"

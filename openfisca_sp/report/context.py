"""What the report's template shows, formatted: the comparison's basis, the reform, charts and tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openfisca_sp.analysis.rows import BranchRow, ComparisonRows
from openfisca_sp.report.calibration import calibration_table
from openfisca_sp.report.charts import charts
from openfisca_sp.report.formatting import NONE, ReportLocale, count, month_label, timestamp
from openfisca_sp.report.poverty import poverty_section
from openfisca_sp.report.tables import (
    DIMENSION_TITLES,
    branches_table,
    coverage_table,
    dimension_all_table,
    dimension_branch_table,
    outcomes_table,
    total_last,
)


def _safe_href(href: Any) -> str | None:
    """Only web links become links (no ``javascript:`` and the like)."""
    text = str(href or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else None


def _reform(meta: Mapping[str, Any]) -> dict[str, Any]:
    reform = meta.get("reform") or {}
    description = str(reform.get("description") or "")
    paragraphs = [" ".join(block.split()) for block in description.split("\n\n") if block.strip()]
    references = [
        {"instrument": ref.get("instrument"), "article": ref.get("article"), "href": _safe_href(ref.get("href"))}
        for ref in reform.get("references") or []
    ]
    return {
        "label": reform.get("label") or reform.get("name") or "Reform",
        "paragraphs": paragraphs,
        "refs": references,
    }


def _provisional(rows: Sequence[BranchRow], poverty: Sequence[Mapping[str, Any]] | None = None) -> list[str]:
    """The branches whose results rest on unverified law; "all branches" if only the total says so; and poverty
    where its figures do with no branch provisional (an unverified poverty line)."""
    branches = [row.title for row in rows if row.provisional and not row.is_total]
    branches = branches or (["all branches"] if any(row.provisional for row in rows) else [])
    return branches or (["poverty and inequality"] if any(item.get("provisional") for item in poverty or ()) else [])


def _rules(meta: Mapping[str, Any]) -> str:
    rules = meta.get("rules") or {}
    return f"{rules.get('package', '')} {rules.get('version', '')}".strip() or NONE


def _dimensions(comparison: ComparisonRows, currency: str) -> list[dict[str, Any]]:
    return [
        {
            "title": DIMENSION_TITLES.get(name, name),
            "tables": [dimension_all_table(name, rows, currency), dimension_branch_table(name, rows, currency)],
        }
        for name, rows in comparison.breakdowns.items()
    ]


def context(comparison: Mapping[str, Any], locale: ReportLocale) -> dict[str, Any]:
    """Everything the template shows, from ``Comparison.to_dict()``, its numbers and dates formatted in the locale
    (the caller sets it with :func:`~openfisca_sp.report.formatting.formatted_in`)."""
    rows = ComparisonRows.from_dict(comparison)
    meta = rows.meta
    currency = str(meta.get("currency") or "")
    branches = total_last(rows.branches)
    return {
        "meta": meta,
        "lang": locale.code,
        "locale_note": locale.note,
        "created": timestamp(meta.get("created")),
        "rules": _rules(meta),
        "jurisdiction": meta.get("jurisdiction_label") or meta.get("jurisdiction") or NONE,
        "month": month_label(meta.get("month", "")),
        "currency": currency,
        "persons": count(meta.get("persons")) or NONE,
        "households": count(meta.get("households")) or NONE,
        "provisional": _provisional(branches, comparison.get("poverty")),
        "reform": _reform(meta),
        "charts": charts(rows, currency),
        "tables": [branches_table(branches, currency), outcomes_table(branches, currency)],
        "dimensions": _dimensions(rows, currency),
        "coverage": coverage_table(rows.coverage),
        "poverty": poverty_section(comparison.get("poverty"), currency),
        "calibration": calibration_table(comparison),
    }

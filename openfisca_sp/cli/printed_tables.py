"""The tables ``simulate`` and ``compare`` print: totals by branch, and poverty and inequality."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from openfisca_sp.rules.wording import count_text

if TYPE_CHECKING:
    import pandas as pd


MONEY_COLUMNS = ("periodical_benefits", "lump_sums", "cost", "average_benefit", "cost_change")  # beside ``*_cost``
NOT_MODELLED = "not modelled"


def is_money(name: str) -> bool:
    """Whether a printed column holds amounts of money (printed to the currency's smallest unit)."""
    return name in MONEY_COLUMNS or name.endswith(("_cost", "_average_benefit"))


def amount(value: float | None, decimals: int) -> str:
    """An amount to the currency's smallest unit (TJS 34,835.07; VND 1,500,000), "not modelled" where missing."""
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return NOT_MODELLED if missing else f"{value:,.{decimals}f}"


def count(value: float | None) -> str:
    """A weighted count of persons with the decimals it has (:func:`~openfisca_sp.rules.wording.count_text`: an
    average of 0.5 beneficiaries over 12 months is 0.5, never 0), "not modelled" where missing."""
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return NOT_MODELLED if missing else count_text(value)


def print_totals(table: pd.DataFrame, currency: str, what: str = "payable in the month", decimals: int = 0) -> None:
    """Totals by branch: amounts to ``decimals`` (the currency's: 2 for TJS), counts of persons with the decimals
    they have (:func:`count`), "not modelled" where a figure has no source, "–" for the average of no beneficiary,
    each branch's note (claims left out) below the table."""
    import pandas as pd

    from openfisca_sp.analysis.rows import is_count

    table = table.drop(columns="currency", errors="ignore")  # said above the table
    nobody = pd.Series(False, index=table.index)
    if {"average_benefit", "beneficiaries", "amount_modelled"} <= set(table.columns):  # no average of no one: "–"
        nobody = table["amount_modelled"].astype(bool) & (table["beneficiaries"] == 0)
    table = table.assign(
        **{
            name: ["–" if none else amount(value, decimals) for value, none in zip(table[name], nobody, strict=True)]
            if name == "average_benefit"
            else [amount(value, decimals) for value in table[name]]
            for name in table.columns
            if is_money(name)
        },
        **{name: [count(value) for value in table[name]] for name in table.columns if is_count(name)},
    )
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:,.0f}".format):
        print(f"(amounts in {currency}, {what}; weighted)")
        notes = table.pop("note").tolist() if "note" in table else [None] * len(table)
        print(table.to_string(index=False, na_rep=NOT_MODELLED))
        for branch, note in zip(table["branch"], notes, strict=True):
            if isinstance(note, str):
                print(f"{branch}: {note}")


def print_poverty(table: pd.DataFrame, currency: str, decimals: int = 0) -> None:
    """Headcount ratio, poverty gap index and Gini, before benefits and after each side's, per line and group (its
    value to ``decimals``, the currency's); an undefined Gini says so, and why below the table."""
    import pandas as pd

    from openfisca_sp.analysis.rows import UNDEFINED
    from openfisca_sp.report.formatting import NONE

    if table.empty:
        return
    shown = table.rename(columns={"line_value": f"line ({currency})"})
    if shown["note"].notna().all():  # no poverty line: only the Gini
        print(f"poverty: {shown['note'].iloc[0]}")
        shown = shown.drop(columns=[name for name in shown if name.startswith(("headcount_", "gap_", "line"))])
    notes = gini_notes(shown)
    if "benefits_note" in shown and isinstance(shown["benefits_note"].iloc[0], str):  # the same on every row
        notes.insert(0, f"poverty and Gini {shown['benefits_note'].iloc[0]}")
    rates = [name for name in shown if name.startswith(("headcount_", "gap_"))]
    empty = shown[rates].isna().any(axis=1) if rates else pd.Series(False, index=shown.index)
    if empty.any():  # a line in force, measured over no one: said, not printed as NaN
        groups = ", ".join(dict.fromkeys(str(group) for group in shown.loc[empty, "group"]))
        notes.insert(0, f"headcount and gap {NONE}: no one in the group (groups: {groups})")
    for name in rates:
        shown[name] = [f"{value:.4f}" if pd.notna(value) else NONE for value in shown[name]]
    shown = shown.drop(columns=["note", "population", "gini_note", "benefits_note"], errors="ignore")
    line = f"line ({currency})"
    if line in shown:
        shown[line] = [f"{value:,.{decimals}f}" if pd.notna(value) else "" for value in shown[line]]
    shown["gini_error"] = [f"{value:.0e}" if pd.notna(value) else "" for value in shown["gini_error"]]
    for name in [name for name in shown if name.startswith("gini_") and name != "gini_error"]:
        shown[name] = [f"{value:.4f}" if pd.notna(value) else UNDEFINED for value in shown[name]]
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.4f}".format):
        print("(poverty headcount ratio, poverty gap index and Gini of household income per person: before benefits,")
        print(" after the baseline's and after the reform's; weighted)")
        print(shown.to_string(index=False))
    for note in notes:
        print(note)


def gini_notes(table: pd.DataFrame) -> list[str]:
    """Why a Gini coefficient is undefined, each reason once with the groups it holds for."""
    if "gini_note" not in table:
        return []
    groups: dict[str, list[str]] = {}
    for group, note in table[["group", "gini_note"]].itertuples(index=False):
        if isinstance(note, str):
            groups.setdefault(note, [])
            if group not in groups[note]:
                groups[note].append(str(group))
    return [f"Gini {note} (groups: {', '.join(names)})" for note, names in groups.items()]

"""A population's totals over several months: the months asked, each month's totals side by side, and their sums
over the months, with what each branch's months leave out said once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from openfisca_sp.population.claims_notes import CLAIMS_NOT_MODELLED, cases_said, claims_note
from openfisca_sp.population.figure_tables import figure_table
from openfisca_sp.population.totals import (
    DAYS_UNPRICED,
    LUMP_SUMS_UNTOLD,
    NO_FORMULA,
    OTHERS,
    PARTLY_PRICED,
    PERIODS_UNTOLD,
    UNDECIDED,
    BranchSums,
    written_money,
)
from openfisca_sp.rules.wording import abridged, counted

FIRST_MONTH = np.datetime64("1900-01", "M")  # the calendar's first month (decisions.facts.MONTH_PATTERN)


def months_ending(month: str, months: int) -> list[str]:
    """The ``months`` months (YYYY-MM) ending with ``month``, oldest first (``months``: a whole number, 1 or more;
    another is refused)."""
    if isinstance(months, bool) or not isinstance(months, (int, np.integer)) or months < 1:
        raise ValueError(f"months: a whole number of months, 1 or more, not {abridged(months)}")
    last = np.datetime64(month, "M")
    in_calendar = int((last - FIRST_MONTH).astype(int)) + 1  # 10**6 months were each simulated (the memory ran out)
    if months > in_calendar:
        raise ValueError(
            f"months: at most {in_calendar:,} end with {month} in the calendar the rules are asked in (from "
            f"{FIRST_MONTH}), not {abridged(months)}"
        )
    return [str(item) for item in np.arange(last - (months - 1), last + 1, dtype="datetime64[M]")]


def totals_by_month(sums: Sequence[tuple[str, BranchSums]]) -> pd.DataFrame:
    """The totals of each month (:meth:`BranchSums.totals`), one row per month and branch."""
    frames = []
    for month, month_sums in sums:
        frame = month_sums.totals()
        frame.insert(0, "month", month)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def totals_over(by_month: pd.DataFrame, decimals: int | None = None) -> pd.DataFrame:
    """Per branch, the sums of :func:`totals_by_month`'s months (None where a month is not modelled; money to
    ``decimals``, the currency's, as each month's is: :func:`~.totals.written_money`), and the beneficiaries of the
    average month."""
    rows = []
    for code, months in by_month.groupby("branch", sort=False):
        modelled = bool(months["amount_modelled"].all())
        rows.append(
            {
                "branch": code,
                "label": months["label"].iloc[0],
                "months": len(months),
                "average_beneficiaries": float(months["beneficiaries"].mean()),
                "periodical_benefits": written_money(_sum_told(months["periodical_benefits"]), decimals),
                "lump_sums": written_money(_sum_told(months["lump_sums"]), decimals),
                "cost": written_money(float(months["cost"].sum()) if modelled else None, decimals),
                "currency": months["currency"].iloc[0],
                "amount_modelled": modelled,
                "provisional": bool(months["provisional"].any()),
                "note": _year_note(months["note"]),
            }
        )
    return figure_table(rows)


def _sum_told(months: pd.Series) -> float | None:
    """The sum of a figure over the months, None unless every month's is told."""
    return None if months.isna().any() else float(months.sum())


def _year_note(notes: pd.Series) -> str | None:
    """What a branch's months say of what they leave out, said once for the year (without their figures)."""
    said = [str(note) for note in notes if isinstance(note, str)]
    found = [claims_note(cases_said(said))] if any(CLAIMS_NOT_MODELLED in text for text in said) else []
    found += [UNDECIDED] if any(UNDECIDED in text for text in said) else []
    partly = sum(PARTLY_PRICED in note for note in said)
    if partly:
        others = " (costs_by_month says what the others are paid)" if any(OTHERS in note for note in said) else ""
        why = (
            [f"some amounts or lump sums owed {NO_FORMULA}{others}"] if any(NO_FORMULA in note for note in said) else []
        )
        why += [part for part in (PERIODS_UNTOLD, DAYS_UNPRICED) if any(part in note for note in said)]
        found.append(f"{PARTLY_PRICED} in {partly} of the {counted(len(notes), 'month')}: {'; '.join(why)}")
    found += [LUMP_SUMS_UNTOLD] if any(LUMP_SUMS_UNTOLD in note for note in said) else []
    return "; ".join(found) or None

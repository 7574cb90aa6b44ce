"""The analyst's outputs spell each thing one way (a review found each of these spelt two ways): an amount not
modelled is empty, never 0; money says its currency; a missing figure of a table is NaN; the series after
benefits say why they equal the one before; parts of a comparison merge their exact counts or are refused."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from openfisca_sp.analysis import compare
from openfisca_sp.analysis.comparison import Comparison
from openfisca_sp.cli import main
from openfisca_sp.population import simulate
from openfisca_sp.population.figure_tables import is_figure
from openfisca_sp.population.payments import month_payments
from openfisca_sp.population.totals import BranchSums
from openfisca_sp.report.render import render_report
from tests.population.test_hand_checked_table import _viet_nam

MONTH = "2026-10"
RISE = np.datetime64("2026-09-01")  # Tajikistan's rise of pensions in payment of unknown size (a null index)


@pytest.mark.parametrize("on_events", [True, False])
def test_an_amount_not_modelled_is_empty_never_0_whether_or_not_a_rise_of_unknown_size_applies(on_events: bool):
    """sample:tjk in October 2026: the old-age amount has no formula for some pensions (0 from the formula), and
    a pension claimed before September 2026 is raised by a rise of unknown size (NaN). Both are not modelled;
    the results said 0 for the first and NaN for the second. Now both NaN in the results, in what a month pays,
    and null in the files; a refusal's 0 stays 0; the totals are unchanged (cost not modelled, beneficiaries
    counted)."""
    results = simulate("sample:tjk", MONTH, claims_on_events=on_events)
    columns = results.columns
    branch = next(branch for branch in results.branches if branch.code == "old_age")
    eligible = columns[branch.eligible].astype(bool)
    untold = eligible & ~columns[branch.amount_modelled].astype(bool)
    raised = untold & (columns[f"{branch.benefit}_claim_date"] < RISE)
    assert (untold & ~raised).any()  # no formula, no rise: the formula's 0 was written
    assert raised.any() or not on_events  # decided on the first day of October, a claim is raised by nothing
    assert np.isnan(columns[branch.benefit][untold]).all()
    assert (columns[branch.benefit][~eligible] == 0).all()  # a refusal pays 0, told
    paid = month_payments(columns, branch, MONTH, results.decimals)
    assert np.isnan(paid.periodical[untold & paid.paid_periodically]).all()  # what the month pays cannot be told
    frame = results.to_frame([branch.benefit])
    assert frame[branch.benefit][untold].isna().all() and (frame[branch.benefit][~eligible] == 0).all()
    row = results.totals().set_index("branch").loc["old_age"]
    assert pd.isna(row["cost"]) and row["beneficiaries"] > 0 and not row["amount_modelled"]


def test_totals_say_their_currency_as_compare_and_project_do(tmp_path):
    """results.totals(), costs_by_month and cost_over_year, and simulate's --totals CSV and JSON, give the
    currency of their money (compare's and project's meta say it; the totals said none)."""
    results = simulate("sample:lao", MONTH)
    for table in (results.totals(), results.costs_by_month(2), results.cost_over_year()):
        assert table["currency"].tolist() == ["LAK"] * len(table)
    assert compare("sample:lao", MONTH, "r202_social_pension").meta["currency"] == "LAK"
    written = tmp_path / "totals.json"
    assert main(["simulate", "sample:tjk", "--month", MONTH, "--totals", str(written), "--no-progress"]) == 0
    assert {row["currency"] for row in json.loads(written.read_text(encoding="utf-8"))} == {"TJS"}
    assert main(["simulate", "sample:tjk", "--month", MONTH, "--totals", str(tmp_path / "t.csv"), "--no-progress"]) == 0
    assert set(pd.read_csv(tmp_path / "t.csv")["currency"]) == {"TJS"}
    sums = BranchSums.of(results.weights, results.columns, results.branches, MONTH, results.decimals, "LAK")
    with pytest.raises(ValueError, match="different branches or currencies"):
        sums.merge(dataclasses.replace(sums, currency="TJS"))


def test_a_missing_figure_of_a_table_is_nan_in_every_table_none_in_its_json():
    """The hand-checked Viet Nam table has no one aged 15-24 (an empty group: no average benefit, gain or loss)
    and no loser under R202 (no average loss anywhere): a breakdown's missing averages were NaN in a column that
    held a number elsewhere and None in one that held none. Every figure column is float64, NaN where missing;
    to_dict() says None."""
    comparison = compare(_viet_nam(), MONTH, "r202_social_pension", "vnm")
    tables = {"branches": comparison.branches, "poverty": comparison.poverty, "coverage": comparison.coverage}
    tables |= {name: comparison.breakdown(name) for name in ("sex", "age_group", "income_decile")}
    for name, table in tables.items():
        for column in filter(is_figure, table.columns):
            assert table[column].dtype == np.float64, (name, column, table[column].dtype)
    ages = comparison.breakdown("age_group")
    empty = ages[ages["group"] == "15–24"]
    assert len(empty) and (empty["population"] == 0).all()
    averages = ["baseline_average_benefit", "reform_average_benefit", "average_gain", "average_loss"]
    assert empty[averages].isna().all().all()
    assert ages["average_loss"].isna().all()  # nobody loses: NaN in every group, as in the empty one
    record = next(row for row in comparison.to_dict()["breakdowns"]["age_group"] if row["group"] == "15–24")
    assert all(record[name] is None for name in averages)
    totals = simulate("sample:tjk", MONTH).totals()  # every cost not modelled: the column held only None
    assert totals["cost"].dtype == np.float64 and totals["periodical_benefits"].isna().all()


def test_poverty_rows_say_why_the_series_after_benefits_equal_the_one_before(capsys):
    """Where no branch's cost is modelled on both sides (Tajikistan under tjk_maternity_c183) the Gini after the
    baseline's and after the reform's equal the one before, and where the baseline pays none of the branches
    added (Lao PDR has no social pension) the one after the baseline's does: each row says why, in the table,
    the JSON, the printed lines and the report. Where some branch is left out, the note names it."""
    tajik = compare("sample:tjk", MONTH, "tjk_maternity_c183").poverty
    assert (tajik["gini_baseline"] == tajik["gini_before"]).all() and (
        tajik["gini_reform"] == tajik["gini_before"]
    ).all()
    expected = (
        "after the baseline's and after the reform's as before benefits: no benefit's cost is modelled on both sides "
        "(old_age, maternity, unemployment, disability), so none is added"
    )
    assert (tajik["benefits_note"] == expected).all()
    lao = compare("sample:lao", MONTH, "r202_social_pension")
    poverty = lao.poverty
    assert (poverty["gini_baseline"] == poverty["gini_before"]).all() and (
        poverty["gini_reform"] < poverty["gini_before"]
    ).all()
    note = poverty["benefits_note"].iloc[0]
    assert note.startswith(
        "after benefits: social_pension added (cost modelled on both sides); left out, not modelled:"
    )
    assert note.endswith("after the baseline's as before benefits: none of them paid in the month")
    assert all(row["benefits_note"] == note for row in lao.to_dict()["poverty"])
    assert "Poverty and Gini after benefits: social_pension added" in render_report(lao.to_dict())
    assert main(["compare", "sample:lao", "--month", MONTH, "--reform", "r202_social_pension", "--no-progress"]) == 0
    assert f"poverty and Gini {note}" in capsys.readouterr().out
    viet_nam = compare("sample:vnm", MONTH, "r202_social_pension").poverty
    assert viet_nam["benefits_note"].iloc[0].endswith("left out, not modelled: unemployment")


def test_parts_of_a_comparison_merge_their_exact_counts_or_are_refused():
    """Aggregates.merge kept the exact counts of beneficiaries only where both parts carried them: a part without
    them made the merged counts float sums, silently. Now such a part is refused, naming what it lacks; parts made
    by aggregate() merge to the exact sums of their counts."""
    aggregates = compare(_viet_nam(), MONTH, "r202_social_pension", "vnm").aggregates
    merged = aggregates.merge(aggregates)
    assert merged.counts == {name: 2 * count for name, count in aggregates.counts.items()}
    bare = dataclasses.replace(aggregates, counts={})
    for one, two in ((aggregates, bare), (bare, aggregates), (bare, bare)):
        with pytest.raises(ValueError, match="does not carry the exact counts of beneficiaries"):
            one.merge(two)
    Comparison(merged, {"jurisdiction": "vnm"})  # the tables of a merged comparison are built

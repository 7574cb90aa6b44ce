"""Every output of the analyst's commands states one figure one way (an analyst: ``simulate --totals`` wrote an
average of 192,000 kip where ``compare --json`` said 191,999.9999999999): the real commands run on the same sample,
and the figures they print and write are read back and compared, branch by branch."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from openfisca_sp.cli import main
from openfisca_sp.report.formatting import count, money
from openfisca_sp.rules.wording import count_text

MONTH = "2026-10"
SCENARIO = Path(__file__).parents[2] / "openfisca_sp" / "data" / "scenarios" / "vnm.yaml"


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    assert main(list(arguments)) == 0
    return capsys.readouterr().out


def _row(printed: str, branch: str) -> str:
    """The printed line of ``branch``'s row (its code first, then its figures)."""
    return next(line for line in printed.splitlines() if re.match(rf"\s*{branch}\s", line))


def _csv_value(value: str) -> float | None:
    return float(value) if value else None


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("outputs")


def test_simulate_and_compare_print_and_write_each_figure_alike(capsys, outputs):
    """Viet Nam's sample, each branch: beneficiaries, cost and average benefit, as ``simulate`` prints them and writes
    them to CSV and JSON, and as ``compare``'s baseline prints them, writes them to JSON and shows them in its HTML
    report: the same numbers (money to the dong, counts to a hundredth), each written as its twin is printed."""
    printed = _run(capsys, "simulate", "sample:vnm", "--month", MONTH, "--totals", str(outputs / "totals.csv"))
    _run(capsys, "simulate", "sample:vnm", "--month", MONTH, "--totals", str(outputs / "totals.json"))
    compared = _run(
        capsys,
        *("compare", "sample:vnm", "--month", MONTH, "--reform", "r202_social_pension"),
        *("--json", str(outputs / "compare.json"), "--report", str(outputs / "compare.html")),
    )
    written = json.loads((outputs / "totals.json").read_text("utf-8"))
    with (outputs / "totals.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    branches = {row["branch"]: row for row in json.loads((outputs / "compare.json").read_text("utf-8"))["branches"]}
    html = (outputs / "compare.html").read_text("utf-8")
    averages = 0
    for total, row in zip(written, rows, strict=True):
        branch = total["branch"]
        assert row["branch"] == branch
        side = branches[branch]
        for figure in ("beneficiaries", "cost", "average_benefit"):
            assert _csv_value(row[figure]) == total[figure] == side[f"baseline_{figure}"], (branch, figure)
        if total["average_benefit"] is not None:
            averages += 1
            average = total["average_benefit"]
            assert average == round(average), (branch, average)  # to the dong, whatever the weights
            assert f"{average:,.0f}" in _row(printed, branch).split(), branch
            assert money(average, "VND").replace("\xa0", " ").split()[-1] in html, branch
        if total["cost"] is not None:
            cost = f"{total['cost']:,.0f}"
            assert cost in _row(printed, branch).split() and cost in _row(compared, branch).split(), branch
        if total["beneficiaries"] is not None:
            beneficiaries = count_text(total["beneficiaries"])
            assert beneficiaries in _row(printed, branch).split(), branch
            assert beneficiaries in _row(compared, branch).split(), branch
            assert count(total["beneficiaries"]) in html, branch
    assert averages >= 3  # old age, maternity, disability and the social pension are priced in Viet Nam


def test_a_lao_count_is_written_in_the_report_as_it_is_printed(capsys, outputs):
    """Lao PDR's sample weighs each person 372.15: 15,258.15 old-age pensioners, printed and written so by
    ``simulate`` and ``compare``, read 15,258 in the HTML report."""
    printed = _run(capsys, "simulate", "sample:lao", "--month", MONTH, "--totals", str(outputs / "lao.json"))
    _run(capsys, "compare", "sample:lao", "--reform", "r202_social_pension", "--report", str(outputs / "lao.html"))
    html = (outputs / "lao.html").read_text("utf-8")
    fractional = 0
    for total in json.loads((outputs / "lao.json").read_text("utf-8")):
        beneficiaries = total["beneficiaries"]
        if beneficiaries is not None and beneficiaries != round(beneficiaries):
            fractional += 1
            assert count_text(beneficiaries) in _row(printed, total["branch"]).split()
            assert re.search(rf"[ >]{re.escape(count_text(beneficiaries))}[ <]", html), total["branch"]
    assert fractional


def test_a_projection_writes_its_costs_to_the_currency_unit_and_its_counts_to_a_hundredth(capsys, outputs):
    """A projection's years (Viet Nam's scenario, two years): each year's cost is 12 months of a cost written to
    the dong, and its counts of persons (beneficiaries, contributors, persons of working age) are written to a
    hundredth, as ``simulate`` and ``compare`` write them (the persons of working age read 69,440,470.85523635)."""
    scenario = outputs / "vnm.yaml"
    scenario.write_text(SCENARIO.read_text("utf-8").replace("last: 2055", "last: 2027"), "utf-8")
    _run(capsys, "project", str(scenario), "--json", str(outputs / "projection.json"))
    projection = json.loads((outputs / "projection.json").read_text("utf-8"))
    for row in [*projection["years"], *projection["branches"]]:
        if row["cost"] is not None:
            assert row["cost"] == round(row["cost"]), row
        for figure in ("beneficiaries", "contributors", "working_age", "population"):
            if row.get(figure) is not None:
                assert row[figure] == round(row[figure], 2), (figure, row[figure])

"""``openfisca-sp verification``: the values counted by status equal a count of the YAML files, and what is not
modelled is what the formulas leave out. Every jurisdiction of the registry, on the shipped files."""

from __future__ import annotations

import datetime
import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from openfisca_sp import tax_benefit_system
from openfisca_sp.cli import main
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.branches import AMOUNT, BRANCHES, ELIGIBILITY, decided_branches
from openfisca_sp.rules.formulas import part_modelled
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.verification import ALL_BRANCHES, EVERY_PART, Verification, verification

ROOT = Path(__file__).resolve().parent.parent
CODES = sorted(jurisdictions.registry())
STATUSES = ("verified", "verified_2nd", "unverified")
DAYS = (datetime.date(2010, 1, 1), datetime.date(2020, 1, 1), datetime.date(2026, 11, 30))
NOT_CHILDREN = {"description", "metadata", "documentation", "reference"}


def _status(data: Any, inherited: str | None) -> str | None:
    return ((data or {}).get("metadata") or {}).get("status", inherited)


def _dated(values: dict[Any, Any], status: str | None) -> Counter[str]:
    """The dated values of one parameter (or one key of a bracket) that are not null, by status."""
    found: Counter[str] = Counter()
    for entry in values.values():
        value = entry.get("value") if isinstance(entry, dict) else entry
        if value is not None:
            found[_status(entry if isinstance(entry, dict) else None, status)] += 1
    return found


def _in_file(data: dict[str, Any], inherited: str | None) -> Counter[str]:
    status = _status(data, inherited)
    if "values" in data:
        return _dated(data["values"], status)
    if "brackets" in data:
        return sum((_dated(values, status) for bracket in data["brackets"] for values in bracket.values()), Counter())
    return sum((_in_file(child, status) for key, child in data.items() if key not in NOT_CHILDREN), Counter())


def _in_folder(path: Path, inherited: str | None) -> Counter[str]:
    if path.is_file():
        return _in_file(yaml.safe_load(path.read_text(encoding="utf-8")), inherited)
    index = path / "index.yaml"
    status = _status(yaml.safe_load(index.read_text(encoding="utf-8")), inherited) if index.exists() else inherited
    children = [child for child in sorted(path.iterdir()) if child.is_dir() or child.suffix == ".yaml"]
    return sum((_in_folder(child, status) for child in children if child.name != "index.yaml"), Counter())


def counted_in_yaml(code: str) -> dict[str, Counter[str]]:
    """Per folder (or file) at the top of a jurisdiction's parameters, its values by status, read with PyYAML."""
    folder = jurisdictions.get(code).parameters_dir
    status = _status(yaml.safe_load((folder / "index.yaml").read_text(encoding="utf-8")), None)
    tops = [path for path in folder.iterdir() if path.is_dir() or path.name != "index.yaml"]
    return {path.name.removesuffix(".yaml"): _in_folder(path, status) for path in tops}


@pytest.fixture(scope="module")
def tables() -> dict[str, Verification]:
    return {code: verification(tax_benefit_system(code), DAYS[-1]) for code in CODES}


def test_the_registry_has_the_shipped_jurisdictions() -> None:
    assert {"lao", "vnm", "ilo_c102"} <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_counts_equal_a_count_of_the_yaml_files(code: str, tables: dict[str, Verification]) -> None:
    rows = {row.branch: row for row in tables[code].rows}
    expected = counted_in_yaml(code)
    assert set(expected) - set(BRANCHES) == set(rows) - set(BRANCHES) - {ALL_BRANCHES}  # folders outside branches
    decided = {branch.code for branch in decided_branches(tax_benefit_system(code))}
    assert decided <= set(rows)  # every branch decided has its row, with or without a folder
    assert not (set(BRANCHES) - decided) & set(rows)  # a branch decided only where provided has none elsewhere
    for branch, row in rows.items():
        counted = sum(expected.values(), Counter()) if branch == ALL_BRANCHES else expected.get(branch, Counter())
        assert set(counted) <= set(STATUSES), (branch, counted)
        assert (row.verified, row.verified_2nd, row.unverified, row.other) == (*(counted[s] for s in STATUSES), 0)
        assert row.total == sum(counted.values())


def test_a_stopped_value_is_not_counted(tables: dict[str, Verification]) -> None:
    """Lao's Decree 207/PM points formula: one verified_2nd value from 2001, null from 2014 (Law 34/NA)."""
    old_age = next(row for row in tables["lao"].rows if row.branch == "old_age")
    files = ROOT / "parameters/lao/old_age"
    assert _in_folder(files / "pension_point_rate.yaml", None) == Counter(verified_2nd=1)
    assert old_age.total == sum(_in_folder(path, None).total() for path in files.iterdir() if path.name != "index.yaml")


@pytest.mark.parametrize("code", CODES)
def test_shares_sum_to_100_percent_per_row(code: str, tables: dict[str, Verification]) -> None:
    for row in tables[code].rows:
        shares = row.shares
        if row.total == 0:
            assert set(shares.values()) == {None}
            continue
        assert math.isclose(sum(shares.values()), 1.0), row
        assert all(math.isclose(shares[status], getattr(row, status) / row.total) for status in STATUSES)


def test_lao_old_age_amount_is_not_modelled_from_law_34() -> None:
    """Decree 207/PM's points formula ends in 2014; Law 34/NA's formula was not found (README, "What is modelled")."""
    system = tax_benefit_system("lao")
    before = {(part.branch, part.part) for part in verification(system, datetime.date(2010, 1, 1)).not_modelled}
    after = {(part.branch, part.part): part for part in verification(system, datetime.date(2020, 1, 1)).not_modelled}
    assert ("old_age", AMOUNT) not in before and ("old_age", "lump sum") in before
    amount = after[("old_age", AMOUNT)]
    assert ("reference_wage.averaging_months", "pension_point_rate") in amount.missing
    assert ("reference_wage.averaging_months", "pension_point_rate") in amount.closest()
    assert ("old_age", ELIGIBILITY) not in after
    assert after[("disability", EVERY_PART)].missing == (("provided",),)  # no Lao disability parameter at all


def test_a_branch_the_law_does_not_provide_is_not_listed() -> None:
    """Lao unemployment insurance begins with Decision 3623/MLSW (23 Dec 2014): before, ``provided: false``."""
    parts = verification(tax_benefit_system("lao"), datetime.date(2010, 1, 1)).not_modelled
    assert not [part for part in parts if part.branch == "unemployment"]


@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("code", CODES)
def test_the_parts_listed_are_those_the_formulas_do_not_model(code: str, day: datetime.date) -> None:
    system = tax_benefit_system(code)
    listed = {(part.branch, part.part) for part in verification(system, day).not_modelled}
    period = parse_period(day.isoformat()[:7])
    node = system.parameters(day.isoformat())
    for branch in decided_branches(system):
        if branch.code not in node or "provided" not in node[branch.code]:
            assert (branch.code, EVERY_PART) in listed
        elif node[branch.code].provided and (branch.code, ELIGIBILITY) not in listed:
            for part in branch.requirements:
                modelled = part_modelled(system.parameters, period, branch, part)
                assert ((branch.code, part) in listed) is not modelled, (branch.code, part)


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(["verification", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_text_table_covers_every_jurisdiction(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--date", "2026-11-30")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[2].split() == ["Jurisdiction", "Branch", "Verified", "Verified", "2nd", "Unverified", "Total"]
    for jurisdiction in CODES:
        assert any(line.startswith(jurisdiction) and ALL_BRANCHES in line for line in lines), jurisdiction
    assert "Parts not modelled on 2026-11-30" in out
    assert "a value set to null (a parameter stopped) is not a value and is not counted" in " ".join(lines)
    counts = lines[2 : lines.index("", 2)]
    assert len(counts) == 2 + sum(len(verification(tax_benefit_system(code), DAYS[-1]).rows) for code in CODES)
    assert len({len(line) for line in counts}) == 1  # aligned: the totals, right-aligned, end in one column


def test_the_text_table_prints_shares_with_one_decimal(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--jurisdiction", "lao", "--date", "2026-11-30")
    for row in verification(tax_benefit_system("lao"), DAYS[-1]).rows:
        key = ["lao", *row.branch.split()]  # "all branches" is two words
        printed = next(line.split()[len(key) :] for line in out.splitlines() if line.split()[: len(key)] == key)
        shares = [[str(getattr(row, s)), f"({100 * getattr(row, s) / row.total:.1f}%)"] for s in STATUSES if row.total]
        cells = [cell for pair in shares for cell in pair] or ["–", "–", "–"]
        assert printed == [*cells, str(row.total)], row


def test_json_is_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "json", "--jurisdiction", "vnm", "lao", "--date", "2020-01-01")
    data = json.loads(out)
    assert code == 0 and data["date"] == "2020-01-01" and data["statuses"] == list(STATUSES)
    assert list(dict.fromkeys(row["jurisdiction"] for row in data["rows"])) == ["vnm", "lao"]
    total = next(row for row in data["rows"] if row["jurisdiction"] == "lao" and row["branch"] == ALL_BRANCHES)
    assert total["total"] == sum(total[status] for status in STATUSES)
    assert math.isclose(sum(total["shares"].values()), 1.0)
    lao_disability = {"jurisdiction": "lao", "branch": "disability", "part": EVERY_PART, "missing": [["provided"]]}
    assert lao_disability in data["not_modelled"]


def test_markdown_is_a_github_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "markdown", "--jurisdiction", "ilo_c102", "--date", "2026-11-30")
    lines = out.splitlines()
    assert code == 0
    assert lines[2] == "| Jurisdiction | Branch | Verified | Verified 2nd | Unverified | Total |"
    assert lines[3] == "| --- | --- | ---: | ---: | ---: | ---: |"
    assert "| ilo_c102 | `higher_standards` | 14 (100.0%) | 0 (0.0%) | 0 (0.0%) | 14 |" in lines
    assert "| ilo_c102 | `old_age` | lump sum | `lump_sum.months_of_wage_per_year` |" in lines
    tables = [line for line in lines if line.startswith("|")]
    assert all(line.endswith(" |") for line in tables)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--date", "2024-13-01"],
            "'2024-13-01' is no day of the calendar: there is no month 13: months run from 01 to 12",
        ),
        (["--date", "2025-02-29"], "'2025-02-29' is no day of the calendar: 2025-02 has 28 days"),
        (["--date", "2024-W01-1"], "expected a date YYYY-MM-DD, not '2024-W01-1'"),
        (["--jurisdiction", "lao", "xx"], "unknown jurisdiction 'xx'; known jurisdictions: " + ", ".join(CODES)),
    ],
)
def test_a_bad_date_or_jurisdiction_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    code, out, err = run(capsys, *arguments)
    assert (code, out, err) == (2, "", f"openfisca-sp verification: error: {message}\n")


def test_the_command_exits_2_on_a_bad_date() -> None:
    command = [sys.executable, "-m", "openfisca_sp.cli", "verification", "--date", "30/11/2026"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr == "openfisca-sp verification: error: expected a date YYYY-MM-DD, not '30/11/2026'\n"


def test_the_readme_holds_the_verification_table_the_command_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """README's "Verification status" is the command's own output, pasted: it had gone stale (Viet Nam's old-age
    values 58 of 60 where the rules hold 60 of 62, no poverty_line row, 192 values in all where there are 200)."""
    assert main(["verification", "--date", "2026-11-30", "--format", "markdown"]) == 0
    printed = capsys.readouterr().out.strip()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`.venv/bin/openfisca-sp verification --date 2026-11-30 --format markdown`" in readme
    assert printed in readme, "README's verification table is stale: paste the command's output into it"

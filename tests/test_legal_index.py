"""The drafters' generated documents: the legal index and the tables of parameter names are up to date and right."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.drafting import legal_index, parameter_table
from openfisca_sp.drafting.law_cases import case_system
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.branches import BRANCHES, GROUPS
from openfisca_sp.rules.own_reforms import UncheckedReformError
from openfisca_sp.rules.provenance import provenance_of

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "tests" / "rules"
INDEX = ROOT / "docs" / "legal-index.md"


@pytest.fixture(scope="module")
def index_text() -> str:
    return legal_index.render(RULES, root=ROOT)


def test_the_committed_legal_index_is_up_to_date(index_text: str) -> None:
    assert INDEX.read_text(encoding="utf-8") == index_text, "run: openfisca-sp legal-index --output docs/legal-index.md"


def test_an_article_leads_to_its_yaml_and_the_law_cases_that_test_it(index_text: str) -> None:
    """The issue's example: from "Art 50(3)" to the Viet Nam waiting period and its law case, in one step."""
    lines = index_text.splitlines()
    article = next(number for number, line in enumerate(lines) if line.startswith("- **Art 50(3):"))
    value, case = lines[article + 1], lines[article + 2]
    assert (
        "[`parameters/vnm/unemployment/waiting_days.yaml:5`](../parameters/vnm/unemployment/waiting_days.yaml#L5)"
        in value
    )
    assert "`unemployment.waiting_days` = 15 from 2015-01-01 · verified" in value
    assert case.startswith("    - `tests/rules/vnm/unemployment/employment_law_2013_unemployment.yaml`:")
    path = ROOT / "parameters/vnm/unemployment/waiting_days.yaml"
    assert path.read_text(encoding="utf-8").splitlines()[4].strip() == "2015-01-01:"


@pytest.mark.parametrize("code", sorted(jurisdictions.registry()))
def test_every_value_is_indexed_under_each_of_its_references(code: str) -> None:
    values = legal_index.index_jurisdiction(code, RULES)
    index = provenance_of(tax_benefit_system(code))
    expected = {(r.parameter, r.start) for records in index.history.values() for r in records if r.value is not None}
    assert {(value.record.parameter, value.record.start) for value in values} == expected
    for value in values:
        text = Path(value.record.file).read_text(encoding="utf-8").splitlines()
        assert text[value.record.line - 1].strip().startswith(f"{value.record.start}:"), value.record


def test_a_value_a_law_case_reads_is_linked_to_that_case_only_at_its_date() -> None:
    values = {(v.record.parameter, v.record.start): v for v in legal_index.index_jurisdiction("lao", RULES)}
    decree_207 = values[("old_age.pension_point_rate", "2001-07-01")]
    assert any("decree_207_old_age_pension.yaml" in file for file, _ in decree_207.cases)
    law_34 = values[("old_age.pensionable_age.women", "2014-01-01")]
    assert all(name != "Decree 207 — one month short of the 5-year qualifying period" for _, name in law_34.cases)


def test_the_legal_index_command_checks_and_writes(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "openfisca_sp.cli", "legal-index", "--tests", str(RULES)]
    output = tmp_path / "index.md"
    stale = subprocess.run([*command, "--output", str(output), "--check"], capture_output=True, text=True, cwd=ROOT)
    assert stale.returncode == 1 and "out of date" in stale.stderr
    written = subprocess.run([*command, "--output", str(output)], capture_output=True, text=True, cwd=ROOT)
    assert written.returncode == 0, written.stderr
    assert output.read_text(encoding="utf-8") == INDEX.read_text(encoding="utf-8")
    assert subprocess.run([*command, "--output", str(output), "--check"], cwd=ROOT).returncode == 0


def test_the_readme_table_and_the_parameters_document_are_generated_from_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert parameter_table.block_of(readme) == parameter_table.short_table(), (
        "run: openfisca-sp parameter-names --write"
    )
    document = (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert document == parameter_table.document(), "run: openfisca-sp parameter-names --write"


def test_every_declared_name_is_needed_by_a_part_or_says_what_its_absence_means() -> None:
    for branch in BRANCHES.values():
        for name in branch.parameters:
            needed = any(name.path in option for requirement in branch.requirements.values() for option in requirement)
            assert needed or name.absent is not None or name.path == "provided", f"{branch.code}.{name.path}"
    for group in GROUPS:
        for name in group.parameters:
            assert group.benchmark or group.free_names or name.absent is not None, f"{group.code}.{name.path}"


def test_every_name_a_requirement_mentions_is_declared() -> None:
    for branch in BRANCHES.values():
        for requirement in branch.requirements.values():
            for option in requirement:
                for path in option:
                    assert branch.parameter(path) is not None, f"{branch.code}: {path} is required but not declared"


def test_a_law_case_naming_a_reform_not_openfisca_sp_s_is_refused_unimported() -> None:
    """A security review: the explorer, the legal index and diff imported any module a law case's ``reforms``
    named; only openfisca-sp's own are imported, as ``openfisca-sp check`` does."""
    with pytest.raises(UncheckedReformError):
        case_system("lao", ("this.Foo",))
    assert "this" not in sys.modules
    assert case_system("lao", ("openfisca_sp.reforms.yaml_reforms.lao_old_age_10_years",)) is not None

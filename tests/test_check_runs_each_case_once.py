"""``openfisca-sp check`` runs each law case once: what a case's run reads serves the legal index's comparison.

An outside review: ``check`` computed every law case a second time to compare ``docs/legal-index.md`` with the rules
(about a third of its time). The run that checks a case's outputs now records the parameter values it reads, and the
legal index takes them where they are what its own run would record (:func:`~.law_case_results.case_results`); a
file changed since, or a case computed otherwise (an output of another period), is computed again.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from openfisca_sp.cli import main
from openfisca_sp.drafting import law_case_results, law_cases, legal_index
from openfisca_sp.drafting.checks import check_all
from openfisca_sp.drafting.law_case_results import case_results
from openfisca_sp.drafting.law_cases import KnownReads, read_cases, reads_of

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "tests" / "rules"
LAO_OLD_AGE = RULES / "lao" / "old_age" / "decree_207_old_age_pension.yaml"
CASE = """\
- name: {name}
  period: 2012-01
  input:
    birth_date: 1952-01-01
    contribution_months: 60
    pension_points: 10
    insured_wage:
      2011: 1200000
  output:
{output}
"""


@pytest.fixture
def simulations(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str]]:
    """How many times each law case (its period and input) is given a simulation, wherever it is built."""
    built: Counter[tuple[str, str]] = Counter()
    real = law_cases.law_case_simulation

    def counted(system: Any, period: Any, situation: Any) -> Any:
        built[(str(period), repr(sorted(situation.items(), key=str)))] += 1
        return real(system, period, situation)

    monkeypatch.setattr(law_cases, "law_case_simulation", counted)
    monkeypatch.setattr(law_case_results, "law_case_simulation", counted)
    return built


def test_check_in_the_checkout_runs_each_law_case_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, simulations: Counter[tuple[str, str]]
) -> None:
    """A checkout whose law cases are one file of Lao PDR's: ``check`` runs each of them once, and tells the legal
    index (generated from all of the checkout's cases) out of date: it was compared."""
    (tmp_path / "parameters").symlink_to(ROOT / "parameters", target_is_directory=True)
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "legal-index.md", tmp_path / "docs" / "legal-index.md")
    cases = tmp_path / "tests" / "rules" / "lao" / "old_age"
    cases.mkdir(parents=True)
    shutil.copy(LAO_OLD_AGE, cases / LAO_OLD_AGE.name)
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1  # the legal index of every case is not that of this one file's
    assert len(read_cases(LAO_OLD_AGE)) >= 5
    assert sum(simulations.values()) == len(read_cases(LAO_OLD_AGE))
    assert set(simulations.values()) == {1}


def test_the_reads_check_records_are_those_the_legal_index_computes() -> None:
    """Each law case's run by ``check`` records what :func:`reads_of` records, or nothing (None) where it computes
    otherwise; nearly every case's reads are recorded."""
    recorded = 0
    cases = [
        (case, path.relative_to(RULES).parts[0]) for path in sorted(RULES.rglob("*.yaml")) for case in read_cases(path)
    ]
    for case, code in cases:
        failures, reads = case_results(case, code, warnings=True, reads=True)
        assert not [each for each in failures if not isinstance(each, law_case_results.UnreadInputNotice)]
        if reads is not None:
            assert reads == reads_of(case, code), (case.file, case.name)
            recorded += 1
    assert recorded >= 0.9 * len(cases)


def test_the_legal_index_from_checks_reads_is_the_one_computed_afresh() -> None:
    known = KnownReads()
    assert check_all([RULES], known=known) == []
    assert legal_index.render(RULES, root=ROOT, known=known) == (ROOT / "docs" / "legal-index.md").read_text("utf-8")


def _write(path: Path, output: str, name: str = "a man of 60 with 5 years") -> Path:
    path.write_text(CASE.format(name=name, output=output), encoding="utf-8")
    return path


def _checked(tmp_path: Path, output: str) -> tuple[Path, KnownReads]:
    """A file of one Lao PDR case expecting ``output``, checked: the file, and what its case read as check ran it."""
    folder = tmp_path / "rules" / "lao"
    folder.mkdir(parents=True)
    path = _write(folder / "case.yaml", output)
    known = KnownReads()
    check_all([path], known=known)
    return path, known


def test_a_case_checked_in_another_period_is_computed_again_for_the_index(tmp_path: Path) -> None:
    """The legal index computes each output in the case's period: check, computing February's, records nothing."""
    path, known = _checked(tmp_path, "    old_age_pension_eligible:\n      2012-02: true")
    assert known.of(path, "lao") == [("a man of 60 with 5 years", None)]
    values = legal_index.index_jurisdiction("lao", tmp_path / "rules", known)
    assert any(value.cases for value in values)


def test_a_file_changed_since_check_ran_it_is_computed_again(tmp_path: Path) -> None:
    path, known = _checked(tmp_path, "    old_age_pension_eligible: true")
    [(name, reads)] = known.of(path, "lao") or []
    assert name == "a man of 60 with 5 years" and reads
    assert known.of(path, "vnm") is None  # another jurisdiction's rules
    _write(path, "    old_age_pension_eligible: true", "renamed")
    assert known.of(path, "lao") is None
    values = legal_index.index_jurisdiction("lao", tmp_path / "rules", known)
    assert {name for value in values for _, name in value.cases} == {"renamed"}

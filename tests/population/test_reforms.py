"""Reforms: YAML parametric reforms are checked with file and line; shipped reforms change what they say."""

from __future__ import annotations

import textwrap

import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.cli import main
from openfisca_sp.reforms import load_reform, shipped_reforms
from openfisca_sp.rules.parametric_reforms import build_parametric_reform, read_parametric_reform
from openfisca_sp.rules.provenance import provenance_of
from openfisca_sp.rules.yaml_files import ParameterFileError

HEADER = """\
label: A test reform
jurisdiction: lao
reference:
  - instrument: A test instrument
    article: Art 1
"""


def write(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "reform.yaml"
    path.write_text(header + textwrap.dedent(body))
    return path


def test_every_shipped_reform_builds_for_its_jurisdictions():
    assert {"lao_maternity_c183", "lao_old_age_10_years", "r202_social_pension", "tjk_maternity_c183"} <= set(
        shipped_reforms()
    )
    assert "tjk" in shipped_reforms()["r202_social_pension"].jurisdictions
    for entry in shipped_reforms().values():
        assert entry.jurisdictions, entry.name
        for code in entry.jurisdictions:
            reform = entry.build(tax_benefit_system(code))
            assert reform.baseline is tax_benefit_system(code)


def test_a_yaml_reform_changes_the_value_from_its_date_and_records_it_as_a_proposal():
    baseline = tax_benefit_system("lao")
    reform = load_reform("lao_maternity_c183", baseline)
    path = "maternity.qualifying_period.minimum_months.live_birth"
    assert baseline.parameters("2026-10-01").maternity.qualifying_period.minimum_months.live_birth == 9
    assert reform.parameters("2026-10-01").maternity.qualifying_period.minimum_months.live_birth == 6
    assert reform.parameters("2025-12-01").maternity.qualifying_period.minimum_months.live_birth == 9
    record = provenance_of(reform).at(path, "2026-10-01")
    assert record.status == "proposal"
    assert record.reference[0]["instrument"].startswith("ILO Maternity Protection Convention")
    assert (
        provenance_of(baseline).at(path, "2026-10-01").status == "unverified"
    )  # the undated NSSF page (S26) dates nothing


def test_the_baseline_is_left_untouched_by_a_reform():
    baseline = tax_benefit_system("lao")
    load_reform("lao_old_age_10_years", baseline)
    assert baseline.parameters("2026-10-01").old_age.qualifying_period.minimum_months == 180
    assert "social_pension" not in baseline.parameters.children  # Lao PDR's law has none
    assert "social_pension" in load_reform("r202_social_pension", baseline).parameters.children
    vnm = tax_benefit_system("vnm")  # the reform replaces the law's social pension in its own copy only
    assert "minimum_age_months" not in load_reform("r202_social_pension", vnm).parameters("2026-10-01").social_pension
    assert vnm.parameters("2026-10-01").social_pension.minimum_age_months == 900


def test_a_reform_is_loaded_from_a_file_or_a_class(tmp_path):
    path = write(tmp_path, "parameters:\n  old_age.qualifying_period.minimum_months:\n    2026-01-01: 150\n")
    reform = load_reform(str(path), tax_benefit_system("lao"))
    assert reform.parameters("2026-10-01").old_age.qualifying_period.minimum_months == 150
    python = load_reform("openfisca_sp.reforms.r202_social_pension:r202_social_pension", tax_benefit_system("vnm"))
    # the reform keeps the law's amount: 500,000 (Decree 176/2025), 540,000 from 1 July 2026 (Decree 335/2026 Art 31(1))
    assert python.parameters("2026-06-01").social_pension.amount == 500000
    assert python.parameters("2026-10-01").social_pension.amount == 540000


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("parameters:\n  old_age.no_such_thing:\n    2026-01-01: 1\n", 8, "no such parameter in the rules of 'lao'"),
        ("parameters:\n  old_age.qualifying_period.minimum_months:\n    2026-01-01: ten\n", 8, "expected a number"),
        ("parameters:\n  maternity.benefit_rate:\n    2026-01-01: 80\n", 8, "a rate is a fraction between 0 and 1"),
        ("parameters:\n  old_age.qualifying_period.minimum_months:\n    2026-01-01: 10.5\n", 8, "whole"),
        ("parameters:\n  old_age.qualifying_period.minimum_months:\n    2026-13-01: 10\n", 8, "not a valid calendar"),
        ("parameters:\n  old_age.qualifying_period.minimum_months:\n    2026-01-01: -1\n", 8, "0 or more"),
        ("parameters:\n  old_age.provided:\n    2026-01-01: 1\n", 8, "expected a boolean"),
        ("parameter:\n  old_age.provided: {}\n", 6, "unexpected key 'parameter'"),
        (  # two dates newest first: a parameter file may run either way, a reform runs oldest first
            "parameters:\n  old_age.qualifying_period.minimum_months:\n    2027-01-01: 120\n    2026-01-01: 150\n",
            9,
            "'2026-01-01' is out of order among the dates of parameter 'old_age.qualifying_period.minimum_months', "
            "which run oldest first in a reform",
        ),
    ],
)
def test_a_bad_yaml_reform_fails_with_its_file_line_and_what_is_wrong(tmp_path, body, line, message):
    path = write(tmp_path, body)
    with pytest.raises(ParameterFileError, match=message) as raised:
        build_parametric_reform(path, tax_benefit_system("lao"))
    assert raised.value.path == str(path)
    assert raised.value.line == line
    assert str(raised.value).startswith(f"{path}:{line}: ")


def test_a_reform_needs_a_reference_and_a_known_jurisdiction(tmp_path):
    with pytest.raises(ParameterFileError, match="a reform needs 'reference'"):
        read_parametric_reform(write(tmp_path, "parameters: {}\n", header="label: x\njurisdiction: lao\n"))
    with pytest.raises(ParameterFileError, match="unknown jurisdiction 'xyz'"):
        read_parametric_reform(write(tmp_path, "parameters: {}\n", header=HEADER.replace("lao", "xyz")))
    # a hunt (stop 77): a list (or mapping) for the jurisdiction raised "TypeError: unhashable type: 'list'"
    with pytest.raises(ParameterFileError, match=r"unknown jurisdiction \['lao'\]; expected one of ilo_c102, lao"):
        read_parametric_reform(write(tmp_path, "parameters: {}\n", header=HEADER.replace("lao", "[lao]")))
    with pytest.raises(ParameterFileError, match="not for 'vnm'"):
        body = "parameters:\n  old_age.qualifying_period.minimum_months:\n    2026-01-01: 120\n"
        build_parametric_reform(write(tmp_path, body), tax_benefit_system("vnm"))


def test_a_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "parameters:\n  a: [1, 2\n")
    with pytest.raises(ParameterFileError, match="invalid YAML") as raised:
        read_parametric_reform(path)
    assert raised.value.line is not None


def test_an_unknown_reform_lists_the_shipped_ones():
    with pytest.raises(ValueError, match="lao_maternity_c183"):
        load_reform("no_such_reform", tax_benefit_system("lao"))
    with pytest.raises(ValueError, match="applies to lao, not to 'vnm'"):
        load_reform("lao_maternity_c183", tax_benefit_system("vnm"))


def test_a_module_class_that_cannot_be_had_is_one_line(capsys):
    """``--reform nomod:Foo`` ended in a ModuleNotFoundError traceback."""
    with pytest.raises(ValueError, match=r"reform 'nomod:Foo': module 'nomod' cannot be imported \(No module named"):
        load_reform("nomod:Foo", tax_benefit_system("lao"))
    with pytest.raises(ValueError, match="reform 'json:Foo': module 'json' has no Reform class 'Foo'"):
        load_reform("json:Foo", tax_benefit_system("lao"))
    assert main(["compare", "sample:lao", "--reform", "nomod:Foo", "--no-progress"]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        "openfisca-sp compare: error: reform 'nomod:Foo': module 'nomod' cannot be imported (No module named 'nomod')"
    )


def test_a_yaml_reform_adds_a_parameter_its_branch_declares_and_the_rules_lack():
    """Tajikistan's maternity benefit has no qualifying condition or rate in the rules: the C183 reform adds them."""
    baseline = tax_benefit_system("tjk")
    reform = load_reform("tjk_maternity_c183", baseline)
    assert "benefit_rate" not in baseline.parameters.maternity.children
    node = reform.parameters("2026-10-01").maternity
    assert node.benefit_rate == pytest.approx(0.6667) and node.qualifying_period.minimum_months.live_birth == 6
    assert node.duration.single_birth == 140  # the Labour Code's leave, from the baseline
    assert "benefit_rate" not in reform.parameters("2025-12-01").maternity  # not before the reform's date
    record = provenance_of(reform).at("maternity.reference_wage.averaging_months", "2026-10-01")
    assert record.status == "proposal" and record.file.endswith("tjk_maternity_c183.yaml") and record.line
    assert reform.parameters.maternity.benefit_rate.metadata["unit"] == "/1"


TJK = HEADER.replace("lao", "tjk")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("parameters:\n  maternity.rate_of_benefit:\n    2026-01-01: 1\n", "no such parameter in the rules of 'tjk'"),
        ("parameters:\n  maternity.benefit_rate:\n    2026-01-01: 0.5\n", "states its unit"),
        (
            "parameters:\n  maternity.benefit_rate:\n    2026-01-01: {value: 80, metadata: {unit: /1}}\n",
            "a rate is a fraction between 0 and 1",
        ),
        (
            "parameters:\n  maternity.qualifying_period.minimum_months.stillbirth:\n"
            "    2026-01-01: {value: 6, metadata: {unit: month}}\n",
            "is not a pregnancy outcome",
        ),
        ("parameters:\n  maternity.duration.single_birth.men:\n    2026-01-01: 1\n", "no such parameter"),
    ],
)
def test_a_parameter_a_reform_adds_is_checked_as_its_branch_declares_it(tmp_path, body, message):
    path = write(tmp_path, body, header=TJK)
    with pytest.raises(ParameterFileError, match=message) as raised:
        build_parametric_reform(path, tax_benefit_system("tjk"))
    assert raised.value.line == 8


def test_a_shipped_reform_loads_beside_a_broken_one(tmp_path, monkeypatch):
    """A drafter's broken file in reforms/ made every shipped reform fail to load, naming that file."""
    import shutil

    import openfisca_sp.reforms as shipped

    for path in [*shipped.REFORMS_DIR.glob("*.yaml"), *shipped.REFORMS_DIR.glob("[!_]*.py")]:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken.yaml").write_text("label: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(shipped, "REFORMS_DIR", tmp_path)
    lao = tax_benefit_system("lao")
    assert load_reform("lao_maternity_c183", lao) is not None
    assert load_reform("r202_social_pension", lao) is not None
    with pytest.raises(ValueError, match="applies to lao, not to 'vnm'"):
        load_reform("lao_maternity_c183", tax_benefit_system("vnm"))
    shipped_reforms.cache_clear()
    try:
        with pytest.raises(ParameterFileError, match=r"broken\.yaml"):
            shipped_reforms()  # the listing still names the broken file
    finally:
        shipped_reforms.cache_clear()  # the next caller lists the real folder

"""Every parameter value cites its law and says how sure we are; bad files fail loudly."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from openfisca_core.periods import DateUnit
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable

from openfisca_sp import SocialProtectionSystem, tax_benefit_system
from openfisca_sp.population.outputs import branch_outputs
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.branches.model import BOOLEAN, NUMBER, SCALE
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.parameter_checks import STATUSES
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.parameter_names import declarations
from openfisca_sp.rules.parametric_reforms import build_parametric_reform
from openfisca_sp.rules.provenance import build_index, provenance_of
from openfisca_sp.rules.readiness import (
    REFERENCE_POPULATION,
    branches_of,
    check_rules,
    days_to_check,
    reference_problems,
    reference_simulation,
    results_to_check,
)
from openfisca_sp.rules.yaml_files import ParameterFileError, read_yaml
from tests.broken_rules import TextMinimumMonths

CODES = sorted(jurisdictions.registry())


@pytest.mark.parametrize("code", CODES)
def test_every_value_has_a_reference_and_a_status(code: str) -> None:
    index = build_index(tax_benefit_system(code).parameters)
    assert index.history, f"{code} has no parameters"
    missing = [
        f"{record.parameter}@{record.start}"
        for records in index.history.values()
        for record in records
        if record.value is not None and (record.status not in STATUSES or not record.reference)
    ]
    assert not missing, f"values without reference or status in {code}: {missing}"


@pytest.mark.parametrize("code", CODES)
def test_every_reference_names_its_instrument(code: str) -> None:
    index = build_index(tax_benefit_system(code).parameters)
    for records in index.history.values():
        for record in records:
            for reference in record.reference:
                assert reference.get("instrument"), f"{record.parameter}@{record.start}: reference without instrument"


# The days the International Labour Conference adopted each Convention the reference scheme encodes.
ADOPTED = {"c102": "1952-06-28", "c128": "1967-06-29", "c168": "1988-06-21", "c183": "2000-06-15"}


def test_a_convention_s_values_start_on_the_day_it_was_adopted() -> None:
    """An outside review: C128, C168 and C183 values started on 1 January of their year (C168 on 1988-01-01,
    adopted on 21 June 1988), in force for months before the Convention existed."""
    starts: dict[str, set[str]] = {}
    for name, records in provenance_of(tax_benefit_system("ilo_c102")).history.items():
        parts = name.split(".")
        code = parts[1] if parts[0] == "higher_standards" else "c102"
        starts.setdefault(code, set()).update(record.start for record in records)
    assert {code: min(days) for code, days in starts.items()} == ADOPTED


def test_the_default_jurisdiction_is_lao() -> None:
    assert jurisdictions.default_code() == "lao"


def test_unknown_jurisdiction_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="unknown jurisdiction 'xyz'; known jurisdictions"):
        jurisdictions.get("xyz")


def _write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
description: Pensionable age of men, in months
metadata:
  unit: month
  reference:
    - instrument: A law
      article: Art 1
      href: http://x.org
  status: verified
values:
  2020-01-01: 720
"""

BAD_FILES = {
    "missing status": (
        "description: x\nmetadata:\n  reference:\n    - {instrument: A law, article: Art 1, href: http://x.org}\nvalues:\n  2020-01-01: 1\n",
        6,
        "has no status",
    ),
    "missing reference": (
        "description: x\nvalues:\n  2020-01-01:\n    value: 1\n    metadata:\n      status: verified\n",
        3,
        "has no reference",
    ),
    "unknown status": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: sure\nvalues:\n  2020-01-01: 1\n",
        4,
        "status 'sure'",
    ),
    "bad date": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\nvalues:\n  2020-13-01: 1\n",
        6,
        "not a valid calendar date",
    ),
    "not a date": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\nvalues:\n  soon: 1\n",
        6,
        "is not a date",
    ),
    "wrong value type": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\nvalues:\n"
        "  2020-01-01:\n    value: {a: 1}\n",
        6,
        "must be a number",
    ),
    "duplicate key": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\nvalues:\n"
        "  2020-01-01: 1\n  2020-01-01: 2\n",
        7,
        "duplicate key",
    ),
    "unknown key": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\nvalu: 3\n"
        "values:\n  2020-01-01: 1\n",
        5,
        "unexpected key 'valu'",
    ),
    "empty metadata": ("description: x\nmetadata:\nvalues:\n  2020-01-01: 1\n", 2, "'metadata' of parameter"),
    "misspelt metadata key on a value": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\nvalues:\n"
        "  2020-01-01:\n    value: 1\n    metadata:\n      stauts: unverified\n",
        9,
        "unexpected key 'stauts' in the metadata of the value of parameter 'old_age.pensionable_age' at "
        "2020-01-01; did you mean 'status'?",
    ),
    "misspelt metadata key on a parameter": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\n  unti: month\n"
        "values:\n  2020-01-01: 1\n",
        5,
        "did you mean 'unit'?",
    ),
    "invalid yaml": ("description: x\nvalues: [1,\n", 3, "invalid YAML"),
    # an outside review (a legal drafter): a reference written without its leading '- ' was told only "a list"
    "reference written without its dash": (
        "description: x\nmetadata:\n  reference:\n    instrument: A\n    article: Art 1\n    href: http://x.org\n"
        "  status: verified\nvalues:\n  2020-01-01: 1\n",
        3,
        "'reference' of parameter 'old_age.pensionable_age' is written as one mapping, where it is a list: begin "
        "each reference with '- ' under 'reference:'",
    ),
    "reference without instrument": (
        "description: x\nmetadata:\n  reference:\n    - article: Art 1\n  status: verified\nvalues:\n  2020-01-01: 1\n",
        4,
        "needs an 'instrument'",
    ),
    "python object tag": (
        "description: !!python/object/apply:os.system ['true']\nvalues:\n  2020-01-01: 1\n",
        1,
        "invalid YAML",
    ),
    # found by an outside review of the drafter's work: each loaded, and gave wrong answers or took the server down
    "octal number": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\nvalues:\n  2020-01-01: 060\n",
        6,
        "'060' is read by this YAML reader as an octal number, for its leading zero, 48, and by others (YAML 1.2, "
        "editors) otherwise: write the number in plain decimal digits (60?)",
    ),
    "hexadecimal number": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\nvalues:\n  2020-01-01: 0x3C\n",
        6,
        "'0x3C' is read by this YAML reader as a hexadecimal number, 60",
    ),
    "base-60 number": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\nvalues:\n  2020-01-01: 1:00\n",
        6,
        "a base-60 number (1:00 is 60)",
    ),
    "alias bomb": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\n"
        "  note: [&a [lol, lol], &b [*a, *a], &c [*b, *b]]\nvalues:\n  2020-01-01: 1\n",
        5,
        "the value anchored here (&name) is repeated by an alias (*name)",
    ),
    "blank article": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: ' ', href: http://x.org}]\n  status: verified\nvalues:\n"
        "  2020-01-01: 1\n",
        3,
        "each reference of parameter 'old_age.pensionable_age' needs an 'article', as text",
    ),
    "article as a number": (
        "description: x\nmetadata:\n  reference:\n    - instrument: A\n      article: 5\n  status: verified\nvalues:\n"
        "  2020-01-01: 1\n",
        5,
        "is 5, a number: write it as text, with its word (article: Art 5)",
    ),
    # an outside review (a legal drafter): a reference naming only its instrument passed, even as verified
    "reference without article": (
        "description: x\nvalues:\n  2020-01-01:\n    value: 1\n    metadata:\n      status: verified\n"
        "      reference: [{instrument: x}]\n",
        7,
        "each reference of the value of parameter 'old_age.pensionable_age' at 2020-01-01 needs an 'article', as "
        'text: the article or passage of the instrument that sets the value ("Art 50(2)"); where the source names '
        'none, write what it says (article: "not stated in the source (…)")',
    ),
    "blank instrument": (
        "description: x\nmetadata:\n  reference: [{instrument: ' '}]\n  status: verified\nvalues:\n  2020-01-01: 1\n",
        3,
        "needs an 'instrument'",
    ),
    "link that is no web address": (
        "description: x\nmetadata:\n  reference:\n    - instrument: A\n      href: javascript:alert(1)\n      article: Art 1\n"
        "  status: verified\nvalues:\n  2020-01-01: 1\n",
        5,
        ", 'javascript:alert(1)', is not a web address: write it whole, beginning http:// or https:// and the name "
        "of its site",
    ),
    "a date out of order": (
        "description: x\nmetadata:\n  reference: [{instrument: A, article: Art 1, href: http://x.org}]\n  status: verified\nvalues:\n"
        "  2001-07-01: 1\n  2031-07-01: 2\n  2014-01-01: 3\n  2020-01-01: 4\n",
        8,
        "'2014-01-01' is out of order among the dates of parameter 'old_age.pensionable_age', which run oldest "
        "first ('2031-07-01' comes before it): a mistyped year?",
    ),
}

A_SCALE = """\
description: Months of benefit by months of contributions
metadata:
  reference: [{instrument: A law, article: Art 50, href: http://x.org}]
  status: verified
  threshold_unit: month
  amount_unit: month
brackets:
  - threshold:
      2015-01-01: 12
    amount:
      2015-01-01: 3
  - threshold:
      2015-01-01: 48
      2020-01-01:
        value: 8
        metadata: {status: verified, reference: [{instrument: A decree of 2020, article: Art 2, href: http://x.org}]}
    amount:
      2015-01-01: 4
"""


def test_a_scale_whose_thresholds_do_not_rise_is_refused_at_the_threshold(tmp_path: Path) -> None:
    """A threshold of 48 months typed 8 loaded, and Viet Nam's unemployment benefit ran 3 months, not 4."""
    bad = _write(tmp_path, "unemployment/duration/by_contribution_months.yaml", A_SCALE)
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(tmp_path, check_names_read=False)
    assert str(raised.value) == (
        f"{bad}:14: scale 'unemployment.duration.by_contribution_months': on 2020-01-01, the threshold of bracket 2 "
        "(8) is not above that of bracket 1 (12): a scale's thresholds rise from one bracket to the next"
    )
    _write(
        tmp_path,
        "unemployment/duration/by_contribution_months.yaml",
        A_SCALE.replace("value: 8", "value: 24"),
    )
    assert load_parameters(tmp_path, check_names_read=False) is not None


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("minimum_months.yaml.txt", "its name ends in .txt after .yaml (added by an editor?)"),
        ("minimum_months.YAML", "its ending is not .yaml in lower case"),
        ("notes.txt", "only files whose names end in .yaml are parameters"),
    ],
)
def test_a_file_of_a_parameter_folder_that_is_not_read_is_named(tmp_path: Path, name: str, why: str) -> None:
    """A parameter saved as minimum_months.yaml.txt was left out without a word, and its rule with it."""
    _write(tmp_path, "old_age/pensionable_age.yaml", GOOD)
    stray = _write(tmp_path, f"old_age/{name}", GOOD)
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(tmp_path, check_names_read=False)
    assert str(raised.value).startswith(f"{stray}: not read: {why}; rename it")
    stray.unlink()
    _write(tmp_path, "old_age/.hidden.txt", "an editor's file")
    assert load_parameters(tmp_path, check_names_read=False) is not None


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_malformed_parameter_file_names_its_path_and_line(tmp_path: Path, case: str) -> None:
    text, line, message = BAD_FILES[case]
    bad = _write(tmp_path, "old_age/pensionable_age.yaml", text)
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(tmp_path)
    error = raised.value
    assert error.path == str(bad)
    assert error.line == line, str(error)
    assert message in str(error)
    assert str(error).startswith(f"{bad}:{line}: ")


@pytest.mark.parametrize(
    ("metadata", "line", "message"),
    [
        ("metadata:\n", 2, "'metadata' of group 'old_age' is empty"),
        ("metadata:\n  stauts: verified\n", 3, "unexpected key 'stauts' in the metadata of group 'old_age'"),
    ],
)
def test_a_folder_index_with_empty_or_misspelt_metadata_names_its_line(
    tmp_path: Path, metadata: str, line: int, message: str
) -> None:
    """An empty ``metadata:`` crashed openfisca-core with a TypeError and no file; a misspelt key was dropped."""
    _write(tmp_path, "old_age/pensionable_age.yaml", GOOD)
    index = _write(tmp_path, "old_age/index.yaml", "description: Old age\n" + metadata)
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(tmp_path)
    assert str(raised.value).startswith(f"{index}:{line}: ") and message in str(raised.value)


def test_a_good_file_loads_and_values_inherit_provenance(tmp_path: Path) -> None:
    _write(tmp_path, "old_age/pensionable_age.yaml", GOOD)
    parameters = load_parameters(tmp_path)
    assert parameters("2021-01-01").old_age.pensionable_age == 720
    record = build_index(parameters).at("old_age.pensionable_age", "2021-01-01")
    assert record.status == "verified"
    assert record.reference[0]["article"] == "Art 1"


# Values of the wrong kind (issue 11): refused at load with file, line and what was expected.


def _dated(unit: str, entry: str) -> str:
    """A parameter file whose one dated value (line 9 is its date) is ``entry``, indented under the date."""
    return (
        "description: x\nmetadata:\n"
        f"  unit: {unit}\n"
        "  reference:\n    - {instrument: A law, article: Art 1,\n       href: http://x.org}\n  status: verified\nvalues:\n"
        f"  2020-01-01:{entry}\n"
    )


def _scale(threshold: str, amount: str) -> str:
    """A scale whose first bracket's threshold value is on line 9, and its amount on line 11."""
    return (
        "description: x\nmetadata:\n  threshold_unit: month\n  amount_unit: month\n"
        "  reference:\n    - {instrument: A law, article: Art 1, href: http://x.org}\n  status: verified\nbrackets:\n"
        f"  - threshold: {{2020-01-01: {threshold}}}\n"
        "    amount:\n"
        f"      2020-01-01: {amount}\n"
    )


MONTHS = "old_age/qualifying_period/minimum_months.yaml"
EXPECTED_MONTHS = "expected a number of months (0 or more)"
WRONG_KINDS = {
    "text": (MONTHS, _dated("month", "\n    value: sixty"), 10, f"value 'sixty' is not a number; {EXPECTED_MONTHS}"),
    "quoted number": (MONTHS, _dated("month", " '660'"), 9, "value '660' is not a number but quoted text"),
    # an outside review: these were said to be quoted, and the advice to remove the quotes changed nothing
    "Lao digits": (
        MONTHS,
        _dated("month", " ໖໐"),
        9,
        "is text written in Lao digits: write the number in the digits 0 to 9 (60)",
    ),
    "fullwidth digits": (MONTHS, _dated("month", " ６０"), 9, "is text written in Fullwidth digits"),
    "exponent without a point": (
        MONTHS,
        _dated("month", " 6e1"),
        9,
        "is text: YAML reads a number with an exponent but no decimal point as text; write 60 or 6.0e+1",
    ),
    # an outside review: a value citing a newspaper, no status, was counted verified by its parameter's status
    "own reference, no status": (
        MONTHS,
        _dated(
            "month",
            "\n    value: 60\n    metadata:\n      reference:\n        - {instrument: A newspaper, article: p. 1, href: http://x.org}",
        ),
        12,
        "cites its own reference but states no status: a value's status goes with the source it rests on",
    ),
    # an outside review: an age in years where months are read passed every check and every law case
    "age in years": (
        "old_age/pensionable_age/women.yaml",
        _dated("month", " 55"),
        9,
        "is 55: a law sets an age of 480 to 960 months (40 to 80 years): if 55 is in years, write 660",
    ),
    # a fuzz run: 10**23 months of qualifying period was taken, and no one could ever qualify
    "months beyond a century": (
        MONTHS,
        _dated("month", " 100000000000000000000000"),
        9,
        "is 100000000000000000000000: a law counts no more than a century (1,200 months)",
    ),
    "days beyond a century": (
        "maternity/duration/single_birth.yaml",
        _dated("day", " 40000"),
        9,
        "is 40000: a law counts no more than a century (36,525 days)",
    ),
    "a duration in months beyond a century": (  # bounded by its own unit, not by the days a duration may count
        "maternity/duration/single_birth.yaml",
        _dated("month", " 5000"),
        9,
        "is 5000: a law counts no more than a century (1,200 months)",
    ),
    # an outside review: a first date mistyped 0201 passed check (only dates out of order were caught)
    "mistyped year": (
        MONTHS,
        _dated("month", " 60").replace("2020-01-01", "0201-07-01"),
        9,
        "'0201-07-01' is outside the calendar the rules are asked in (1900-01-01 to 2199-12-31): a mistyped year?",
    ),
    # an outside review: "value:" for "values:" gave 14 problems, none of them this one
    "value for values": (
        MONTHS,
        _dated("month", " 60").replace("values:", "value:"),
        8,
        "'value' holds dated values, so it is no parameter of its own: a parameter's dated values are under "
        "'values' (did you mean 'values'?)",
    ),
    # and a null that ends a rule said nothing of why
    "null without a note": (
        MONTHS,
        _dated("month", " null"),
        9,
        "is null (the rule is not modelled from then) and does not say why: give metadata.note",
    ),
    # an outside review: "0,9" was said to be quoted, and the advice repeated it unchanged
    "decimal comma": (
        MONTHS,
        _dated("month", " 0,9"),
        9,
        "value '0,9' is text: YAML reads no decimal comma; write 0.9",
    ),
    "thousands separators": (
        MONTHS,
        _dated("month", " 1,800,000"),
        9,
        "value '1,800,000' is text: YAML reads no thousands separator; write 1800000",
    ),
    "empty value": (MONTHS, _dated("month", "\n    value:\n    metadata: {}"), 10, f"is empty; {EXPECTED_MONTHS}"),
    "empty date": (MONTHS, _dated("month", ""), 9, f"is empty; {EXPECTED_MONTHS}, or null written out"),
    "list": (MONTHS, _dated("month", " [60]"), 9, f"value [60] is a list, not a number; {EXPECTED_MONTHS}"),
    "mapping": (
        MONTHS,
        _dated("month", "\n    value: {months: 60}"),
        9,
        f"must be a number, a boolean, a string, a list of those, or null; {EXPECTED_MONTHS}",
    ),
    "boolean for a number": (
        MONTHS,
        _dated("month", " true"),
        9,
        f"value true is a boolean, not a number; {EXPECTED_MONTHS}",
    ),
    "number for a boolean": (
        "old_age/provided.yaml",
        _dated("none", " 1"),
        9,
        "value 1 is not a boolean; expected a boolean (true or false)",
    ),
    "text for a boolean": ("maternity/provided.yaml", _dated("none", " 'true'"), 9, "value 'true' is not a boolean"),
    "negative months": (MONTHS, _dated("month", "\n    value: -12"), 10, f"value -12 is negative; {EXPECTED_MONTHS}"),
    "months by sex": (
        "old_age/pensionable_age/men.yaml",
        _dated("month", " sixty"),
        9,
        f"value 'sixty' is not a number; {EXPECTED_MONTHS}",
    ),
    "fraction of a month": (MONTHS, _dated("month", " 12.5"), 9, "value 12.5 is not a whole number of months"),
    "negative days": (
        "unemployment/waiting_days.yaml",
        _dated("day", " -5"),
        9,
        "value -5 is negative; expected a number of days",
    ),
    "negative weeks": ("higher_standards/c183/leave_weeks.yaml", _dated("week", " -14"), 9, "a number of weeks"),
    "negative years": (
        "old_age/replacement_rate/base_years.yaml",
        _dated("year", " -15"),
        9,
        "expected a number of years (0 or more)",
    ),
    "negative amount": (
        "insured_wage/ceiling.yaml",
        _dated("LAK per month", " -1"),
        9,
        "value -1 is negative; expected an amount in LAK per month (0 or more)",
    ),
    "negative rate": ("old_age/pension_point_rate.yaml", _dated("/1", " -0.1"), 9, "expected a rate (from 0 to 1)"),
    "rate above 1": ("maternity/benefit_rate.yaml", _dated("/1", " 80"), 9, "a rate is a fraction between 0 and 1"),
    "negative reference amount": (
        "reference_amounts/base_salary.yaml",
        _dated("currency", " -1"),
        9,
        "expected an amount (0 or more)",
    ),
    "negative multiple": (
        "old_age/minimum_pension/base_salary.yaml",
        _dated("times the base salary", " -1"),
        9,
        "value -1 is negative; expected a multiple of the base salary (0 or more)",
    ),
    "unknown name": (
        "maternity/duration/unit.yaml",
        _dated("none", " month"),
        9,
        "value 'month' is not a DurationUnit name "
        "allowed here (did you mean 'months'?); expected one of days, weeks, months",
    ),
    "unknown name in a list": (
        "unemployment/covered_separation_reasons.yaml",
        _dated("none", " [dismissal, fired]"),
        9,
        "holds 'fired', which is not a SeparationReason name",
    ),
    "text for a list": (
        "unemployment/covered_separation_reasons.yaml",
        _dated("none", " dismissal"),
        9,
        "value 'dismissal' is text, not a list; expected a list of SeparationReason names",
    ),
    "negative threshold": (
        "unemployment/duration/by_contribution_months.yaml",
        _scale("-12", "3"),
        9,
        f"value -12 is negative; {EXPECTED_MONTHS}",
    ),
    "threshold beyond a century": (
        "unemployment/duration/by_contribution_months.yaml",
        _scale("100000000000000000000000", "3"),
        9,
        "the threshold of bracket 1 of scale 'unemployment.duration.by_contribution_months' at 2020-01-01 is "
        "100000000000000000000000: a law counts no more than a century (1,200 months)",
    ),
    "amount beyond a century": (
        "unemployment/duration/by_contribution_months.yaml",
        _scale("12", "5000"),
        11,
        "the amount of bracket 1 of scale 'unemployment.duration.by_contribution_months' at 2020-01-01 is 5000",
    ),
    "text amount in a scale": (
        "unemployment/duration/by_contribution_months.yaml",
        _scale("12", "three"),
        11,
        "value 'three' is not a number",
    ),
    "values for a scale": (
        "unemployment/duration/by_contribution_months.yaml",
        _dated("month", " 3"),
        8,
        "is a scale (brackets, each with a threshold and an amount or a rate): write 'brackets', not 'values'",
    ),
    "scale for a number": (MONTHS, _scale("0", "3"), 8, "is not a scale; expected 'values', each a number (0 or more)"),
}


@pytest.mark.parametrize("case", sorted(WRONG_KINDS))
def test_a_value_of_the_wrong_kind_is_refused_with_file_line_and_what_was_expected(tmp_path: Path, case: str) -> None:
    relative, text, line, message = WRONG_KINDS[case]
    bad = _write(tmp_path, relative, text)
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(tmp_path)
    error = raised.value
    assert (error.path, error.line) == (str(bad), line), str(error)
    assert message in str(error)
    assert str(error).startswith(f"{bad}:{line}: ")


def test_an_age_neither_in_months_nor_in_years_is_given_no_impossible_value_to_write(tmp_path: Path) -> None:
    """An outside review: 9000 months was told "if 9000 is in years, write 108000", outside the ages a law sets."""
    bad = _write(tmp_path, "old_age/pensionable_age/women.yaml", _dated("month", " 9000"))
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(tmp_path)
    assert str(raised.value) == (
        f"{bad}:9: the value of parameter 'old_age.pensionable_age.women' at 2020-01-01 is 9000: a law sets an age of "
        "480 to 960 months (40 to 80 years)"
    )


def test_the_issue_s_example_names_file_line_and_cause(tmp_path: Path) -> None:
    folder = tmp_path / "vnm"
    shutil.copytree(jurisdictions.get("vnm").parameters_dir, folder)
    path = folder / MONTHS
    path.write_text(path.read_text(encoding="utf-8").replace("value: 240", "value: sixty", 1), encoding="utf-8")
    with pytest.raises(ParameterFileError) as raised:
        SocialProtectionSystem(jurisdictions.read_jurisdiction(folder))
    assert str(raised.value) == f"{path}:7: value 'sixty' is not a number; {EXPECTED_MONTHS}"


@pytest.mark.parametrize("null", ["null", "~", "Null"])
def test_null_written_out_ends_the_value_in_force(tmp_path: Path, null: str) -> None:
    text = _dated("month", " 60") + f"  2025-01-01:\n    value: {null}\n    metadata:\n      note: repealed\n"
    _write(tmp_path, MONTHS, text)
    parameters = load_parameters(tmp_path)
    assert parameters("2024-06-01").old_age.qualifying_period.minimum_months == 60
    assert "minimum_months" not in parameters("2025-06-01").old_age.qualifying_period  # no value in force


@pytest.mark.parametrize("code", CODES)
def test_every_shipped_parameter_file_loads_with_values_of_their_kind(code: str) -> None:
    parameters = load_parameters(jurisdictions.get(code).parameters_dir)
    assert set(parameters.children) >= {"old_age", "maternity", "unemployment", "disability"}


def test_a_shipped_value_ended_with_null_loads_as_no_value_in_force() -> None:
    parameters = load_parameters(jurisdictions.get("vnm").parameters_dir)
    assert parameters("2025-06-01").unemployment.waiting_days == 15
    assert "waiting_days" not in parameters("2026-06-01").unemployment


def test_a_declared_kind_is_known_for_every_value_a_branch_reads() -> None:
    declared = declarations()
    assert declared("old_age.provided").value_kind == BOOLEAN
    assert declared("old_age.pensionable_age.women").value_kind == NUMBER
    assert declared("maternity.qualifying_period.minimum_months.live_birth").value_kind == NUMBER
    assert declared("unemployment.duration.by_contribution_months").value_kind == SCALE
    assert declared("unemployment.covered_separation_reasons").value_kind.of == "SeparationReason"
    assert declared("reference_amounts.base_salary.region_1").value_kind == NUMBER
    assert declared("old_age.no_such_name") is None


REFORM = """\
label: A test reform
jurisdiction: {code}
reference:
  - instrument: A test instrument
    article: Art 1
parameters:
  {path}:
    2027-01-01:{value}
"""
BAD_REFORMS = {
    "text": (
        "lao",
        "old_age.qualifying_period.minimum_months",
        " sixty",
        8,
        f"value 'sixty' is not a number; {EXPECTED_MONTHS}",
    ),
    "age in years": (
        "lao",
        "old_age.pensionable_age.women",
        " 58",
        8,
        "is 58: a law sets an age of 480 to 960 months (40 to 80 years): if 58 is in years, write 696",
    ),
    "quoted number": (
        "lao",
        "insured_wage.ceiling",
        " '4500000'",
        8,
        "value '4500000' is not a number but quoted "
        "text (write it without quotes: 4500000); expected an amount in LAK per month (0 or more)",
    ),
    "empty": (
        "lao",
        "old_age.qualifying_period.minimum_months",
        "",
        8,
        "is empty; expected a value, or null written out",
    ),
    "empty value": ("lao", "old_age.qualifying_period.minimum_months", "\n      value:", 9, "is empty"),
    "list": ("lao", "old_age.qualifying_period.minimum_months", " [120]", 8, "value [120] is a list, not a number"),
    "boolean for a number": ("lao", "maternity.benefit_rate", " true", 8, "value true is a boolean, not a number"),
    "number for a boolean": ("lao", "maternity.provided", " 0", 8, "value 0 is not a boolean"),
    "negative days": ("vnm", "unemployment.waiting_days", " -1", 8, "value -1 is negative; expected a number of days"),
    "negative threshold": (
        "vnm",
        "unemployment.duration.by_contribution_months.brackets[0].threshold",
        " -12",
        8,
        f"value -12 is negative; {EXPECTED_MONTHS}",
    ),
    "unknown name": ("vnm", "unemployment.duration.unit", " month", 8, "did you mean 'months'?"),
    "months beyond a century": (
        "lao",
        "old_age.qualifying_period.minimum_months",
        " 100000000000000000000000",
        8,
        "is 100000000000000000000000: a law counts no more than a century (1,200 months)",
    ),
    "scale threshold beyond a century": (
        "vnm",
        "unemployment.duration.by_contribution_months.brackets[0].threshold",
        " 100000000000000000000000",
        8,
        "is 100000000000000000000000: a law counts no more than a century (1,200 months)",
    ),
    "days beyond a century": (
        "vnm",
        "unemployment.waiting_days",
        " 40000",
        8,
        "is 40000: a law counts no more than a century (36,525 days)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_REFORMS))
def test_a_yaml_reform_with_a_bad_value_is_refused(tmp_path: Path, case: str) -> None:
    code, name, value, line, message = BAD_REFORMS[case]
    path = tmp_path / "reform.yaml"
    path.write_text(REFORM.format(code=code, path=name, value=value), encoding="utf-8")
    with pytest.raises(ParameterFileError) as raised:
        build_parametric_reform(path, tax_benefit_system(code))
    assert (raised.value.path, raised.value.line) == (str(path), line), str(raised.value)
    assert message in str(raised.value)


def test_a_yaml_reform_s_reference_needs_its_article(tmp_path: Path) -> None:
    """A reform's reference follows the parameter files' rule: instrument and article."""
    path = tmp_path / "reform.yaml"
    text = REFORM.format(code="lao", path="maternity.benefit_rate", value=" 0.9").replace("    article: Art 1\n", "")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterFileError) as raised:
        build_parametric_reform(path, tax_benefit_system("lao"))
    assert raised.value.line == 4 and raised.value.reason.startswith("each reference of the reform needs an 'article'")


def test_a_yaml_reform_may_end_a_value_with_null(tmp_path: Path) -> None:
    path = tmp_path / "reform.yaml"
    path.write_text(REFORM.format(code="lao", path="insured_wage.ceiling", value=" null"), encoding="utf-8")
    reform = build_parametric_reform(path, tax_benefit_system("lao"))
    assert reform.parameters("2026-06-01").insured_wage.ceiling > 0
    assert "ceiling" not in reform.parameters("2027-06-01").insured_wage  # no ceiling from 2027


# Readiness: the rules that load also run, on a reference population, on every day the law changes.


@pytest.mark.parametrize("code", CODES)
def test_the_reference_population_is_decided_by_every_branch_on_every_day_the_law_changes(code: str) -> None:
    system = tax_benefit_system(code)
    assert check_rules(system) == []
    checked = set(results_to_check(system))
    for branch in branches_of(system):
        assert set(branch_outputs(branch)) <= checked, branch.code
    days = days_to_check(system, datetime.date(2024, 6, 15))
    assert days[-1] == datetime.date(2024, 6, 15)
    starts = {record.start for records in provenance_of(system).history.values() for record in records}
    assert {day.isoformat() for day in days[:-1]} == starts
    simulation = reference_simulation(system, datetime.date(2024, 6, 15), REFERENCE_POPULATION)
    assert simulation.calculate("old_age_pension_eligible", "2024-06")[:2].all()  # the two older persons
    assert not simulation.calculate("old_age_pension_eligible", "2024-06")[2:4].any()  # the two younger ones


def test_a_reform_s_own_branch_is_checked_too() -> None:
    reformed = load_reform("r202_social_pension", tax_benefit_system("vnm"))
    assert "social_pension_eligible" in results_to_check(reformed)
    assert check_rules(reformed, [datetime.date(2027, 1, 1)]) == []


class _BrokenFormula(Reform):
    """A formula that reads a parameter no file sets."""

    def apply(self) -> None:
        class maternity_reference_wage(Variable):
            value_type = float
            entity = Person
            label = "Broken on purpose"
            definition_period = DateUnit.MONTH

            def formula(person, period, parameters):  # noqa: N805 - an OpenFisca formula
                return person("insured_wage", period) * parameters(period).maternity.no_such_parameter

        self.update_variable(maternity_reference_wage)


def test_a_parameter_that_makes_a_formula_fail_is_reported_not_ready() -> None:
    problems = check_rules(TextMinimumMonths(tax_benefit_system("lao")))
    assert len(problems) == 1, problems
    assert problems[0].startswith("lao: old_age_pension_eligible, ")
    assert "on 2030-01-01" in problems[0] and "days checked" in problems[0]
    assert "Traceback" not in problems[0]


def test_a_broken_formula_is_reported_once_not_ready() -> None:
    system = _BrokenFormula(tax_benefit_system("vnm"))
    problems = reference_problems(system)
    assert len(problems) == 1, problems
    assert problems[0].startswith("vnm: maternity_")
    assert "maternity_reference_wage" in problems[0] and "ParameterNotFoundError" in problems[0]
    assert reference_problems(system) == problems  # kept for the system: /ready pays once


def test_a_yaml_file_too_large_for_a_rules_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """A security review: a 57 MB reform (a valid reform and 3 million lines under an unknown key) took 77 s and
    3.2 GB before its unknown key was refused."""
    huge = tmp_path / "huge.yaml"
    huge.write_text("label: x\nextra:\n" + "  - 1\n" * 1_000_000, encoding="utf-8")
    with pytest.raises(ParameterFileError, match=r"huge\.yaml: 6,000,016 bytes: a rules file is at most 4,194,304"):
        read_yaml(huge)

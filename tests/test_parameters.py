"""Every parameter value cites its law and says how sure we are; bad files fail loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.parameter_checks import STATUSES
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.provenance import build_index
from openfisca_sp.rules.yaml_files import ParameterFileError

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
  reference:
    - instrument: A law
      article: Art 1
  status: verified
values:
  2020-01-01: 720
"""

BAD_FILES = {
    "missing status": (
        "description: x\nmetadata:\n  reference:\n    - instrument: A law\nvalues:\n  2020-01-01: 1\n",
        6,
        "has no status",
    ),
    "missing reference": (
        "description: x\nvalues:\n  2020-01-01:\n    value: 1\n    metadata:\n      status: verified\n",
        3,
        "has no reference",
    ),
    "unknown status": (
        "description: x\nmetadata:\n  reference: [{instrument: A}]\n  status: sure\nvalues:\n  2020-01-01: 1\n",
        4,
        "status 'sure'",
    ),
    "bad date": (
        "description: x\nmetadata:\n  reference: [{instrument: A}]\n  status: verified\nvalues:\n  2020-13-01: 1\n",
        6,
        "not a valid calendar date",
    ),
    "not a date": (
        "description: x\nmetadata:\n  reference: [{instrument: A}]\n  status: verified\nvalues:\n  soon: 1\n",
        6,
        "is not a date",
    ),
    "wrong value type": (
        "description: x\nmetadata:\n  reference: [{instrument: A}]\n  status: verified\nvalues:\n"
        "  2020-01-01:\n    value: {a: 1}\n",
        6,
        "must be a number",
    ),
    "duplicate key": (
        "description: x\nmetadata:\n  reference: [{instrument: A}]\n  status: verified\nvalues:\n"
        "  2020-01-01: 1\n  2020-01-01: 2\n",
        7,
        "duplicate key",
    ),
    "unknown key": (
        "description: x\nmetadata:\n  reference: [{instrument: A}]\n  status: verified\nvalu: 3\n"
        "values:\n  2020-01-01: 1\n",
        5,
        "unexpected key 'valu'",
    ),
    "invalid yaml": ("description: x\nvalues: [1,\n", 3, "invalid YAML"),
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
}


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


def test_a_good_file_loads_and_values_inherit_provenance(tmp_path: Path) -> None:
    _write(tmp_path, "old_age/pensionable_age.yaml", GOOD)
    parameters = load_parameters(tmp_path)
    assert parameters("2021-01-01").old_age.pensionable_age == 720
    record = build_index(parameters).at("old_age.pensionable_age", "2021-01-01")
    assert record.status == "verified"
    assert record.reference[0]["article"] == "Art 1"

"""Five slips a drafter makes adding a dated value (the README's tour: a new ceiling from 2026): each stops the
rules loading, and ``check`` tells it, at its file and line, with what was expected there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from openfisca_sp.drafting.checks import check
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.yaml_files import ParameterFileError

VALUE = [
    "  2026-01-01:",
    "    value: 5000000",
    "    metadata:",
    "      status: unverified",
    "      reference:",
    "        - instrument: A drafter's decision",
    "          article: Art 3",
    "          href: https://example.org/decision",
]
MISTAKES = {  # the slip: the line of VALUE written otherwise (None: it and those after it left out), the line told,
    # what is told
    "wrong indentation": (
        (3, "       status: unverified"),
        4,
        "bad indentation: line {4} is indented 6 spaces, in line with no key above it: the keys of the mapping from "
        "line {1} are indented 4, and line {3}, above it, 7; keys of one mapping line up, and a key under another is "
        "indented two spaces more than that key",
    ),
    "a month 13": (
        (0, "  2026-13-01:"),
        0,
        "'2026-13-01' is not a valid calendar date (there is no month 13: months run from 01 to 12): write a day "
        "that exists, YYYY-MM-DD",
    ),
    "no reference": (
        (4, None),
        0,
        "the value of parameter 'insured_wage.ceiling' at 2026-01-01 has no reference: give metadata.reference "
        "(instrument, article, href or source) and metadata.status (verified, verified_2nd, unverified) on the value "
        "(stated once on its parameter, they vouch for the values of its first date only)",
    ),
    "a status misspelt": (
        (3, "      status: verifed"),
        3,
        "status 'verifed' of the value of parameter 'insured_wage.ceiling' at 2026-01-01 must be one of ['verified', "
        "'verified_2nd', 'unverified']; did you mean 'verified'?",
    ),
    "a thousands separator": (
        (1, "    value: 5,000"),
        1,
        "value '5,000' is text: YAML reads no thousands separator; write 5000; expected an amount in LAK per month "
        "(0 or more)",
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_drafter_s_slip_is_told_at_its_file_and_line_with_what_was_expected(tmp_path: Path, mistake: str) -> None:
    (at, written), told_at, expected = MISTAKES[mistake]
    folder = tmp_path / "lao"
    shutil.copytree(jurisdictions.get("lao").parameters_dir, folder)
    path = folder / "insured_wage" / "ceiling.yaml"
    text = path.read_text(encoding="utf-8")
    first = len(text.splitlines()) + 1  # the line of the new value's date
    lines = VALUE[:at] if written is None else [written if number == at else line for number, line in enumerate(VALUE)]
    path.write_text(text + "\n".join(lines) + "\n", encoding="utf-8")
    line = first + told_at
    message = expected.format(*(first + number for number in range(len(VALUE))))
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(folder)
    assert (raised.value.path, raised.value.line, raised.value.reason) == (str(path), line, message)
    (problem,) = check([folder])
    assert (problem.path, problem.line, problem.message) == (str(path), line, message)


DECLARED = "the currency's decimals its amounts are rounded to"
INDEX_SLIPS = {  # a line of metadata.jurisdiction in lao/index.yaml written otherwise, and what is told
    "decimals in words": (
        "amount_decimals: 0",
        "amount_decimals: two",
        f"is a whole number from 0 to 4, {DECLARED}, not 'two'",
    ),
    "decimals a fraction": (
        "amount_decimals: 0",
        "amount_decimals: 2.5",
        f"is a whole number from 0 to 4, {DECLARED}, not 2.5",
    ),
    "decimals empty": (
        "amount_decimals: 0",
        "amount_decimals:",
        f"is a whole number from 0 to 4, {DECLARED}, not empty",
    ),
    "default as text": ("default: true", 'default: "no"', "is true or false, not 'no'"),
    "currency by name": (
        "currency: LAK",
        "currency: kip",
        "is an ISO 4217 code of three capital letters (LAK; XXX: no currency), not 'kip'",
    ),
}


@pytest.mark.parametrize("slip", INDEX_SLIPS)
def test_a_slip_in_the_jurisdiction_s_declaration_is_told_at_its_line(tmp_path: Path, slip: str) -> None:
    """A hunt (stop 79): ``amount_decimals: two`` stopped ``check`` with ``int()``'s traceback, 2.5 was taken as 2
    (amounts rounded otherwise than the currency), and ``default: "no"`` as true; none was told at its line."""
    written, instead, told = INDEX_SLIPS[slip]
    folder = tmp_path / "lao"
    shutil.copytree(jurisdictions.get("lao").parameters_dir, folder)
    index = folder / "index.yaml"
    lines = index.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1) if text.strip() == written)
    lines[line - 1] = lines[line - 1].replace(written, instead)
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    key = written.split(":")[0]
    message = f"metadata.jurisdiction.{key} {told}"
    with pytest.raises(ParameterFileError) as raised:
        jurisdictions.read_jurisdiction(folder)
    assert (raised.value.path, raised.value.line, raised.value.reason) == (str(index), line, message)
    (problem,) = check([folder])
    assert (problem.path, problem.line, problem.message) == (str(index), line, message)

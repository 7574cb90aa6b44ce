"""Every value states its own legal reference and status; what a parameter or scale states once vouches only for
the values of its first date, where no value states its own. An outside review: ``2027-01-01: 1.8`` added under a
bracket of a scale whose metadata cites a 2021 decree passed ``check``, and the legal index filed it under that
decree, "unverified"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from openfisca_sp.drafting.checks import check
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.yaml_files import ParameterFileError

ROOT = Path(__file__).resolve().parents[1]
SCALE = "disability/flat_rate/coefficient_by_category.yaml"  # values of 2026-10-05 (Decree 335/2026) state their own
AMOUNT = "social_pension/amount.yaml"


@pytest.fixture
def vnm(tmp_path: Path) -> Path:
    root = tmp_path / "vnm"
    shutil.copytree(ROOT / "parameters" / "vnm", root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if line == text)


def test_a_later_value_under_metadata_stated_once_is_refused_at_its_line(vnm: Path) -> None:
    path = vnm / SCALE
    _edit(path, "      2021-07-01: 2.0\n", "      2021-07-01: 2.0\n      2026-01-01: 1.8\n")
    (problem,) = check([path])
    assert problem.line == _line(path, "      2026-01-01: 1.8")
    assert problem.message.startswith(
        "the value of scale 'disability.flat_rate.coefficient_by_category' at 2026-01-01 has no reference and no "
        "status of its own: the reference and status scale 'disability.flat_rate.coefficient_by_category' states "
        "once vouch for its values of 2021-07-01 only; give this value metadata.reference"
    ), problem
    with pytest.raises(ParameterFileError, match="at 2026-01-01 has no reference and no status of its own"):
        load_parameters(vnm)  # the rules do not load: the legal index cannot file it under the 2021 decree


def test_a_later_value_stating_its_own_passes(vnm: Path) -> None:
    path = vnm / SCALE
    own = (
        "      2026-01-01:\n        value: 1.8\n        metadata:\n          status: unverified\n"
        "          reference:\n            - instrument: A decree of 2026\n              article: Art 6\n"
        "              href: http://x.org\n"
    )
    _edit(path, "      2021-07-01: 2.0\n", "      2021-07-01: 2.0\n" + own)
    assert check([path]) == []


def test_a_value_without_its_own_among_values_that_state_theirs_is_refused(vnm: Path) -> None:
    """A parameter that states a reference once and whose values state their own: the one added without is
    refused, not filed under the parameter's."""
    path = vnm / AMOUNT
    _edit(
        path,
        "  unit: VND per month\n",
        "  unit: VND per month\n  status: verified\n  reference:\n    - instrument: A law\n      article: Art 1\n"
        "      source: VN-SIL2024\n",
    )
    path.write_text(path.read_text(encoding="utf-8") + "  2027-01-01: 600000\n", encoding="utf-8")
    (problem,) = check([path])
    assert problem.line == _line(path, "  2027-01-01: 600000")
    assert "has no reference and no status of its own: the reference and status parameter " in problem.message


def test_a_value_stating_its_status_alone_is_told_what_it_lacks(vnm: Path) -> None:
    path = vnm / SCALE
    own = "      2026-01-01:\n        value: 1.8\n        metadata:\n          status: unverified\n"
    _edit(path, "      2021-07-01: 2.0\n", "      2021-07-01: 2.0\n" + own)
    (problem,) = check([path])
    assert "at 2026-01-01 has no reference of its own:" in problem.message, problem


def test_metadata_stated_once_for_the_values_of_one_date_is_kept(vnm: Path) -> None:
    """The shipped scales state their reference once for all their brackets, of one date: they stay valid, as
    does a parameter written so (every value of its first date), and a reform's proposal for all its values."""
    assert check([vnm / SCALE, ROOT / "parameters/ilo_c102/unemployment/duration/by_contribution_months.yaml"]) == []
    assert check([ROOT / "reforms"]) == []

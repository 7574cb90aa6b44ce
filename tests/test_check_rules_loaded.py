"""openfisca-sp check warns when the folder it is run in holds a parameters/ folder that is not the one the rules
load: a drafter's second checkout sharing the first one's editable install had its edits ignored, and its law
cases passed on the first one's rules (review)."""

from __future__ import annotations

from pathlib import Path

from openfisca_sp.cli.drafting import rules_loaded_elsewhere
from openfisca_sp.rules.paths import PARAMETERS_DIR


def test_a_checkout_whose_rules_are_not_loaded_is_told_so(tmp_path: Path) -> None:
    assert rules_loaded_elsewhere(tmp_path) is None  # no parameters/ here: nothing to say
    (tmp_path / "parameters").mkdir()
    warning = rules_loaded_elsewhere(tmp_path)
    assert warning is not None and str(PARAMETERS_DIR) in warning and str(tmp_path / "parameters") in warning
    assert rules_loaded_elsewhere(PARAMETERS_DIR.parent) is None  # the checkout the rules load from

"""``openfisca test`` run as a drafter runs it: the installed command, in the checkout, without a jurisdiction
chosen in the environment (the folder of the cases chooses it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def openfisca_test(target: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``openfisca test <target> -c openfisca_sp [options]``, its output captured."""
    environment = {key: value for key, value in os.environ.items() if key != "OPENFISCA_SP_JURISDICTION"}
    return subprocess.run(
        [str(BIN / "openfisca"), "test", str(target), "-c", "openfisca_sp", *options],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=600,
    )


def law_case_file(tmp_path: Path, text: str, code: str = "lao") -> Path:
    """A file of law cases ``text`` in a checkout-like folder of jurisdiction ``code`` (``tests/rules/<code>``)."""
    folder = tmp_path / "tests" / "rules" / code
    folder.mkdir(parents=True)
    path = folder / "cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path

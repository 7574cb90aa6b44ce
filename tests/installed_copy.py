"""The package installed in a folder of its own from the checkout, so that a test can break its rules (as a
drafter's edit of ``parameters/`` does) without touching the checkout's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def install_copy(target: Path) -> Path:
    """A copy of the package in ``target`` (as a wheel lays it out: the rules inside ``openfisca_sp/``), without
    the synthetic samples; returns ``target``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.parquet")
    shutil.copytree(ROOT / "openfisca_sp", target / "openfisca_sp", ignore=ignore)
    for folder in ("parameters", "variables", "reforms", "api"):
        shutil.copytree(ROOT / folder, target / "openfisca_sp" / folder, ignore=ignore)
    return target


def run_installed(site: Path, arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``openfisca-sp arguments`` run from ``cwd`` with the package of ``site``. Python runs without its ``site``
    module (``-S``): the test environment's editable install of the checkout would otherwise be found."""
    dependencies = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), *dependencies]))
    script = "import sys\nfrom openfisca_sp.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-S", "-c", script, *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=600,
    )

"""A git checkout holding a copy of a jurisdiction's parameters, committed: what a drafter's working copy is
for ``openfisca-sp diff`` and the law-case checks that compare with a commit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from openfisca_sp.rules.paths import PARAMETERS_DIR


def git(repository: Path, *arguments: str) -> None:
    """Run git in ``repository`` as a test's own author."""
    identity = ("-c", "user.name=openfisca-sp test", "-c", "user.email=tests@example.org")
    subprocess.run(["git", "-C", str(repository), *identity, *arguments], check=True, capture_output=True)


def committed_law(repository: Path, jurisdiction: str = "lao") -> Path:
    """``repository`` made a checkout whose first commit, "the law", holds ``parameters/<jurisdiction>``."""
    git(repository, "init", "-q")
    shutil.copytree(PARAMETERS_DIR / jurisdiction, repository / "parameters" / jurisdiction)
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "the law")
    return repository

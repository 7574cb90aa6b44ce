"""The package built as a wheel once for a test run, whichever of its processes asks first.

``tests/test_packaging.py`` and ``tests/test_container.py`` both install the wheel; under pytest-xdist
(``--dist loadfile``) they run on different processes, and each built it (some 10 seconds of a core each). The
wheel is now built in a folder the run's processes share, under a name made of a hash of the source it is built
from (the files git tracks or would, by name and content): a process that asks while another builds waits for it
(a file lock) and takes its wheel; a source changed meanwhile has another hash, and is built again. A build is made
in a folder of its own and renamed into place once whole, so that a build cut short is never taken.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
Build = Callable[[Path, Path], None]  # (a copy of the source, the folder to write the wheel in)


def source_files(root: Path = ROOT) -> list[str]:
    """The repo's files as a wheel is built from them: those git tracks or would (a ``build/`` folder of an
    earlier build would put in the wheel what the package list leaves out), by name relative to ``root``."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        check=True,
        capture_output=True,
        cwd=root,
    )
    return sorted(name for name in listed.stdout.decode().split("\0") if name and (root / name).is_file())


def source_hash(root: Path, names: list[str]) -> str:
    """A hash of the files ``names`` of ``root``, by name and content: all a wheel built from them is made of
    (with the Python that builds it)."""
    digest = hashlib.sha256(sys.version.encode())
    for name in names:
        content = (root / name).read_bytes()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:20]


def build_wheel(source: Path, outdir: Path) -> None:
    """Build the wheel of the package in ``source`` into ``outdir`` (``python -m build``)."""
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )


def shared_wheel(folder: Path, root: Path = ROOT, build: Build = build_wheel) -> Path:
    """The wheel of ``root``'s source in ``folder`` (shared by the processes of a run), built there by the first
    process to ask for that source, which the others wait for."""
    names = source_files(root)
    key = source_hash(root, names)
    home = folder / f"wheel-{key}"
    with FileLock(str(folder / f"wheel-{key}.lock")):
        if not home.is_dir():
            building = Path(tempfile.mkdtemp(prefix=f"wheel-{key}-building-", dir=folder))
            source, built = building / "source", building / "dist"
            for name in names:
                (source / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(root / name, source / name)
            build(source, built)
            os.rename(built, home)  # whole, or not there: a build cut short is left in ``building``, never taken
            shutil.rmtree(building)
    (wheel,) = home.glob("openfisca_sp-*.whl")
    return wheel


def run_folder(basetemp: Path) -> Path:
    """The folder the processes of a run share: under pytest-xdist, the parent of each worker's base temporary
    folder (the run's own); on one process, its base temporary folder."""
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp

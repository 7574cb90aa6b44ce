"""One wheel build serves every process of a test run (:mod:`tests.shared_wheel`): a second process waits for the
first's build and takes it; a build cut short is never taken; a changed source is built again.

Each build here is a real function writing a wheel's file into the folder it is given, slowly, in a git repository
of one file: what is shared and locked is :func:`~tests.shared_wheel.shared_wheel`'s, the build ``python -m build``'s
(tests/test_packaging.py builds the real one)."""

from __future__ import annotations

import multiprocessing
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tests.shared_wheel import shared_wheel

WHEEL = "openfisca_sp-1.0-py3-none-any.whl"


def _slow_build(source: Path, outdir: Path) -> None:
    """Write the source's one file as the wheel, slowly (half a second): each build leaves a mark beside the repo."""
    (source.parent.parent.parent / "builds").mkdir(exist_ok=True)
    (source.parent.parent.parent / "builds" / f"{time.time_ns()}").touch()
    outdir.mkdir()
    (outdir / WHEEL).write_bytes(b"half")
    time.sleep(0.5)
    (outdir / WHEEL).write_bytes((source / "module.py").read_bytes())


def _cut_short(source: Path, outdir: Path) -> None:
    outdir.mkdir()
    (outdir / WHEEL).write_bytes(b"half")
    raise subprocess.CalledProcessError(1, "build")


def _asked(root: Path, shared: Path) -> Path:
    return shared_wheel(shared, root, _slow_build)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "module.py").write_text("VERSION = 1\n")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (tmp_path / "run").mkdir()  # the run's shared folder, the repo's sibling: builds are made inside it
    return root


def _builds(repo: Path) -> int:
    folder = repo.parent / "builds"
    return len(list(folder.iterdir())) if folder.is_dir() else 0


def test_processes_asking_at_once_share_one_build(repo: Path) -> None:
    shared = repo.parent / "run"
    with ProcessPoolExecutor(3, mp_context=multiprocessing.get_context("fork")) as pool:
        wheels = list(pool.map(_asked, [repo] * 3, [shared] * 3))
    assert _builds(repo) == 1
    assert len(set(wheels)) == 1 and wheels[0].read_text() == "VERSION = 1\n"


def test_a_build_cut_short_is_never_taken(repo: Path) -> None:
    shared = repo.parent / "run"
    with pytest.raises(subprocess.CalledProcessError):
        shared_wheel(shared, repo, _cut_short)
    wheel = shared_wheel(shared, repo, _slow_build)
    assert _builds(repo) == 1 and wheel.read_text() == "VERSION = 1\n"


def test_a_changed_source_is_built_again(repo: Path) -> None:
    shared = repo.parent / "run"
    first = shared_wheel(shared, repo, _slow_build)
    assert shared_wheel(shared, repo, _slow_build) == first and _builds(repo) == 1
    (repo / "module.py").write_text("VERSION = 2\n")
    second = shared_wheel(shared, repo, _slow_build)
    assert second != first and _builds(repo) == 2
    assert (first.read_text(), second.read_text()) == ("VERSION = 1\n", "VERSION = 2\n")

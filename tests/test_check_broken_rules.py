"""``openfisca-sp check`` and ``legal-index`` when the rules themselves do not load (a drafter's mistake in the
installed ``parameters/``): the mistake is printed as ``file:line: cause``, never a traceback, and the law cases
and reforms that need those rules say they were not checked."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.installed_copy import ROOT, install_copy, run_installed

WOMEN = Path("old_age/pensionable_age/women.yaml")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_copy(tmp_path_factory.mktemp("site"))


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A drafter's folder with Lao PDR's law cases."""
    shutil.copytree(ROOT / "tests" / "rules" / "lao", tmp_path / "tests" / "rules" / "lao")
    return tmp_path


RUNNER = (  # the openfisca command, run by this Python without its site packages (the installed copy instead)
    "import sys\nfrom openfisca_core.scripts.openfisca_command import main\n"
    "sys.argv = ['openfisca', *sys.argv[1:]]\nsys.exit(main())"
)


def _environment(site: Path) -> dict[str, str]:
    """The environment of a run on the installed copy at ``site`` (its dependencies from this Python's)."""
    dependencies = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), *dependencies]))
    environment.pop("OPENFISCA_SP_JURISDICTION", None)
    return environment


def _openfisca_over_broken_rules(
    site: Path, work: Path, arguments: list[str], timeout: int = 600
) -> tuple[subprocess.CompletedProcess[str], Path, int]:
    """openfisca-core's command line run on the installed copy whose Lao women's pensionable age reads '0720' (a
    value YAML reads as text), then mended: the run, the file and the line of the mistake."""
    path = site / "openfisca_sp" / "parameters" / "lao" / WOMEN
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value: 720", "value: 0720", 1), encoding="utf-8")
    try:
        done = subprocess.run(
            [sys.executable, "-S", "-c", RUNNER, *arguments],
            capture_output=True,
            text=True,
            cwd=work,
            env=_environment(site),
            timeout=timeout,
        )
        return done, path, _line(path, "value: 0720")
    finally:
        path.write_text(text, encoding="utf-8")


def _line(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "at", "cause"),
    [
        ("value: 720", "value: sixty", "value: sixty", "value 'sixty' is not a number"),
        ("    value: 720", "\tvalue: 720", "\tvalue", "a tab character"),
        ("    value: 720", "     value: 720", "    metadata:", "bad indentation"),  # where YAML sees it
        ("      status: verified_2nd\n", "", "2001-07-01:", "has no status"),
        ("source: S27", "source: S99", "source: S99", "unknown source 'S99'"),
    ],
)
def test_a_mistake_in_the_rules_is_one_line_for_the_law_cases_that_need_them(
    site: Path, work: Path, old: str, new: str, at: str, cause: str
) -> None:
    path = site / "openfisca_sp" / "parameters" / "lao" / WOMEN
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    try:
        done = run_installed(site, ["check", "tests/rules/lao/old_age"], work)
        line = _line(path, at)
    finally:
        path.write_text(text, encoding="utf-8")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert any(entry.startswith(f"{path}:{line}: ") and cause in entry for entry in lines), (line, lines)
    assert any(
        entry.startswith("tests/rules/lao/old_age/") and f"the rules of 'lao' do not load ({path}:{line})" in entry
        for entry in lines
    ), lines


def test_legal_index_and_a_checked_tree_say_the_same_in_one_line(site: Path, work: Path) -> None:
    path = site / "openfisca_sp" / "parameters" / "lao" / WOMEN
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value: 720", "value: sixty", 1), encoding="utf-8")
    try:
        index = run_installed(site, ["legal-index", "--tests", "tests/rules"], work)
        both = run_installed(site, ["check", str(path.parent), "tests/rules/lao/old_age"], work)
        line = _line(path, "value: sixty")
    finally:
        path.write_text(text, encoding="utf-8")
    assert index.returncode == 2 and "Traceback" not in index.stderr, index.stderr[-2000:]
    assert index.stderr.strip() == (
        f"openfisca-sp legal-index: error: {path}:{line}: value 'sixty' is not a number; expected a number of "
        "months (0 or more)"
    )
    assert both.returncode == 1 and "Traceback" not in both.stderr
    assert sum(f"{path}:{line}: value 'sixty'" in entry for entry in both.stdout.splitlines()) == 1, both.stdout


def test_serve_over_rules_that_do_not_load_says_why_in_one_line(site: Path, work: Path) -> None:
    """An outside review: the service exited with a traceback of 71 lines, the drafter's file:line: cause last."""
    path = site / "openfisca_sp" / "parameters" / "lao" / WOMEN
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value: 720", "value: 0720", 1), encoding="utf-8")
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        done = run_installed(site, ["serve", "--host", "127.0.0.1", "--port", str(port)], work)
        line = _line(path, "value: 0720")
    finally:
        path.write_text(text, encoding="utf-8")
    assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr[-3000:]
    assert f"openfisca-sp serve: error: the rules do not load: {path}:{line}: '0720' is read" in done.stderr


def test_openfisca_test_over_rules_that_do_not_load_says_why_in_one_line(site: Path, work: Path) -> None:
    """An outside review: openfisca-core's runner printed a traceback of 45 lines, the cause on its last."""
    done, path, line = _openfisca_over_broken_rules(
        site, work, ["test", "tests/rules/lao/old_age", "-c", "openfisca_sp"]
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr + done.stdout, done.stderr[-3000:]
    assert f"openfisca-sp: the rules do not load: {path}:{line}: '0720' is read" in done.stderr, done.stderr[-3000:]


def test_openfisca_serve_over_rules_that_do_not_load_stops_not_restarts_its_workers(site: Path, work: Path) -> None:
    """An outside review: gunicorn started a new worker after each one that failed, 143 in 40 s, and the port
    answered nothing. A worker that cannot load the rules exits with gunicorn's code for it, which stops all."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serve = ["serve", "--country-package", "openfisca_sp", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    done, path, line = _openfisca_over_broken_rules(site, work, serve, timeout=120)
    # gunicorn halts on the first worker's code 4 ("App failed to load."); when the second worker's exit reaches
    # the arbiter while it halts, gunicorn raises its HaltServer again and ends with 1 and its own traceback (a
    # race in gunicorn's arbiter, seen on a loaded machine): stopped either way, never restarting workers
    halted_twice = done.returncode == 1 and done.stderr.count("HaltServer 'App failed to load.' 4") == 2
    assert done.returncode == 4 or halted_twice, done.stderr[-3000:]
    assert "Traceback" not in done.stderr or halted_twice
    assert (
        done.stderr.count(f"openfisca-sp: the rules do not load: {path}:{line}: '0720' is read") <= 2
    )  # a worker each


def test_a_jurisdictions_index_that_does_not_read_is_one_line_not_a_traceback(site: Path, work: Path) -> None:
    """A drafter's tab in ``index.yaml`` (the sources every file cites): every law case and reform needs the
    jurisdictions it names, so each says it was not checked, and the tab is told once at its line."""
    path = site / "openfisca_sp" / "parameters" / "lao" / "index.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    S21:\n      instrument:", "    S21:\n\tinstrument:", 1), encoding="utf-8")
    reform = work / "reform.yaml"
    shutil.copy(ROOT / "reforms" / "lao_maternity_c183.yaml", reform)
    try:
        done = run_installed(site, ["check", str(path.parent), "tests/rules/lao/old_age", str(reform)], work)
        line = _line(path, "\tinstrument:")
    finally:
        path.write_text(text, encoding="utf-8")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert [entry for entry in lines if "a tab character" in entry] == [
        f"{path}:{line}: a tab character: YAML indents with spaces only; replace the tab with spaces"
    ], lines
    assert f"{reform}: not checked: {path}:{line} does not read" in lines, lines
    assert any(entry.startswith("tests/rules/lao/old_age/") and "not checked" in entry for entry in lines), lines

"""``openfisca test --in-parallel``: its workers run the law cases as a serial run does, and their warnings are told.

openfisca-core's parallel runner spawns pytest workers (``python -m pytest -p openfisca_core.tools.parallel_plugin
--disable-warnings …``) that build the rules from the environment, not from ``openfisca test``'s command line: the
cases of ``tests/rules/vnm`` ran on the default jurisdiction's rules and failed; the workers compared numbers as
openfisca-core does, not at the precision the rules hold; and their warnings (an input of a passing case its
computation never reads) were lost twice: ``--disable-warnings``, and a passing worker's output is never shown.
The run that spawns the workers now names its jurisdiction to them and gives them a folder to write their warnings
in; each worker runs the cases with the serial run's hooks and writes each warning there; once the workers end,
the run prints them, each at its file and line, as a serial run's "warnings summary" does.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.wording import counted

WARNINGS_FOLDER = "OPENFISCA_SP_WARNINGS_FOLDER"  # where a worker writes its warnings, for the run that spawned it
WORKER_PLUGIN = "openfisca_core.tools.parallel_plugin"
PLACE = re.compile(r"^(.*?):(\d+): ")


def in_parallel(argv: list[str]) -> bool:
    """Whether ``argv`` is ``openfisca test … --in-parallel`` (the run that spawns the workers)."""
    return jurisdictions.run_by_openfisca(argv, "test") and "--in-parallel" in argv[2:]


def in_worker(argv: list[str]) -> bool:
    """Whether this process is a worker of ``openfisca test --in-parallel`` (pytest with openfisca-core's plugin)."""
    return any(argument == WORKER_PLUGIN or argument.endswith(f"={WORKER_PLUGIN}") for argument in argv)


def prepare_workers(code: str) -> None:
    """In the run that spawns the workers: they load the rules of ``code`` (from the environment, which they
    inherit), and write their warnings in a folder this run prints once they end (idempotent)."""
    from openfisca_core.tools import test_runner  # it imports pytest: only where law cases run

    os.environ.setdefault(jurisdictions.ENVIRONMENT_VARIABLE, code)
    core = test_runner.run_tests_in_parallel
    if getattr(core, "tells_warnings", False):
        return
    folder = Path(tempfile.mkdtemp(prefix="openfisca-sp-warnings-"))
    os.environ[WARNINGS_FOLDER] = str(folder)

    def run_tests_in_parallel(*arguments: Any, **options: Any) -> int:
        try:
            return core(*arguments, **options)
        finally:
            _tell(folder)

    run_tests_in_parallel.tells_warnings = True  # type: ignore[attr-defined]
    test_runner.run_tests_in_parallel = run_tests_in_parallel


def record(path: str, line: int, category: type[Warning], message: str) -> None:
    """In a worker: write the warning ``message`` of ``path``:``line`` where the run that spawned it reads it."""
    folder = os.environ.get(WARNINGS_FOLDER)
    if not folder or not in_worker(sys.argv) or not Path(folder).is_dir():
        return
    told = f"{path}:{line}: {category.__name__}: {' '.join(message.split())}\n"
    with (Path(folder) / f"{os.getpid()}.txt").open("a", encoding="utf-8") as written:
        written.write(told)


def _tell(folder: Path) -> None:
    """Print the workers' warnings, each once, in file and line order; remove their folder."""
    lines = {line for path in folder.glob("*.txt") for line in path.read_text(encoding="utf-8").splitlines()}
    told = sorted(lines, key=_place)
    shutil.rmtree(folder, ignore_errors=True)
    if not told:
        return
    print(f"{' warnings summary (the workers) ':=^80}")
    for line in told:
        print(line)
    print(f"{counted(len(told), 'warning')}: each case still passes; read them (docs/drafting.md, §4)", flush=True)


def _place(told: str) -> tuple[str, int]:
    """A warning's file and line, for their order (line 71 before line 105)."""
    found = PLACE.match(told)
    return (found.group(1), int(found.group(2))) if found else (told, 0)

"""``openfisca test`` tells a failing law case's expected value at its line, as ``openfisca-sp check`` does.

openfisca-core's runner names the file and the case (``practice.yaml:`` / ``Test '…'`` / ``maternity_benefit@2027-03:
… differs from …``), not the line: a file of twenty cases, several of the same variable, left the drafter to
search. The line of the value the case expects is found in the file as read with lines, and written after its path.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from openfisca_sp.rules.yaml_files import Mapping, ParameterFileError, line_of, read_yaml

_CHECKED = re.compile(r"(?P<variable>[A-Za-z_]\w*)@(?P<period>\S+): ")  # openfisca-core's f"{variable}@{period}: "


def _expected_at(output: Any, variable: str, period: str) -> int | None:
    """The line of ``variable``'s expected value in ``output`` (at ``period`` where it is keyed by periods), looked
    for among an entity's members too."""
    if not isinstance(output, Mapping):
        return None
    if variable in output:
        value = output[variable]
        keyed = isinstance(value, Mapping) and period in value
        return line_of(value, period) if keyed else line_of(output, variable)
    for member in output.values():
        found = _expected_at(member, variable, period)
        if found is not None:
            return found
    return None


def failure_line(path: Path, name: str, message: str) -> int | None:
    """The line of the expected value an openfisca-core failure ``message`` of the case ``name`` is about."""
    checked = _CHECKED.match(message)
    if checked is None:
        return None
    try:
        data = read_yaml(path)
    except (OSError, ParameterFileError):
        return None
    for case in data if isinstance(data, list) else [data]:
        if isinstance(case, Mapping) and case.get("name") == name:
            found = _expected_at(case.get("output"), checked["variable"], checked["period"])
            if found is not None:
                return found
    return None


def tell_failures_at_their_lines() -> None:
    """Make openfisca-core's YAML test runner write the line of the expected value a failure is about after the
    file's path (idempotent)."""
    from openfisca_core.tools import test_runner  # it imports pytest: only where law cases run

    core = test_runner.YamlItem.repr_failure
    if getattr(core, "tells_lines", False):
        return

    def repr_failure(item: Any, excinfo: Any) -> Any:
        told = core(item, excinfo)
        if not isinstance(excinfo.value, AssertionError) or not isinstance(told, str) or not excinfo.value.args:
            return told
        line = failure_line(Path(str(item.path)), str(item.test.name), str(excinfo.value.args[0]))
        head = f"{item.path!s}:{os.linesep}"
        return f"{item.path!s}:{line}:{os.linesep}{told[len(head) :]}" if line and told.startswith(head) else told

    repr_failure.tells_lines = True  # type: ignore[attr-defined]
    test_runner.YamlItem.repr_failure = repr_failure

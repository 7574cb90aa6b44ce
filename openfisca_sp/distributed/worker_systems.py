"""Tax-benefit systems on workers: built once per process (cached), from a reform given as workers can rebuild it.

Reforms travel to workers as small arguments (a shipped name, an absolute YAML
path or an importable Reform class), never as built systems.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from openfisca_core.reforms import Reform

from openfisca_sp.analysis.comparison import ComparisonPlan, plan_comparison
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules.system import tax_benefit_system

__all__ = ["ReformName", "comparison_plan", "reform_argument", "systems"]

ReformName = str | os.PathLike | type[Reform]  # a shipped name, a YAML path, a Reform class or "module:Class"


def reform_argument(reform: Any) -> ReformName | None:
    """A reform as workers can rebuild it: a name, an absolute YAML path, or an importable class."""
    if reform is None or isinstance(reform, type):
        return reform
    if isinstance(reform, os.PathLike) or str(reform).endswith((".yaml", ".yml")):
        return os.path.abspath(os.fspath(reform))
    if isinstance(reform, str):
        return reform
    raise TypeError(
        f"give the reform as a shipped name, a YAML path or a Reform class, not {type(reform).__name__}: "
        "each worker builds its own tax-benefit systems"
    )


def _stamp(reform: ReformName | None) -> int | None:
    """The modification time of a YAML reform, so that an edited file is read again."""
    if isinstance(reform, str) and reform.endswith((".yaml", ".yml")) and os.path.exists(reform):
        return os.stat(reform).st_mtime_ns
    return None


@functools.lru_cache(maxsize=16)
def _cached_systems(jurisdiction: str, reform: ReformName | None, stamp: int | None) -> tuple[Any, Any]:
    baseline = tax_benefit_system(jurisdiction)
    return baseline, (None if reform is None else load_reform(reform, baseline))


def systems(jurisdiction: str, reform: ReformName | None = None) -> tuple[Any, Any]:
    """The baseline system of ``jurisdiction`` and its ``reform`` (or None), cached per process."""
    return _cached_systems(jurisdiction, reform, _stamp(reform))


def comparison_plan(month: str, reform: ReformName, jurisdiction: str) -> ComparisonPlan:
    """The plan of comparing ``reform`` with the baseline in ``month``, from this process's cached systems."""
    baseline, reformed = systems(jurisdiction, reform)
    return plan_comparison(month, reformed, baseline)

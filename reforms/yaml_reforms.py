"""The YAML reforms of this folder as Reform classes, for ``openfisca test``'s ``reforms:`` key.

openfisca-core's runner imports a reform by its module and name
(``reforms: openfisca_sp.reforms.yaml_reforms.lao_old_age_10_years``); a YAML
reform is no class until it is read, so asking this module for ``<name>`` reads
``<name>.yaml`` beside it, and the class checks it against the rules it is
applied to (its jurisdiction, its parameters' names and kinds), as every reform
is checked.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from openfisca_sp.rules.parametric_reforms import ParametricReform, parametric_reform_class, read_parametric_reform

FOLDER = Path(__file__).parent
MODULE = __name__  # how a law case names this module


def __getattr__(name: str) -> type[ParametricReform]:
    if name.startswith("_") or not name.isidentifier() or not (FOLDER / f"{name}.yaml").is_file():
        raise AttributeError(f"no YAML reform {name!r} in {FOLDER}: one of {', '.join(names())}")
    return _reform_class(name)


def names() -> list[str]:
    """The YAML reforms a law case may name here."""
    return sorted(path.stem for path in FOLDER.glob("*.yaml"))


@cache
def _reform_class(name: str) -> type[ParametricReform]:
    return parametric_reform_class(read_parametric_reform(FOLDER / f"{name}.yaml"))

"""The reforms shipped with openfisca-sp, and how to name one.

A reform is a YAML parametric reform (``*.yaml`` here; see
:mod:`openfisca_sp.rules.parametric_reforms`) or an ordinary
``openfisca_core.reforms.Reform`` subclass in a module here, which works with
``openfisca test`` (``reforms:`` in a YAML test) as any OpenFisca reform.
:func:`load_reform` takes a shipped name, a YAML path, a Reform class or
``module:Class``; :func:`shipped_reforms` lists what ships.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from openfisca_core.reforms import Reform
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_sp.rules.exact_numbers import hold_floats_exactly
from openfisca_sp.rules.parametric_reforms import build_parametric_reform, read_parametric_reform
from openfisca_sp.rules.suggestions import closest_name

REFORMS_DIR = Path(__file__).parent


@dataclass(frozen=True)
class ReformEntry:
    """A shipped reform: its name, what it is, which jurisdictions it applies to, how to build it."""

    name: str
    label: str
    description: str
    jurisdictions: tuple[str, ...]
    kind: str  # "yaml" or "python"
    source: str
    build: Callable[[Any], Reform]


def _python_entries() -> list[ReformEntry]:
    entries = []
    for path in sorted(REFORMS_DIR.glob("*.py")):
        if path.stem.startswith("_"):
            continue
        module = importlib.import_module(f"openfisca_sp.reforms.{path.stem}")
        for _, reform in inspect.getmembers(module, inspect.isclass):
            if issubclass(reform, Reform) and reform.__module__ == module.__name__ and hasattr(reform, "apply"):
                entries.append(_class_entry(reform, reform.__name__))
    return entries


def _class_entry(reform: type[Reform], name: str) -> ReformEntry:
    """A Reform class as an entry: the jurisdictions it names in ``jurisdictions`` (none: any)."""
    return ReformEntry(
        name=name,
        label=reform.name or reform.__name__,
        description=inspect.cleandoc(reform.__doc__ or ""),
        jurisdictions=tuple(getattr(reform, "jurisdictions", ())),
        kind="python",
        source=f"{reform.__module__}.{reform.__name__}",
        build=reform,
    )


def _yaml_entry(path: Path) -> ReformEntry:
    definition = read_parametric_reform(path)
    return ReformEntry(
        name=definition.name,
        label=definition.label,
        description=definition.description,
        jurisdictions=(definition.jurisdiction,),
        kind="yaml",
        source=str(path),
        build=lambda baseline: build_parametric_reform(path, baseline),
    )


def _yaml_entries() -> list[ReformEntry]:
    return [_yaml_entry(path) for path in sorted(REFORMS_DIR.glob("*.yaml"))]


@cache
def shipped_reforms() -> dict[str, ReformEntry]:
    """Every reform shipped in ``reforms/``, by name."""
    return {entry.name: entry for entry in (*_yaml_entries(), *_python_entries())}


def load_reform(reform: Any, baseline: Any) -> Reform | TaxBenefitSystem:
    """A reform of ``baseline`` from a shipped name, a YAML path, a Reform class, or ``module:Class``; a built
    system (a Reform, or the baseline itself: nothing changes) as it is. None, or another type, is a
    :class:`TypeError` naming these (None read "unknown reform 'None'"). Its float variables are held in float64
    as the baseline's (:mod:`~openfisca_sp.rules.exact_numbers`)."""
    return hold_floats_exactly(_built_reform(reform, baseline))


REFORM_FORMS = (
    "a shipped reform name, a YAML file (a str or a path), a Reform class, 'module:Class', or a tax-benefit system "
    "(the baseline itself compares it with itself)"
)


def _built_reform(reform: Any, baseline: Any) -> Reform | TaxBenefitSystem:
    if reform is None:  # a required argument left unset: never read as the name 'None'
        raise TypeError(f"no reform given (None): give {REFORM_FORMS}")
    if isinstance(reform, (Reform, TaxBenefitSystem)):
        _check_same_jurisdiction(reform, baseline)
        return reform
    if inspect.isclass(reform) and issubclass(reform, Reform):
        return reform(baseline)
    if not isinstance(reform, (str, Path)):  # a number or a list was read as its text: "unknown reform '42'"
        raise TypeError(f"a reform is {REFORM_FORMS}, not {type(reform).__name__} {reform!r}")
    text = str(reform)
    own_file = REFORMS_DIR / f"{text}.yaml"
    shipped = _yaml_entry(own_file) if text.isidentifier() and own_file.is_file() else None
    python = {} if shipped else {entry.name: entry for entry in _python_entries()}
    if shipped or text in python:  # read alone: a broken file beside it does not matter
        entry = shipped or python[text]
        code = baseline.jurisdiction.code
        if entry.jurisdictions and code not in entry.jurisdictions:
            raise ValueError(f"reform '{text}' applies to {', '.join(entry.jurisdictions)}, not to '{code}'")
        return entry.build(baseline)
    if text.endswith((".yaml", ".yml")):
        if not Path(text).is_file():  # as a server says it, not "[Errno 2] No such file or directory"
            raise ValueError(f"reform {text!r}: no such YAML reform file")
        return build_parametric_reform(text, baseline)
    if ":" in text:
        module_name, _, class_name = text.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            raise ValueError(f"reform {text!r}: module {module_name!r} cannot be imported ({error})") from None
        reform_class = getattr(module, class_name, None)
        if inspect.isclass(reform_class) and issubclass(reform_class, Reform):
            return reform_class(baseline)
        raise ValueError(f"reform {text!r}: module {module_name!r} has no Reform class {class_name!r}")
    raise ValueError(unknown_reform(text, ", a YAML file or module:Class"))


def unknown_reform(name: str, others: str) -> str:
    """What is said of a reform that is none of those given: the closest shipped one (did you mean), the shipped
    ones, and ``others``, what else is accepted where it was given (with its separator: ``, a YAML file``)."""
    shipped = sorted(shipped_reforms())
    closest = closest_name(name, shipped)
    hint = f" (did you mean '{closest}'?)" if closest else ""
    return f"unknown reform '{name}'{hint}: give a shipped reform ({', '.join(shipped)}){others}"


def _check_same_jurisdiction(reform: Any, baseline: Any) -> None:
    """A reform built on another jurisdiction's rules is refused: it would read the baseline's people, money and
    facts with that jurisdiction's law (Lao PDR's kip amounts and rules over Viet Nam's dong)."""
    built_on = getattr(getattr(reform, "jurisdiction", None), "code", None)
    code = getattr(getattr(baseline, "jurisdiction", None), "code", None)
    if built_on is not None and code is not None and built_on != code:
        name = getattr(reform, "name", None) or type(reform).__name__
        raise ValueError(
            f"reform '{name}' is built on the rules of '{built_on}', not of '{code}' (the baseline): build it on "
            f"tax_benefit_system('{code}'), or give its class or name and it is built on the baseline"
        )


def served_reform(name: str) -> ReformEntry:
    """A reform a server applies: a shipped one by name, a YAML reform file (which names its jurisdiction), or an
    installed Python Reform class as ``module:Class`` or ``module.Class`` (as ``openfisca serve --reforms`` takes
    it), for the jurisdictions its ``jurisdictions`` attribute names, else every jurisdiction served."""
    shipped = shipped_reforms()
    if name in shipped:
        return shipped[name]
    path = Path(name)
    if path.suffix in (".yaml", ".yml"):
        if not path.is_file():
            raise ValueError(f"reform {name!r}: no such YAML reform file")
        return _yaml_entry(path)
    if ":" in name or "." in name.strip("."):
        return _installed_entry(name)
    raise ValueError(unknown_reform(name, ", a YAML reform file or an installed Reform class (module:Class)"))


def _installed_entry(name: str) -> ReformEntry:
    """An installed Reform class named ``module:Class`` or ``module.Class``, refused in one line if it is not."""
    module_name, _, class_name = name.partition(":") if ":" in name else name.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ValueError(f"reform {name!r}: module {module_name!r} cannot be imported ({error})") from None
    reform = getattr(module, class_name, None)
    if not (inspect.isclass(reform) and issubclass(reform, Reform) and hasattr(reform, "apply")):
        raise ValueError(f"reform {name!r}: {module_name} has no Reform class {class_name!r}")
    return _class_entry(reform, name)


def reformed(systems: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """``systems`` (by jurisdiction code) with each reform of ``names`` applied, in order, to every jurisdiction
    it is for; a reform for none of them is refused."""
    result = dict(systems)
    for name in names:
        entry = served_reform(name)
        codes = [code for code in entry.jurisdictions or result if code in result]  # none named: every one
        if not codes:
            raise ValueError(f"reform {name!r} applies to {', '.join(entry.jurisdictions)}: none of them is served")
        for code in codes:
            result[code] = hold_floats_exactly(entry.build(result[code]))
    return result

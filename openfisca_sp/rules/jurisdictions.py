"""The registry of jurisdictions: each is a folder of parameters, found by its index.

A jurisdiction is declared by ``parameters/<code>/index.yaml`` whose metadata
holds a ``jurisdiction`` mapping (label, currency, amount_decimals, default).
Adding a country is adding such a folder (and, only where the law's structure
differs, ``variables/<code>/``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from openfisca_sp.rules.paths import PARAMETERS_DIR, VARIABLES_DIR
from openfisca_sp.rules.wording import abridged
from openfisca_sp.rules.yaml_files import ParameterFileError, read_yaml

ENVIRONMENT_VARIABLE = "OPENFISCA_SP_JURISDICTION"


class UnknownJurisdictionError(KeyError):
    """A jurisdiction code that names no folder of parameters (its message, not its repr, when printed)."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Jurisdiction:
    """A jurisdiction's identity and where its rules are."""

    code: str
    label: str
    description: str
    currency: str
    amount_decimals: int
    default: bool
    parameters_dir: Path
    variables_dir: Path | None


def read_jurisdiction(directory: Path) -> Jurisdiction | None:
    """The jurisdiction a folder of parameters declares in its ``index.yaml`` (None if it declares none)."""
    index = directory / "index.yaml"
    if not index.exists():
        return None
    data = read_yaml(index) or {}
    declared = (data.get("metadata") or {}).get("jurisdiction")
    if not declared:
        return None
    for key in ("label", "currency", "amount_decimals"):
        if key not in declared:
            raise ParameterFileError(index, getattr(declared, "line", None), f"metadata.jurisdiction needs '{key}'")
    _check_declared(index, declared)
    variables = VARIABLES_DIR / directory.name
    return Jurisdiction(
        code=directory.name,
        label=declared["label"],
        description=data.get("description", ""),
        currency=declared["currency"],
        amount_decimals=declared["amount_decimals"],
        default=declared.get("default", False),
        parameters_dir=directory,
        variables_dir=variables if variables.is_dir() else None,
    )


# What each key of metadata.jurisdiction holds, and how it is told (amount_decimals: ISO 4217's minor units)
DECLARED = {
    "label": (lambda value: isinstance(value, str) and value.strip() != "", "text, the jurisdiction's name"),
    "currency": (
        lambda value: isinstance(value, str) and len(value) == 3 and value.isascii() and value.isupper(),
        "an ISO 4217 code of three capital letters (LAK; XXX: no currency)",
    ),
    "amount_decimals": (
        lambda value: type(value) is int and 0 <= value <= 4,
        "a whole number from 0 to 4, the currency's decimals its amounts are rounded to",
    ),
    "default": (lambda value: type(value) is bool, "true or false"),
}


def _check_declared(index: Path, declared: Any) -> None:
    """Each key of ``metadata.jurisdiction`` as :data:`DECLARED` says, told at its line (``amount_decimals: two``
    raised ``int()``'s words with a traceback, 2.5 was taken as 2, and ``default: "no"`` as true)."""
    lines = getattr(declared, "key_lines", {})
    for key, (holds, expected) in DECLARED.items():
        if key in declared and not holds(declared[key]):
            value = declared[key]
            written = "empty" if value is None else abridged(value)
            raise ParameterFileError(index, lines.get(key), f"metadata.jurisdiction.{key} is {expected}, not {written}")


def declaration_problems(directory: Path) -> list[ParameterFileError]:
    """The problem of the jurisdiction ``directory``'s index declares, if any (for ``check``: the loader stops
    at it)."""
    try:
        read_jurisdiction(directory)
    except ParameterFileError as problem:
        return [problem]
    return []


@cache
def registry() -> dict[str, Jurisdiction]:
    """All jurisdictions shipped with the package, by code."""
    found = {}
    for directory in sorted(PARAMETERS_DIR.iterdir()):
        if directory.is_dir() and not directory.name.startswith(("_", ".")):
            jurisdiction = read_jurisdiction(directory)
            if jurisdiction is not None:
                found[jurisdiction.code] = jurisdiction
    return found


def default_code() -> str:
    """The jurisdiction used when none is named: the environment's, else the declared default."""
    chosen = os.environ.get(ENVIRONMENT_VARIABLE)
    if chosen:
        return chosen
    defaults = [code for code, jurisdiction in registry().items() if jurisdiction.default]
    return defaults[0] if defaults else next(iter(registry()))


def get(code: str | None = None) -> Jurisdiction:
    """The jurisdiction ``code`` (or the default one), with a clear error if unknown."""
    code = code or default_code()
    try:
        return registry()[code]
    except KeyError:
        known = ", ".join(sorted(registry()))
        raise UnknownJurisdictionError(f"unknown jurisdiction '{code}'; known jurisdictions: {known}") from None


def run_by_openfisca(argv: list[str], command: str) -> bool:
    """Whether this process is openfisca-core's command line running ``command`` (``test``, ``serve``)."""
    return len(argv) >= 2 and Path(argv[0]).name in ("openfisca", "openfisca_command.py") and argv[1] == command


FOLDER_DEPTH = 3  # how deep below a folder named to ``openfisca test`` jurisdictions' folders are looked for


def _test_arguments(argv: list[str]) -> Any:
    """An ``openfisca test`` command line as openfisca-core reads it, or None where it refuses it (and says why)."""
    from openfisca_core.scripts.openfisca_command import get_parser  # openfisca-core's command line, on demand

    try:
        arguments, _ = get_parser().parse_known_args(argv[1:])
    except SystemExit:
        return None
    return arguments


def tested_paths(argv: list[str]) -> list[str]:
    """The paths of law cases an ``openfisca test`` run names, as openfisca-core's command line reads them (not
    the values of its options: ``-c openfisca_sp`` names no folder)."""
    return [str(path) for path in getattr(_test_arguments(argv), "path", None) or ()]


def tested_with(argv: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The extensions (``-e``) and reforms (``-r``) an ``openfisca test`` run loads over the rules, in its order."""
    arguments = _test_arguments(argv)
    return tuple(getattr(arguments, "extensions", None) or ()), tuple(getattr(arguments, "reforms", None) or ())


def _folders_tested(argv: list[str]) -> set[str]:
    """The jurisdictions whose folders (``tests/rules/vnm``) hold the law cases an ``openfisca test`` run names:
    a path in such a folder, or a folder holding such folders (``tests/rules``, ``tests``)."""
    codes = registry()
    found = set()
    for given in tested_paths(argv):
        path = Path(given)
        if not path.exists():
            continue
        found |= {part for part in path.parts if part in codes}
        if path.is_dir() and not found & set(path.parts):
            found |= {folder.name for folder in _folders_below(path, FOLDER_DEPTH) if folder.name in codes}
    return found


def _folders_below(path: Path, depth: int) -> list[Path]:
    """The folders below ``path``, down to ``depth`` levels (hidden ones left out)."""
    if depth == 0:
        return []
    folders = [child for child in path.iterdir() if child.is_dir() and not child.name.startswith(".")]
    return folders + [below for folder in folders for below in _folders_below(folder, depth - 1)]


class MixedJurisdictionsError(ValueError):
    """An ``openfisca test`` run over the law cases of several jurisdictions, which one run cannot load."""


def tested_here(argv: list[str]) -> str | None:
    """The jurisdiction an ``openfisca test`` run's law cases all belong to, by their folder, when the
    environment names none (None otherwise: the environment's, or the default, applies); refused
    (:class:`MixedJurisdictionsError`) where they belong to several."""
    if os.environ.get(ENVIRONMENT_VARIABLE) or not run_by_openfisca(argv, "test"):
        return None
    named = _folders_tested(argv)
    if len(named) > 1:
        codes = sorted(named)
        raise MixedJurisdictionsError(
            f"these law cases are in the folders of {', '.join(codes)}; one openfisca test run loads one "
            f"jurisdiction's rules: run each folder (openfisca test tests/rules/{codes[0]} -c openfisca_sp), or "
            "openfisca-sp check, which runs every jurisdiction's cases on its own rules"
        )
    return next(iter(named)) if named else None


def tested_by_default(argv: list[str], loaded: str) -> str | None:
    """What to tell an ``openfisca test`` run whose law cases are in no jurisdiction's folder, nor name one in
    the environment: which rules they are run on (None otherwise)."""
    if os.environ.get(ENVIRONMENT_VARIABLE) or not run_by_openfisca(argv, "test") or _folders_tested(argv):
        return None
    return (
        f"openfisca-sp: these law cases are in no jurisdiction's folder (tests/rules/<code>): they are run on the "
        f"rules of '{loaded}', the default; name another with {ENVIRONMENT_VARIABLE}=<code>"
    )


def tested_elsewhere(argv: list[str], loaded: str) -> str | None:
    """Why an ``openfisca test`` run whose law cases sit in another jurisdiction's folder (``tests/rules/vnm``) than
    the rules ``loaded`` stops before running any (they failed on amounts, "8 failed", after a warning an
    outside review read past), or None (another command, or no such folder)."""
    if not run_by_openfisca(argv, "test"):
        return None
    others = sorted(_folders_tested(argv) - {loaded})
    if not others:
        return None
    return (
        f"openfisca-sp: these law cases are in the folder of {', '.join(others)}, but the rules loaded are "
        f"those of '{loaded}' ({ENVIRONMENT_VARIABLE}): none was run; run them with "
        f"{ENVIRONMENT_VARIABLE}={others[0]} openfisca test …, or without the variable (their folder names the rules)"
    )

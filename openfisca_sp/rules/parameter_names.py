"""Parameter names that cannot be mistyped: every file and group of a parameter tree is one a branch declares.

A drafter who saves ``minimum_month.yaml`` instead of ``minimum_months.yaml``
would otherwise see the rules load and the benefit refused for lack of
contributions. The loader records where each node of the tree comes from
(:class:`Location`); :func:`check_names` then refuses any name the catalogue
(:mod:`openfisca_sp.rules.branches`) does not declare, naming the file and line
and suggesting the closest declared name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from openfisca_sp.rules.branches import BRANCHES, GROUPS, Branch, ParameterGroup, ParameterName
from openfisca_sp.rules.branches.model import BY_PREGNANCY_OUTCOME, BY_REFERENCE_AMOUNT, BY_SEX, SEXES
from openfisca_sp.rules.enums import PregnancyOutcome
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.yaml_files import ParameterFileError

REGION = re.compile(r"^region_[1-9][0-9]*$")
OUTCOMES = tuple(outcome.name for outcome in PregnancyOutcome if outcome is not PregnancyOutcome.none)
_KEY_WORDS = {
    BY_SEX: "men or women",
    BY_REFERENCE_AMOUNT: "a reference amount of this jurisdiction (under reference_amounts)",
    BY_PREGNANCY_OUTCOME: "a pregnancy outcome",
}


@dataclass(frozen=True)
class Location:
    """Where a node of a parameter tree is written: its file or folder, and the line of its key."""

    path: str
    line: int | None
    group: bool  # a folder or a mapping of parameters, not a parameter or a scale


@dataclass(frozen=True)
class _Declared:
    """What the catalogue accepts under one branch or group."""

    names: tuple[ParameterName, ...]
    free: bool = False

    def paths(self) -> list[tuple[str, ...]]:
        return [tuple(name.path.split(".")) for name in self.names]


def _catalogue(extra: Iterable[Branch | ParameterGroup]) -> dict[str, _Declared]:
    entries: list[Branch | ParameterGroup] = [*BRANCHES.values(), *GROUPS, *extra]
    return {entry.code: _Declared(entry.parameters, getattr(entry, "free_names", False)) for entry in entries}


DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _refuse(location: Location, full: str, name: str, candidates: Sequence[str], why: str = "") -> None:
    closest = closest_name(name, candidates)
    listed = ", ".join(sorted(set(candidates)))
    hint = f"expected one of: {listed}" if listed else "none is declared there"
    hint = f"did you mean '{closest}'?" if closest else hint
    what = why or f"no branch reads a parameter '{full}'"
    raise ParameterFileError(location.path, location.line, f"{what}; {hint}")


def _key_names(declared: ParameterName, reference_amounts: Sequence[str]) -> tuple[str, ...] | None:
    """The names the children of a keyed parameter may take (None: it has no children)."""
    if declared.keyed_by == BY_REFERENCE_AMOUNT:
        return tuple(reference_amounts)
    if declared.keyed_by == BY_PREGNANCY_OUTCOME:
        return OUTCOMES
    if declared.keyed_by == BY_SEX or declared.may_vary_by_sex:
        return SEXES
    return None


def _declared_at(declared: _Declared, relative: tuple[str, ...]) -> ParameterName | None:
    return next((name for name in declared.names if tuple(name.path.split(".")) == relative), None)


def declarations(extra: Iterable[Branch | ParameterGroup] = ()) -> Callable[[str], ParameterName | None]:
    """Find the declaration of a parameter by its dotted name (``old_age.pensionable_age.men``: the
    declaration of ``pensionable_age``, whose values may be set by sex), with the branches ``extra`` adds."""
    catalogue = _catalogue(extra)

    def declared(full: str) -> ParameterName | None:
        parts = tuple(full.split("."))
        entry = catalogue.get(parts[0])
        if entry is None or len(parts) == 1:
            return None
        if entry.free:
            return entry.names[0] if entry.names else None
        exact = _declared_at(entry, parts[1:])
        if exact is not None:
            return exact
        parent = _declared_at(entry, parts[1:-1])
        return parent if parent is not None and (parent.keyed_by or parent.may_vary_by_sex) else None

    return declared


def _check_keyed_is_a_folder(full: str, name: ParameterName, location: Location, keys: Sequence[str]) -> None:
    """A value set per key (reference amount, outcome) is a folder of one file per key."""
    if name.keyed_by is not None and not location.group:
        key = name.keyed_by.replace("_", " ")
        message = f"'{full}' is set per {key}: make it a folder of one file per {key} ({', '.join(keys)})"
        raise ParameterFileError(location.path, location.line, message)


def _check_in_branch(
    full: str, relative: tuple[str, ...], location: Location, declared: _Declared, reference_amounts: Sequence[str]
) -> None:
    paths = declared.paths()
    if any(path[: len(relative)] == relative for path in paths):  # a declared parameter, or a folder above one
        exact = _declared_at(declared, relative)
        if exact is not None:
            _check_keyed_is_a_folder(full, exact, location, _key_names(exact, reference_amounts) or ())
        return
    parent, name = relative[:-1], relative[-1]
    keyed = _declared_at(declared, parent)
    allowed = _key_names(keyed, reference_amounts) if keyed is not None else None
    if allowed is not None and name not in allowed:
        _refuse(location, full, name, allowed, f"'{full}' is not {_KEY_WORDS[keyed.keyed_by or BY_SEX]}")
    if allowed is None:
        siblings = [path[len(parent)] for path in paths if path[: len(parent)] == parent and len(path) > len(parent)]
        elsewhere = _elsewhere(declared, name, reference_amounts, closest_name(name, siblings) is None)
        if elsewhere:  # a file saved in the wrong folder of its branch
            branch = full.split(".")[0]
            places = " or ".join(f"{branch}/{'/'.join(path)}.yaml" for path in elsewhere[:_PLACES])
            places += f" (or {len(elsewhere) - _PLACES} more)" if len(elsewhere) > _PLACES else ""
            message = f"no branch reads a parameter '{full}' here: a '{name}' is read at {places}; move the file there"
            raise ParameterFileError(location.path, location.line, message)
        _refuse(location, full, name, siblings)


_PLACES = 3  # the places a file saved in the wrong folder is read at, named in its problem


def _elsewhere(declared: _Declared, name: str, reference_amounts: Sequence[str], keys: bool) -> list[tuple[str, ...]]:
    """Where in a branch a parameter named ``name`` is read, the shallowest first: a declared name, else (with
    ``keys``) a key of one (``women``)."""
    found = {path for path in declared.paths() if path[-1] == name}
    for declared_name in declared.names if keys and not found else ():
        if name in (_key_names(declared_name, reference_amounts) or ()):
            found.add((*declared_name.path.split("."), name))
    return sorted(found, key=lambda path: (len(path), path))


def _check_free(full: str, relative: tuple[str, ...], location: Location) -> None:
    """Reference amounts: any name the jurisdiction chooses, and regions below it."""
    if len(relative) == 1 or (len(relative) == 2 and REGION.match(relative[1])):
        return
    _refuse(location, full, relative[-1], ["region_1", "region_2"], f"'{full}' is not a region (region_<n>)")


def _check_by_sex(names: Mapping[str, Location], catalogue: Mapping[str, _Declared]) -> None:
    """A value split by sex has both ``men`` and ``women``."""
    for full, location in names.items():
        parts = full.split(".")
        if len(parts) < 3 or parts[-1] not in SEXES or parts[0] not in catalogue:
            continue
        other = ".".join([*parts[:-1], SEXES[1 - SEXES.index(parts[-1])]])
        if other not in names:
            raise ParameterFileError(
                location.path, location.line, f"'{full}' is set by sex without '{other}': give both men and women"
            )


def check_names(
    names: Mapping[str, Location],
    extra: Iterable[Branch | ParameterGroup] = (),
    problems: list[ParameterFileError] | None = None,
) -> None:
    """Refuse the first node of a tree (by file, then line) that no branch or group of the catalogue declares
    (with ``problems``, record every such node there instead).

    ``names`` maps each node's dotted name (``old_age.pensionable_age.men``) to
    where it is written. ``extra`` adds the branches a reform declares.
    """
    catalogue = _catalogue(extra)
    reference_amounts = sorted({full.split(".")[1] for full in names if full.startswith("reference_amounts.")})
    # a mapping of dates under another key than ``values`` (``value:``) is refused as such by the file's check:
    # neither it nor its dates are parameters to name
    dated = {full.rsplit(".", 1)[0] for full in names if DAY.fullmatch(full.rsplit(".", 1)[-1])}
    for full, location in sorted(names.items(), key=lambda item: (item[1].path, item[1].line or 0, item[0])):
        if full in dated or DAY.fullmatch(full.rsplit(".", 1)[-1]):
            continue
        try:
            _check_name(full, location, catalogue, reference_amounts)
        except ParameterFileError as problem:
            if problems is None:
                raise
            problems.append(problem)
    try:
        _check_by_sex(names, catalogue)
    except ParameterFileError as problem:
        if problems is None:
            raise
        problems.append(problem)


def _check_name(full: str, location: Location, catalogue: dict[str, _Declared], reference_amounts: list[str]) -> None:
    parts = tuple(full.split("."))
    declared = catalogue.get(parts[0])
    if declared is None:
        _refuse(location, full, parts[0], catalogue, f"no branch '{parts[0]}' reads parameters")
    elif len(parts) == 1:
        return
    elif declared.free:
        _check_free(full, parts[1:], location)
    else:
        _check_in_branch(full, parts[1:], location, declared, reference_amounts)

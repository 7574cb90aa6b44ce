"""The legal basis of a branch's decisions: the parameter values in force, and which each decision rests on (its
reason's, a lump sum's owed on it, and the values the branch reads only for some persons where it is theirs)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.branches.model import SEXES
from openfisca_sp.rules.enums import NOT_MODELLED
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.provenance import UNVERIFIED, ValueProvenance, provenance_of

OWED = len(Reason)  # a decision's key (:func:`basis_keys`) is its reason's index, plus this where a lump sum is owed


def basis_keys(reason: np.ndarray, owed: np.ndarray | None, where: Sequence[np.ndarray | None] = ()) -> np.ndarray:
    """Each decision's key in :attr:`LegalBasis.by_key`: its reason's index, plus :data:`OWED` where a lump sum the
    branch's legal basis cites apart is owed on it (``owed``; None where the branch cites none), plus ``OWED << n``
    where the n-th (from 1) values the branch cites only for some persons are the person's (``where``, in the order
    of ``Branch.basis_flags``: ``basis_only_where``'s, then the values a condition cites where it refuses; None where
    they are not read)."""
    keys = reason if owed is None else reason + OWED * owed
    for bit, flags in enumerate(where, start=1):
        if flags is not None:
            keys = keys + (OWED << bit) * np.asarray(flags, dtype=np.int64)
    return keys


def cited_by_any(keys: Sequence[np.ndarray]) -> np.ndarray:
    """The key (:func:`basis_keys`) citing every value one of ``keys`` cites, row by row: decisions of one reason made
    under each value of a fact not stated (a sex), whose values cited only for some persons may be the person's under
    one value and not the other (a woman at the lower age of arduous work, a man below his)."""
    reason = keys[0] % OWED
    parts = functools.reduce(np.bitwise_or, (np.asarray(key) // OWED for key in keys))
    return reason + OWED * parts


@dataclass(frozen=True)
class LegalBasis:
    """The parameter values in force behind a branch's decisions on a day."""

    values: dict[str, dict[str, Any]]  # parameter name -> value, start, status, reference
    # a decision's key (:func:`basis_keys`) -> the parameter names it rests on: its reason's, and where a lump sum is
    # owed on it, the lump sum's (the branch's ``lump_sum_basis``)
    # and where values the branch reads only for some persons are the person's (``Branch.basis_only_where``), theirs;
    # where a condition whose reason another gives too refuses (its ``only_where``), the values it also cites
    by_key: dict[int, tuple[str, ...]]
    unverified: tuple[str, ...]
    # (men, women) x key -> whether a value the decision rests on is unverified, for a man and for a woman: a value
    # the law sets by sex counts for that sex only (a woman refused for her age does not rest on the men's
    # pensionable age)
    provisional_by_sex: np.ndarray
    by_sex_differs: bool  # whether the two rows differ (else a decision need not read the sex)
    owed_differs: bool  # whether a lump sum owed makes some decision provisional (else it need not be read)
    # for each of the branch's ``basis_flags``: whether some of its values are in force (a decision's citation
    # reads who they are for), and whether they make some decision provisional (its ``provisional`` reads it)
    where_cited: tuple[bool, ...] = ()
    where_differs: tuple[bool, ...] = ()

    def rests_on(self, reason: int, sex: str) -> tuple[str, ...]:
        """The parameters the reason of index ``reason`` rests on for a person of ``sex`` (``men`` or ``women``):
        a value the law sets for the other sex only is left out. The reason's own values: a lump sum owed on a refusal
        rests on its own (its key, :func:`basis_keys`), not the refusal."""
        other = _other_sexs(self.values, sex)
        return tuple(name for name in self.by_key.get(reason, ()) if name not in other)


def _citation(record: Any) -> dict[str, Any]:
    return {
        "value": record.value,
        "in_force_from": record.start,
        "status": record.status,
        "reference": [dict(reference) for reference in record.reference],
        **({"note": record.note} if record.note else {}),
    }


@lru_cache(maxsize=1024)
def legal_basis(tax_benefit_system: Any, branch_code: str, day: str) -> LegalBasis:
    """Parameter values in force for a branch on ``day`` (YYYY-MM-DD), and which of them each reason rests on:
    the branch's own, the insurable-earnings ceiling (unless the branch has its own: Viet Nam's unemployment
    insurance), and the reference amounts these name (a cap of 5 regional
    minimum wages rests on them; Tajikistan's pension, on no reference amount). A refusal rests on its condition's
    values and those the condition also cites (``Condition.also_cites``): where another condition gives its reason
    too, only where it refuses (its ``only_where``: a key's part, :func:`basis_keys`). Worked out once for all the
    days the same values are in force (:class:`InForce`)."""
    return _legal_basis(tax_benefit_system, branch_code, in_force_on(tax_benefit_system, branch_code, day))


def in_force_on(tax_benefit_system: Any, branch_code: str, day: str) -> InForce:
    """The values a branch's legal basis cites on ``day`` (:func:`legal_basis`)."""
    index = provenance_of(tax_benefit_system)
    in_force = index.in_force(branch_code, day)
    if not any(record.parameter.startswith(f"{branch_code}.reference_wage.ceiling") for record in in_force):
        in_force += index.in_force("insured_wage", day)  # a branch with its own ceiling does not read it
    named = {part for record in in_force for part in record.parameter.split(".")}  # reference amounts read
    in_force += [
        record
        for record in index.in_force("reference_amounts", day)
        if record.parameter.split(".")[1] in named  # e.g. unemployment.maximum.regional_minimum_wage
    ]
    return InForce(tuple(in_force))


@dataclass(frozen=True, eq=False)
class InForce:
    """The values in force on a day, equal to another day's where they are the same values (each parameter's value
    from the same date, in the same system): a branch's legal basis is the same on both days."""

    records: tuple[ValueProvenance, ...]

    @functools.cached_property
    def _dated(self) -> tuple[tuple[str, str], ...]:
        """Each value's parameter and date, found once: a cache looking a day's basis up hashes and compares them."""
        return tuple((record.parameter, record.start) for record in self.records)

    def __hash__(self) -> int:
        return hash(self._dated)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InForce) and self._dated == other._dated


@lru_cache(maxsize=1024)
def _legal_basis(tax_benefit_system: Any, branch_code: str, in_force: InForce) -> LegalBasis:
    """:func:`legal_basis` of the values ``in_force`` (of ``tax_benefit_system``: a reform's value from the same
    date may differ)."""
    branch = BRANCHES[branch_code]
    values = {record.parameter: _citation(record) for record in in_force.records}

    def under(*paths: str) -> tuple[str, ...]:
        prefixes = tuple(f"{branch_code}.{path}" for path in paths)
        return tuple(name for name in values if name.startswith(prefixes))

    by_key = {Reason.not_provided_by_law.index: under("provided"), Reason.not_modelled.index: ()}
    cited: dict[int, set[str]] = {}  # a reason two conditions give rests on both's values
    refusing = branch.cited_where_refusing  # their values also cited are a key's part, cited where they refuse
    for condition in branch.conditions:
        also = () if any(condition is other for other in refusing) else under(*condition.also_cites)
        for reason in condition.reasons:
            cited.setdefault(reason.index, set()).update(under(*condition.parameters) or under("provided"), also)
    by_key.update((key, tuple(name for name in values if name in names)) for key, names in cited.items())
    not_made = {reason.index for reason in (Reason.not_modelled, *NOT_MODELLED)}
    by_key.update(dict.fromkeys(not_made, ()))  # a decision not made rests on nothing, a lump sum owed or not
    by_key[Reason.eligible.index] = tuple(values)
    if branch.lump_sum_basis:  # the lump sum's own values, and those outside the branch every amount reads
        outside = {name for name in values if not name.startswith(f"{branch_code}.")}
        lump_sum = set(under(*branch.lump_sum_basis)) | outside
        by_key.update(
            (key + OWED, tuple(name for name in values if name in lump_sum or name in names))  # in their order
            for key, names in list(by_key.items())
            if key not in not_made
        )
    apart: tuple[tuple[tuple[str, ...], frozenset[int] | None], ...] = (
        *((under(path), None) for path, _ in branch.basis_only_where),  # whatever the reason
        *((under(*each.also_cites), frozenset(reason.index for reason in each.reasons)) for each in refusing),
    )
    by_key = _only_where(by_key, apart, tuple(values), not_made)
    size = OWED << (1 + len(apart))
    unverified = tuple(name for name, value in values.items() if value["status"] == UNVERIFIED)
    by_sex = np.array([_provisional(by_key, set(unverified) - _other_sexs(values, sex), size) for sex in SEXES])
    owed_differs, *where_differs = (_differs(by_sex, bit) for bit in range(1 + len(apart)))
    return LegalBasis(
        values,
        by_key,
        unverified,
        by_sex,
        not np.array_equal(*by_sex),
        owed_differs,
        tuple(bool(names) for names, _ in apart),
        tuple(where_differs),
    )


def _only_where(
    by_key: dict[int, tuple[str, ...]],
    apart: tuple[tuple[tuple[str, ...], frozenset[int] | None], ...],
    order: tuple[str, ...],
    not_made: set[int],
) -> dict[int, tuple[str, ...]]:
    """``by_key`` for each choice of whose the values cited only for some persons are (``apart``: for each of
    ``Branch.basis_flags``, its names and the reasons it is cited with, None for every reason): a decision made cites
    them where they are the person's (its key plus ``OWED << n``) and it has one of those reasons; the values of
    ``basis_only_where`` nowhere else. A decision not made cites none."""
    left_out = {name for names, reasons in apart if reasons is None for name in names}
    found = {}
    for bits in range(1 << len(apart)):
        chosen = [part for bit, part in enumerate(apart) if bits >> bit & 1]
        for key, names in by_key.items():
            reason = key % OWED
            cited = {name for each, reasons in chosen if reasons is None or reason in reasons for name in each}
            kept = () if reason in not_made else set(names) - left_out | cited
            found[key + (bits * 2 * OWED)] = tuple(name for name in order if name in kept)
    return found


def _differs(by_sex: np.ndarray, bit: int) -> bool:
    """Whether the ``bit``-th part of the keys (0: a lump sum owed; n: the n-th values cited only for some persons)
    changes whether some decision is provisional."""
    keys = np.arange(by_sex.shape[1])
    without = keys[(keys // OWED >> bit) & 1 == 0]
    return not np.array_equal(by_sex[:, without], by_sex[:, without + (OWED << bit)])


def _provisional(by_key: dict[int, tuple[str, ...]], unverified: set[str], size: int) -> np.ndarray:
    """By key (:func:`basis_keys`, ``size`` of them), whether a value the decision rests on is among ``unverified``;
    a reason no condition names (a death, an event the law does not cover) rests on all of them, a lump sum owed or
    not; a key with a lump sum owed whose lump sum the branch does not cite, as the same key without."""
    provisional = np.full(size, bool(unverified))
    for key in range(size):
        if key in by_key:
            provisional[key] = any(name in unverified for name in by_key[key])
        elif key // OWED & 1:
            provisional[key] = provisional[key - OWED]
    return provisional


ONE_SEX = {"mothers": "women"}  # a part of a parameter's name that sets a value for one sex only


def _other_sexs(values: dict[str, Any], sex: str) -> set[str]:
    """The values the law sets for the other sex than ``sex`` (``men`` or ``women``): a part of a parameter's
    name that is the other sex where the same name with ``sex`` is a parameter too (a by-sex pair), or that
    names persons of the other sex only (``mothers``)."""
    other = SEXES[1 - SEXES.index(sex)]
    found = set()
    for name in values:
        parts = name.split(".")
        if any(ONE_SEX.get(part) == other for part in parts):
            found.add(name)
            continue
        for position, part in enumerate(parts):
            twin = ".".join([*parts[:position], sex])
            if part == other and any(known == twin or known.startswith(twin + ".") for known in values):
                found.add(name)
                break
    return found

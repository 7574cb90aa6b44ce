"""The legal basis of a branch's decisions: the parameter values in force, and which each decision rests on (its
reason's, and a lump sum's owed on it)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.branches.model import SEXES
from openfisca_sp.rules.enums import NOT_MODELLED
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.provenance import UNVERIFIED, provenance_of

OWED = len(Reason)  # a decision's key (:func:`basis_keys`) is its reason's index, plus this where a lump sum is owed


def basis_keys(reason: np.ndarray, owed: np.ndarray | None) -> np.ndarray:
    """Each decision's key in :attr:`LegalBasis.by_key`: its reason's index, plus :data:`OWED` where a lump sum the
    branch's legal basis cites apart is owed on it (``owed``; None where the branch cites none)."""
    return reason if owed is None else reason + OWED * owed


@dataclass(frozen=True)
class LegalBasis:
    """The parameter values in force behind a branch's decisions on a day."""

    values: dict[str, dict[str, Any]]  # parameter name -> value, start, status, reference
    # a decision's key (:func:`basis_keys`) -> the parameter names it rests on: its reason's, and where a lump sum is
    # owed on it, the lump sum's (the branch's ``lump_sum_basis``)
    by_key: dict[int, tuple[str, ...]]
    unverified: tuple[str, ...]
    # (men, women) x key -> whether a value the decision rests on is unverified, for a man and for a woman: a value
    # the law sets by sex counts for that sex only (a woman refused for her age does not rest on the men's
    # pensionable age)
    provisional_by_sex: np.ndarray
    by_sex_differs: bool  # whether the two rows differ (else a decision need not read the sex)
    owed_differs: bool  # whether a lump sum owed makes some decision provisional (else it need not be read)

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
    minimum wages rests on them; Tajikistan's pension, on no reference amount)."""
    branch = BRANCHES[branch_code]
    index = provenance_of(tax_benefit_system)
    instant = day
    in_force = index.in_force(branch_code, instant)
    if not any(record.parameter.startswith(f"{branch_code}.reference_wage.ceiling") for record in in_force):
        in_force += index.in_force("insured_wage", instant)  # a branch with its own ceiling does not read it
    named = {part for record in in_force for part in record.parameter.split(".")}  # reference amounts read
    in_force += [
        record
        for record in index.in_force("reference_amounts", instant)
        if record.parameter.split(".")[1] in named  # e.g. unemployment.maximum.regional_minimum_wage
    ]
    values = {record.parameter: _citation(record) for record in in_force}

    def under(*paths: str) -> tuple[str, ...]:
        prefixes = tuple(f"{branch_code}.{path}" for path in paths)
        return tuple(name for name in values if name.startswith(prefixes))

    by_key = {Reason.not_provided_by_law.index: under("provided"), Reason.not_modelled.index: ()}
    for condition in branch.conditions:
        for reason in condition.reasons:
            by_key[reason.index] = under(*condition.parameters) or under("provided")
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
    unverified = tuple(name for name, value in values.items() if value["status"] == UNVERIFIED)
    by_sex = np.array([_provisional(by_key, set(unverified) - _other_sexs(values, sex)) for sex in SEXES])
    owed_differs = not np.array_equal(by_sex[:, :OWED], by_sex[:, OWED:])
    return LegalBasis(values, by_key, unverified, by_sex, not np.array_equal(*by_sex), owed_differs)


def _provisional(by_key: dict[int, tuple[str, ...]], unverified: set[str]) -> np.ndarray:
    """By key (:func:`basis_keys`), whether a value the decision rests on is among ``unverified``; a reason no
    condition names (a death, an event the law does not cover) rests on all of them, a lump sum owed or not."""
    provisional = np.full(2 * OWED, bool(unverified))
    for key, names in by_key.items():
        provisional[key] = any(name in unverified for name in names)
    provisional[OWED:] = np.where([key + OWED in by_key for key in range(OWED)], provisional[OWED:], provisional[:OWED])
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

"""Claims decided again on their event's day, grouped in rounds: as few simulations as possible, each person's
claims in one round only where every claim of theirs there can be made on the same day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from openfisca_sp.rules.branches import Branch


@dataclass
class ClaimsAgain:
    """Claims of one branch decided again on one rules day: the rows, and the day each can be made."""

    branch: Branch
    names: list[str]
    rows: np.ndarray
    claimable: np.ndarray


def rounds_of(claims: list[ClaimsAgain]) -> list[list[ClaimsAgain]]:
    """The claims of one rules day in as few simulations as possible: a person claiming in two branches on
    different days (a birth and a pension claim) needs two. Each claim joins the first round in which every
    person it shares is claimable on the same day (each claim's rows sorted, as ``flatnonzero`` gives them)."""
    rounds: list[tuple[np.ndarray, np.ndarray, list[ClaimsAgain]]] = []  # each round's rows (sorted), days, claims
    for claim in claims:
        for index, (rows, days, members) in enumerate(rounds):
            _, mine, theirs = np.intersect1d(claim.rows, rows, assume_unique=True, return_indices=True)
            if _same_days(claim.claimable[mine], days[theirs]):
                joined, first = np.unique(np.concatenate([rows, claim.rows]), return_index=True)
                rounds[index] = (joined, np.concatenate([days, claim.claimable])[first], [*members, claim])
                break
        else:
            rounds.append((claim.rows, claim.claimable, [claim]))
    return [members for _, _, members in rounds]


MASK_SPAN = 64  # rows in all at most this many times the parts' rows: their union found by a mask, not a sort


def union_of_rows(parts: Sequence[np.ndarray], count: int) -> np.ndarray:
    """The rows (of ``count``) in any of ``parts``, each sorted without repeats: ascending, each once, as
    ``np.unique`` of their concatenation gives them. A round's claims are a few thousand rows of a few hundred
    thousand kept: marking them costs a tenth of sorting them."""
    if len(parts) == 1:
        return parts[0]
    if count > MASK_SPAN * sum(len(part) for part in parts):
        return np.unique(np.concatenate(parts))
    taken = np.zeros(count, dtype=bool)
    for part in parts:
        taken[part] = True
    return np.flatnonzero(taken)


def _same_days(days: np.ndarray, others: np.ndarray) -> bool:
    """Whether each day equals the other (no day, NaT, equals no day)."""
    return bool(np.all((days == others) | (np.isnat(days) & np.isnat(others))))

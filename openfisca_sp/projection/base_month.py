"""A projection's person table must describe the scenario's base month: one whose metadata states another month (a
shipped sample's, a table written by ``openfisca-sp synthesize``) is refused naming both, before any year runs (a
table of 2025-10 for a scenario of 2026-10 listed 12 missing columns and not why, nor its file)."""

from __future__ import annotations

from typing import Any

from openfisca_sp.population.reading import described_month, source_label


def other_base_month(population: Any, base_month: str) -> str | None:
    """What is wrong with ``population`` if it states that it describes another month than ``base_month``; None
    where it does not (or states none)."""
    described = described_month(population)
    if described is None or described == base_month:
        return None
    label = source_label(population) or "the table"
    return f"{label} describes {described} (its metadata); the scenario's base month is {base_month}"

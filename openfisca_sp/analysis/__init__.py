"""Analysis of a reform against the baseline over a population: cost, beneficiaries, winners, losers, coverage.

:func:`compare` runs both systems over a person table and sums, per cell of
sex × age group × income decile (:mod:`~.breakdowns`), what every figure is made
of (:mod:`~.aggregates`); the tables are derived at the end, with the SDG 1.3.1
coverage of each group (:mod:`~.coverage`)::

    from openfisca_sp.analysis import compare

    comparison = compare("sample:lao", "2026-10", "r202_social_pension", "lao")
    comparison.branches
"""

from openfisca_sp.analysis.comparison import Comparison, compare

__all__ = ["Comparison", "compare"]

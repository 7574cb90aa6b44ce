"""The population engine: every branch of the rules over a whole person table, vectorised.

A person table (pandas, Arrow, Parquet, CSV) is read for the columns the rules
need (:mod:`~.reading`, :mod:`~.columns`), checked and turned into input arrays
(:mod:`~.inputs`, :mod:`~.fact_arrays`), run chunk by chunk of whole households
(:mod:`~.chunks`), and given back per person with totals by branch in float64
(:mod:`~.results`, :mod:`~.totals`)::

    from openfisca_sp.population import simulate

    results = simulate("sample:lao", "2026-10", "lao")
    results.totals()
"""

from openfisca_sp.population.engine import read_population, resolve_system, simulate
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.inputs import PopulationInputs
from openfisca_sp.population.results import PopulationResults
from openfisca_sp.population.totals import BranchSums

__all__ = [
    "BranchSums",
    "PopulationError",
    "PopulationInputs",
    "PopulationResults",
    "read_population",
    "resolve_system",
    "simulate",
]

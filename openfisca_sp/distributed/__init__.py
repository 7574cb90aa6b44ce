"""The population engine on a dask.distributed cluster: one task per Parquet partition of a person table.

The client sends only small arguments (a partition's path, the month, the
jurisdiction code, the reform's name or YAML path, the cut points); every
worker reads its own partition, builds the tax-benefit systems once per
process (cached) and sends back sums, never persons (unless per-person columns
are asked for). A comparison runs in two passes: the income pass
(:mod:`~openfisca_sp.distributed.income_pass`) gives the income decile cut
points over the whole population, the comparison pass
(:mod:`~openfisca_sp.distributed.comparison_pass`) the sums per cell. A
partition must hold whole households, which the client checks
(:mod:`~openfisca_sp.distributed.whole_households`).

The modules, each using only those before it:

* ``storage``: partitions on a filesystem or object storage, read and written;
* ``tasks``: gathering the tasks' results, with progress and cancellation;
* ``worker_systems``: the tax-benefit systems each worker process builds once;
* ``whole_households``: partition summaries and the check that no household is split;
* ``income_pass``, ``comparison_pass``: the two passes of :func:`compare_distributed`;
* ``simulation_pass``: :func:`simulate_distributed`;
* ``projection_years``: :func:`project_distributed`, one task per year of a projection.

Tasks sent to workers are top-level functions of these modules: Dask sends them by reference.
"""

from __future__ import annotations

from openfisca_sp.distributed.comparison_pass import compare_distributed
from openfisca_sp.distributed.income_pass import IncomeRanks, income_cut_points
from openfisca_sp.distributed.projection_years import project_distributed
from openfisca_sp.distributed.simulation_pass import simulate_distributed
from openfisca_sp.distributed.storage import partitions, read_partition
from openfisca_sp.distributed.whole_households import PartitionSummary, check_whole_households, household_summary
from openfisca_sp.distributed.worker_systems import systems
from openfisca_sp.population.totals import BranchSums

__all__ = [
    "BranchSums",
    "IncomeRanks",
    "PartitionSummary",
    "check_whole_households",
    "compare_distributed",
    "household_summary",
    "income_cut_points",
    "partitions",
    "project_distributed",
    "read_partition",
    "simulate_distributed",
    "systems",
]

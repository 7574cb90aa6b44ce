"""OpenFisca Web API situations (``/calculate``, ``/trace``) evaluated from arrays.

A situation in the usual form (persons and groups with ``{period: value}``
inputs, ``null`` where a result is wanted) is read column by column into arrays
and one simulation, which grows linearly with the number of persons. Anything
this fast path does not fully understand (axes, shorthand syntaxes, values of
the wrong type …) goes to openfisca-core's own builder, so that answers and error
messages stay those of ``openfisca serve``, within a budget of values (the builder
copies the whole body and works per id). Where the reference fails (500) or
mishandles an input (text evaluated as an expression, a float made infinite), a
400 names the path of the value: docs/api.md lists every difference.

The modules, in the order a request meets them: :mod:`.limits` (sizes),
:mod:`.reading` and :mod:`.planning` (the fast-path plan; :mod:`.uniform` first reads a large body whose
persons all share one shape from its bytes), :mod:`.execution`
(plans as one simulation), :mod:`.reference` (the fallback); :mod:`.values`
and :mod:`.errors` serve them all. Nothing here imports the routes.
"""

from openfisca_sp.api.situations.errors import NotOnFastPathError, SituationError
from openfisca_sp.api.situations.execution import calculate, calculate_uniform, execute
from openfisca_sp.api.situations.limits import (
    MAX_PERIOD_DAYS,
    MAX_PERSONS,
    MAX_REFERENCE_VALUES,
    MAX_RESULT_PERIODS,
    MAX_TRACED_PERIODS,
    check_size,
)
from openfisca_sp.api.situations.planning import SituationPlan, plan_situation
from openfisca_sp.api.situations.reference import LARGEST_NUMERIC_KEY, reference_calculate, trace

__all__ = [
    "LARGEST_NUMERIC_KEY",
    "MAX_PERIOD_DAYS",
    "MAX_PERSONS",
    "MAX_REFERENCE_VALUES",
    "MAX_RESULT_PERIODS",
    "MAX_TRACED_PERIODS",
    "NotOnFastPathError",
    "SituationError",
    "SituationPlan",
    "calculate",
    "calculate_uniform",
    "check_size",
    "execute",
    "plan_situation",
    "reference_calculate",
    "trace",
]

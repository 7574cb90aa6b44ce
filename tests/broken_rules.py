"""Rules broken after loading, as a reform can break them: what readiness checks must catch."""

from __future__ import annotations

from openfisca_core import periods
from openfisca_core.reforms import Reform


class TextMinimumMonths(Reform):
    """A value the loader would refuse, set after loading: every old-age decision from 2030 fails."""

    def apply(self) -> None:
        def sixty(parameters):
            minimum = parameters.old_age.qualifying_period.minimum_months
            minimum.update(start=periods.instant("2030-01-01"), value="sixty")
            return parameters

        self.modify_parameters(sixty)

"""Build the tax-benefit system of a jurisdiction from shared variables and its own parameters."""

from __future__ import annotations

from functools import cache

from openfisca_core.parameters import ParameterNode
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.entities import entities
from openfisca_sp.rules.exact_numbers import hold_floats_exactly
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.paths import VARIABLES_DIR
from openfisca_sp.rules.wording import abridged


class SocialProtectionSystem(TaxBenefitSystem):
    """The rules of one jurisdiction: shared entities and variables, its own parameters.

    Variables in ``variables/<branch>/`` are written once for every jurisdiction;
    a jurisdiction's folder ``variables/<code>/`` replaces only the formulas whose
    legal structure differs there.
    """

    def __init__(
        self,
        jurisdiction: str | jurisdictions.Jurisdiction | None = None,
        linked_references: bool = True,
        parameters: ParameterNode | None = None,
    ) -> None:
        if isinstance(jurisdiction, jurisdictions.Jurisdiction):
            self.jurisdiction = jurisdiction  # e.g. a drafter's copy of a jurisdiction's folder
        else:
            self.jurisdiction = jurisdictions.get(jurisdiction)
        super().__init__(entities)
        # linked_references=False: a law diff's older tree, written before each reference had to give its link
        # parameters: a tree already loaded (a law diff's older tree, read whatever today's checks find in it)
        self.parameters = (
            parameters
            if parameters is not None
            else load_parameters(self.jurisdiction.parameters_dir, linked_references=linked_references)
        )
        codes = set(jurisdictions.registry())
        for directory in sorted(VARIABLES_DIR.iterdir()):
            if directory.is_dir() and directory.name not in codes and not directory.name.startswith(("_", ".")):
                self.add_variables_from_directory(str(directory))
        if self.jurisdiction.variables_dir is not None:
            self._override_variables(self.jurisdiction.variables_dir)
        hold_floats_exactly(self)  # money exact to the unit beyond float32's 16,777,216

    def _override_variables(self, directory) -> None:
        """Load a jurisdiction's own variables, replacing the shared ones of the same name."""
        self.add_variable = self.update_variable  # type: ignore[method-assign]
        try:
            self.add_variables_from_directory(str(directory))
        finally:
            # the class's method again, not one bound to this system: a clone (openfisca-core's, for a law case's
            # extensions) copies the attributes, and loaded an extension's variables into this system, not itself
            del self.add_variable


@cache
def tax_benefit_system(jurisdiction: str | None = None) -> SocialProtectionSystem:
    """A shared, cached tax-benefit system for ``jurisdiction`` (default if None)."""
    return SocialProtectionSystem(jurisdiction or jurisdictions.default_code())


def checked_system(system: object) -> TaxBenefitSystem:
    """``system`` if it is a tax-benefit system (a reform applied to one too), else a :class:`TypeError` saying what
    the rules are (``simulate(table, month, 5)`` was read as a system until an ``AttributeError``)."""
    if not isinstance(system, TaxBenefitSystem):
        raise TypeError(
            f"the rules are a tax-benefit system (a reform applied to one too) or a jurisdiction code ('lao'), "
            f"not {type(system).__name__} {abridged(system)}"
        )
    return system

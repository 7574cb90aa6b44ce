"""Build the tax-benefit system of a jurisdiction from shared variables and its own parameters."""

from __future__ import annotations

import sys
from functools import cache
from typing import NoReturn

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.entities import entities
from openfisca_sp.rules.exact_numbers import hold_floats_exactly
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.paths import VARIABLES_DIR
from openfisca_sp.rules.yaml_files import ParameterFileError


class SocialProtectionSystem(TaxBenefitSystem):
    """The rules of one jurisdiction: shared entities and variables, its own parameters.

    Variables in ``variables/<branch>/`` are written once for every jurisdiction;
    a jurisdiction's folder ``variables/<code>/`` replaces only the formulas whose
    legal structure differs there.
    """

    def __init__(self, jurisdiction: str | jurisdictions.Jurisdiction | None = None) -> None:
        if isinstance(jurisdiction, jurisdictions.Jurisdiction):
            self.jurisdiction = jurisdiction  # e.g. a drafter's copy of a jurisdiction's folder
        else:
            self.jurisdiction = jurisdictions.get(jurisdiction)
        super().__init__(entities)
        self.parameters = load_parameters(self.jurisdiction.parameters_dir)
        codes = set(jurisdictions.registry())
        for directory in sorted(VARIABLES_DIR.iterdir()):
            if directory.is_dir() and directory.name not in codes and not directory.name.startswith(("_", ".")):
                self.add_variables_from_directory(str(directory))
        if self.jurisdiction.variables_dir is not None:
            self._override_variables(self.jurisdiction.variables_dir)
        hold_floats_exactly(self)  # money exact to the unit beyond float32's 16,777,216

    def _override_variables(self, directory) -> None:
        """Load a jurisdiction's own variables, replacing the shared ones of the same name."""
        add_variable = self.add_variable
        self.add_variable = self.update_variable  # type: ignore[method-assign]
        try:
            self.add_variables_from_directory(str(directory))
        finally:
            self.add_variable = add_variable  # type: ignore[method-assign]


class CountryTaxBenefitSystem(SocialProtectionSystem):
    """The default jurisdiction, as ``openfisca test`` and ``openfisca serve`` expect.

    Set ``OPENFISCA_SP_JURISDICTION`` (e.g. ``vnm``) to serve or test another one. Run by ``openfisca test`` on
    the law cases of one jurisdiction's folder (``tests/rules/vnm``) with the variable unset, it loads that
    jurisdiction's rules (it loaded the default's, and the cases failed on amounts); on cases of another
    jurisdiction's folder than the variable names, it says so on standard error. Under ``openfisca test`` and
    ``openfisca serve``, rules that do not load (a drafter's ``file:line: cause``) and an unknown jurisdiction
    in the variable end the run with one line, not openfisca-core's traceback.
    """

    def __init__(self) -> None:
        by_openfisca = jurisdictions.run_by_openfisca(sys.argv, "test") or jurisdictions.run_by_openfisca(
            sys.argv, "serve"
        )
        try:
            super().__init__(jurisdictions.tested_here(sys.argv))
        except jurisdictions.UnknownJurisdictionError as error:
            if by_openfisca:
                _stop(f"openfisca-sp: {error} (from {jurisdictions.ENVIRONMENT_VARIABLE})")
            raise
        except jurisdictions.MixedJurisdictionsError as error:
            _stop(f"openfisca-sp: {error}")
        except ParameterFileError as error:
            if by_openfisca:
                _stop(f"openfisca-sp: the rules do not load: {error}")
            raise
        code = self.jurisdiction.code
        note = jurisdictions.tested_elsewhere(sys.argv, code) or jurisdictions.tested_by_default(sys.argv, code)
        if note:
            print(note, file=sys.stderr)


APP_LOAD_ERROR = 4  # gunicorn's: a worker that exits so stops the server, where it starts another after exit 1


def _stop(message: str) -> NoReturn:
    """End ``openfisca test`` or ``openfisca serve`` with one line; under ``openfisca serve`` (gunicorn's workers
    load the rules) with gunicorn's code for an application that does not load, which stops the server: it
    started a new worker after each failed one, forever."""
    print(message, file=sys.stderr, flush=True)
    raise SystemExit(APP_LOAD_ERROR if jurisdictions.run_by_openfisca(sys.argv, "serve") else 1) from None


@cache
def tax_benefit_system(jurisdiction: str | None = None) -> SocialProtectionSystem:
    """A shared, cached tax-benefit system for ``jurisdiction`` (default if None)."""
    return SocialProtectionSystem(jurisdiction or jurisdictions.default_code())

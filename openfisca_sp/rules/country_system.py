"""The system ``openfisca test`` and ``openfisca serve --country-package openfisca_sp`` load: the default
jurisdiction, or the one the law cases' folder or the environment names, with their mistakes told in one line."""

from __future__ import annotations

import sys
from typing import NoReturn

from openfisca_sp.rules import jurisdictions, law_case_parallel
from openfisca_sp.rules.system import SocialProtectionSystem
from openfisca_sp.rules.yaml_files import ParameterFileError


class CountryTaxBenefitSystem(SocialProtectionSystem):
    """The default jurisdiction, as ``openfisca test`` and ``openfisca serve`` expect.

    Set ``OPENFISCA_SP_JURISDICTION`` (e.g. ``vnm``) to serve or test another one. Run by ``openfisca test`` on
    the law cases of one jurisdiction's folder (``tests/rules/vnm``) with the variable unset, it loads that
    jurisdiction's rules (it loaded the default's, and the cases failed on amounts); on cases of another
    jurisdiction's folder than the variable names, the run stops in one line, none run. Under ``openfisca test`` and
    ``openfisca serve``, rules that do not load (a drafter's ``file:line: cause``) and an unknown jurisdiction
    in the variable end the run with one line, not openfisca-core's traceback; under ``openfisca test``, so do
    the mistakes of the law cases named, each at its line (:mod:`~.law_case_runs`), a case's numbers are
    compared at the precision the rules hold them (:mod:`~.law_case_precision`), a case is computed with the rules
    of its event's day (:mod:`~.law_case_on_date`), and a passing case's inputs its
    computation never reads are warned of at their lines (:mod:`~.law_case_unread`); with ``--in-parallel``, its
    workers run on the same rules with the same hooks, and their warnings are printed once they end
    (:mod:`~.law_case_parallel`).
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
        elsewhere = jurisdictions.tested_elsewhere(sys.argv, code)
        if elsewhere:
            _stop(elsewhere)
        note = jurisdictions.tested_by_default(sys.argv, code)
        if note:
            print(note, file=sys.stderr)
        worker = law_case_parallel.in_worker(sys.argv)  # of openfisca test --in-parallel: run as the run it serves
        if jurisdictions.run_by_openfisca(sys.argv, "test") or worker:
            from openfisca_sp.rules.law_case_lines import tell_failures_at_their_lines  # pytest: for tests only
            from openfisca_sp.rules.law_case_on_date import read_rules_on_the_event_day
            from openfisca_sp.rules.law_case_precision import compare_at_precision_held
            from openfisca_sp.rules.law_case_unread import warn_of_unread_inputs_when_passed

            compare_at_precision_held()
            tell_failures_at_their_lines()
            read_rules_on_the_event_day()
            warn_of_unread_inputs_when_passed()
        if jurisdictions.run_by_openfisca(sys.argv, "test"):
            from openfisca_sp.rules.law_case_runs import run_problems, run_problems_text

            problems = run_problems(sys.argv, code)
            if problems:
                _stop(run_problems_text(problems))
            for entity in self.entities:  # the check's rules (another system) took the shared entities: back here
                entity.set_tax_benefit_system(self)
            if law_case_parallel.in_parallel(sys.argv):
                law_case_parallel.prepare_workers(code)


APP_LOAD_ERROR = 4  # gunicorn's: a worker that exits so stops the server, where it starts another after exit 1


def _stop(message: str) -> NoReturn:
    """End ``openfisca test`` or ``openfisca serve`` with one line; under ``openfisca serve`` (gunicorn's workers
    load the rules) with gunicorn's code for an application that does not load, which stops the server: it
    started a new worker after each failed one, forever."""
    print(message, file=sys.stderr, flush=True)
    raise SystemExit(APP_LOAD_ERROR if jurisdictions.run_by_openfisca(sys.argv, "serve") else 1) from None

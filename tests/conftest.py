"""Pytest set-up: collect the YAML rule tests, each against its jurisdiction's system.

``tests/rules/<jurisdiction>/**/*.yaml`` are OpenFisca YAML tests; they run with
openfisca-core's own YAML test items, against the tax-benefit system of the
jurisdiction named by their folder. ``tests/claims/<jurisdiction>/*.yaml`` are
claim cases asked on a date, as ``/eligibility`` is (``tests/claim_cases.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from openfisca_core.tools.test_runner import OpenFiscaPlugin, YamlFile, YamlItem

from openfisca_sp import SocialProtectionSystem, tax_benefit_system
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.law_case_lines import tell_failures_at_their_lines
from openfisca_sp.rules.law_case_on_date import read_rules_on_the_event_day
from openfisca_sp.rules.law_case_precision import compare_at_precision_held
from openfisca_sp.rules.law_case_runs import case_file_problems
from openfisca_sp.rules.yaml_files import ParameterFileError
from tests.claim_cases import ClaimFile

compare_at_precision_held()  # law cases compare money in float64, as the rules hold it
tell_failures_at_their_lines()  # a failing case's expected value at its line, as openfisca test tells it
read_rules_on_the_event_day()  # a case that sets event_date reads that day's rules, as /eligibility does

# Property tests hold whatever the time a draw takes: the suite runs on several processes at once (pytest-xdist),
# and a draw's time measures the machine's load, not the rules. Hypothesis's 200 ms deadline and its health check
# on slow data generation would fail a property that holds; the properties and their examples are unchanged.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

RULES = Path(__file__).parent / "rules"
CLAIMS = Path(__file__).parent / "claims"


def _jurisdiction_of(path: Path) -> str | None:
    try:
        relative = path.resolve().relative_to(RULES.resolve())
    except ValueError:
        return None
    code = relative.parts[0]
    return code if code in jurisdictions.registry() else None


def pytest_sessionstart(session: pytest.Session) -> None:
    """End an ``openfisca test`` run of openfisca-sp's law cases under another country package's rules.

    Without ``-c``, openfisca-core takes the first country package installed, and the test extras install
    openfisca-country-template: every case then failed with "Simulation should be properly initialized"."""
    runner = next((p for p in session.config.pluginmanager.get_plugins() if isinstance(p, OpenFiscaPlugin)), None)
    # under -r, the rules are a reform of openfisca-sp's: its baseline's are openfisca-sp's
    if runner is None or isinstance(runner.tax_benefit_system.base_tax_benefit_system, SocialProtectionSystem):
        return
    if any(_jurisdiction_of(Path(given)) for given in session.config.args):
        package = type(runner.tax_benefit_system).__module__.split(".")[0]
        pytest.exit(
            f"openfisca-sp: these are openfisca-sp's law cases, but openfisca test loaded the rules of {package} "
            "(the first country package installed); run them with -c openfisca_sp",
            returncode=2,
        )


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    if any(isinstance(plugin, OpenFiscaPlugin) for plugin in parent.config.pluginmanager.get_plugins()):
        return None  # under `openfisca test`, openfisca-core collects the YAML files itself
    if file_path.resolve().parent.parent == CLAIMS.resolve() and file_path.parent.name in jurisdictions.registry():
        return ClaimFile.from_parent(parent, path=file_path)
    code = _jurisdiction_of(file_path)
    if code is None:
        return None
    try:
        system = tax_benefit_system(code)
    except ParameterFileError as error:  # a drafter's mistake: its file:line: cause, not a traceback to read
        raise pytest.Collector.CollectError(f"the rules of '{code}' do not load: {error}") from None
    return CheckedYamlFile.from_parent(parent, path=file_path, tax_benefit_system=system, options={})


class CheckedYamlFile(YamlFile):
    """A file of law cases, run only if it has none of the mistakes ``openfisca test`` stops on (a misspelt
    variable, a computed variable given as an input …), each told as ``file:line: cause``."""

    def collect(self):
        problems = case_file_problems(self.path, _jurisdiction_of(self.path) or jurisdictions.default_code())
        if problems:
            raise self.CollectError("\n".join(str(problem) for problem in problems))
        for number, case in enumerate(super().collect(), 1):
            yield NumberedYamlItem.from_parent(self, name=f"case {number}", case=case)


class NumberedYamlItem(YamlItem):
    """A law case named by its place in its file. openfisca-core names every case of a file "" (one node id for
    all): pytest-xdist's file scheduler keeps one test per node id, and ran one case of each file only."""

    def __init__(self, *, case: YamlItem, **kwargs) -> None:
        pytest.Item.__init__(self, **kwargs)  # the case as openfisca-core read it, under a name of its own
        for name in ("baseline_tax_benefit_system", "options", "test", "simulation", "tax_benefit_system"):
            setattr(self, name, getattr(case, name))

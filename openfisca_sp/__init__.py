"""openfisca-sp: social protection rules as code, law-referenced and date-versioned.

``CountryTaxBenefitSystem`` is the default jurisdiction (what ``openfisca test``
and ``openfisca serve --country-package openfisca_sp`` load); use
:func:`tax_benefit_system` for another one.

The package is layered; each layer imports only those below it:

* ``openfisca_sp.rules``: the rules core (entities, enumerations, the branch
  catalogue, parameter loading, sources, provenance, jurisdictions, the system,
  formula helpers);
* ``openfisca_sp.decisions``: facts, decisions per person and branch, legal basis;
* ``openfisca_sp.reforms``: the shipped reforms and how to name one;
* ``openfisca_sp.population``: the population engine (tables in, arrays, chunks, totals);
* ``openfisca_sp.analysis``: reform against baseline (comparison, breakdowns, coverage);
* ``openfisca_sp.report``, ``openfisca_sp.distributed``: the HTML report, runs on Dask;
* ``openfisca_sp.drafting``: tools for legal drafters (legal index, names of parameters);
* ``openfisca_sp.api``, ``openfisca_sp.cli``: the HTTP API and the command line.

``openfisca_sp.synthetic`` (synthetic populations) needs only the rules core.
"""

from openfisca_sp.rules.country_system import CountryTaxBenefitSystem
from openfisca_sp.rules.system import SocialProtectionSystem, tax_benefit_system
from openfisca_sp.rules.version import package_version

__version__ = package_version()

__all__ = ["CountryTaxBenefitSystem", "SocialProtectionSystem", "__version__", "tax_benefit_system"]

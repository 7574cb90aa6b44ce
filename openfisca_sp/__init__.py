"""openfisca-sp: social protection rules as code, law-referenced and date-versioned.

``CountryTaxBenefitSystem`` is the default jurisdiction (what ``openfisca test``
and ``openfisca serve --country-package openfisca_sp`` load); use
:func:`tax_benefit_system` for another one.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("openfisca-sp")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
    __version__ = "0.0.0"

from openfisca_sp.system import CountryTaxBenefitSystem, SocialProtectionSystem, tax_benefit_system

__all__ = ["CountryTaxBenefitSystem", "SocialProtectionSystem", "__version__", "tax_benefit_system"]

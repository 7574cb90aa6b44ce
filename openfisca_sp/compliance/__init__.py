"""The ILO compliance report: per jurisdiction and branch, on a date, the national rule against C102 and the higher
standards (C128, C168, C183), each line ``met``, ``not met`` or ``cannot be assessed``, with the articles and
verification status of both sides.

The ILO requirements are read from the reference scheme's parameters (``parameters/ilo_c102/``,
:mod:`~.standards`); the replacement rate of the standard beneficiary is computed by running the
jurisdiction's rules (:mod:`~.beneficiary`); :mod:`~.assessment` decides each line; :mod:`~.report`
gathers them (JSON-able), :mod:`~.render` writes them as text, Markdown or HTML. Web-free.
"""

from openfisca_sp.compliance.assessment import CANNOT, MET, NOT_MET, VERDICTS, Assessor, Line
from openfisca_sp.compliance.beneficiary import DEFAULT_WAGE_BASES, WageBasis
from openfisca_sp.compliance.render import FORMATS, render
from openfisca_sp.compliance.report import Compliance, JurisdictionCompliance, compliance, reform_jurisdictions
from openfisca_sp.compliance.standards import STANDARDS, Standard

__all__ = [
    "CANNOT",
    "DEFAULT_WAGE_BASES",
    "FORMATS",
    "MET",
    "NOT_MET",
    "STANDARDS",
    "VERDICTS",
    "Assessor",
    "Compliance",
    "JurisdictionCompliance",
    "Line",
    "Standard",
    "WageBasis",
    "compliance",
    "reform_jurisdictions",
    "render",
]

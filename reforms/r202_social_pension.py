"""A social pension for older persons without a contributory one: the R202 floor for old age (a reform).

ILO Recommendation No. 202 (2012), Para 5(d): national social protection floors
should guarantee "basic income security, at least at a nationally defined
minimum level, for older persons". This reform gives the social pension branch
(:mod:`openfisca_sp.rules.branches.social_pension`) the rule of
``reforms/r202_social_pension/<jurisdiction>.yaml``: a flat, non-contributory
monthly pension for persons at or above the age it sets (by default, the
statutory pensionable age) who are not entitled to a contributory old-age
pension. R202 sets no amount: each jurisdiction's amount is a *proposal*, with
its basis cited. Where the law in force already has a social pension (Viet Nam),
the reform's rule replaces the law's whole.
"""

from __future__ import annotations

from pathlib import Path

from openfisca_core.reforms import Reform

from openfisca_sp.rules.branches.social_pension import SOCIAL_PENSION
from openfisca_sp.rules.parameter_checks import PROPOSAL, STATUSES
from openfisca_sp.rules.parameter_loader import load_parameter_file
from openfisca_sp.rules.sources import load_sources

PARAMETERS = Path(__file__).parent / "r202_social_pension"


class r202_social_pension(Reform):
    """A flat social pension for older persons not entitled to a contributory pension (ILO R202 Para 5(d)).

    Eligible: at or above the age the reform sets (by default the statutory
    pensionable age) and not entitled to a contributory old-age pension. Amount:
    a flat monthly sum proposed per jurisdiction, with its basis cited. Where the
    law in force has a social pension (Viet Nam), the reform's rule replaces it.
    """

    name = "Social pension for older persons without a contributory pension (R202 floor)"
    jurisdictions = tuple(sorted(path.stem for path in PARAMETERS.glob("*.yaml")))
    references = (
        {
            "instrument": "ILO Social Protection Floors Recommendation, 2012 (No. 202)",
            "article": (
                "Para 5(d): basic income security, at least at a nationally defined minimum level, for older persons"
            ),
            "href": "https://www.ilo.org/secsoc/areas-of-work/legal-advice/WCMS_205341",
        },
    )

    def apply(self) -> None:
        code = self.baseline.jurisdiction.code
        path = PARAMETERS / f"{code}.yaml"
        if not path.exists():
            raise ValueError(f"r202_social_pension has no proposal for '{code}'; add {path.name} to {PARAMETERS}")
        sources = load_sources(self.baseline.jurisdiction.parameters_dir)
        node = load_parameter_file(path, "social_pension", (*STATUSES, PROPOSAL), SOCIAL_PENSION, sources)

        def give_social_pension(parameters):
            if "social_pension" in parameters.children:  # the law's own (Viet Nam): the reform's rule replaces it
                del parameters.children["social_pension"]
                if "social_pension" in parameters.__dict__:
                    del parameters.__dict__["social_pension"]
            parameters.add_child("social_pension", node)
            return parameters

        self.modify_parameters(give_social_pension)

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

from openfisca_core import periods
from openfisca_core.parameters import Parameter, ParameterNode
from openfisca_core.reforms import Reform

from openfisca_sp.rules.branches.social_pension import SOCIAL_PENSION
from openfisca_sp.rules.parameter_checks import PROPOSAL, STATUSES
from openfisca_sp.rules.parameter_loader import load_parameter_file
from openfisca_sp.rules.sources import load_sources

PARAMETERS = Path(__file__).parent / "r202_social_pension"


def with_the_law_before(node: ParameterNode, law: ParameterNode) -> None:
    """``node`` (the reform's rule) keeping the law's values before the reform's first date: the law's social
    pension stays in force until the reform starts (Viet Nam's from 1 July 2025, the reform's from 2026), and a
    value of the law the reform does not set stops then (the age of 75, where the reform reads the pensionable
    age)."""
    start = min(value.instant_str for child in node.children.values() for value in child.values_list)
    _keep_before(node, law, start)


def _keep_before(node: ParameterNode, law: ParameterNode, start: str) -> None:
    """:func:`with_the_law_before` from ``start``, into the law's folders (``payment_start/``) as into its files; a
    value of the law from ``start`` on (Viet Nam's month of the decision, from 5 October 2026) has nothing to keep."""
    for name, in_law in law.children.items():
        own = node.children.get(name)
        before = any(value.instant_str < start for each in _parameters_in(in_law) for value in each.values_list)
        if own is None and not before:
            continue
        if own is None:
            stopped = in_law.clone()
            for parameter in _parameters_in(stopped):
                parameter.update(start=periods.instant(start), value=None)
            node.add_child(name, stopped)
        elif isinstance(own, Parameter) and isinstance(in_law, Parameter):
            own.values_list = [*own.values_list, *(value for value in in_law.values_list if value.instant_str < start)]
        elif isinstance(own, ParameterNode) and isinstance(in_law, ParameterNode):
            _keep_before(own, in_law, start)


def _parameters_in(node: Parameter | ParameterNode) -> list[Parameter]:
    """The parameters of ``node``: itself, or those of its folders."""
    if isinstance(node, Parameter):
        return [node]
    return [parameter for child in node.children.values() for parameter in _parameters_in(child)]


class r202_social_pension(Reform):
    """A flat social pension for older persons not entitled to a contributory pension (ILO R202 Para 5(d)).

    Eligible: at or above the age the reform sets (by default the statutory
    pensionable age) and not entitled to a contributory old-age pension. Amount:
    a flat monthly sum proposed per jurisdiction, with its basis cited. Where the
    law in force has a social pension (Viet Nam), the reform's rule replaces it.
    """

    name = "Social pension for older persons without a contributory pension (R202 floor)"
    proposals = PARAMETERS  # the folder of the proposals, ``<jurisdiction>.yaml`` (a drafter's copy in a test)
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
        path = self.proposals / f"{code}.yaml"
        if not path.exists():
            raise ValueError(f"r202_social_pension has no proposal for '{code}'; add {path.name} to {self.proposals}")
        sources = load_sources(self.baseline.jurisdiction.parameters_dir)
        node = load_parameter_file(path, "social_pension", (*STATUSES, PROPOSAL), SOCIAL_PENSION, sources)

        def give_social_pension(parameters):
            if "social_pension" in parameters.children:  # the law's own (Viet Nam): the reform's rule replaces it
                law = parameters.children.pop("social_pension")
                parameters.__dict__.pop("social_pension", None)
                with_the_law_before(node, law)
            parameters.add_child("social_pension", node)
            return parameters

        self.modify_parameters(give_social_pension)

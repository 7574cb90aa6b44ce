"""A branch's parameters at an instant: whether the branch is modelled then, and which parts of its result.

Formulas ask these questions of the same few nodes over and over (every formula of a branch starts with
``branch(parameters, period, ...)``); the answers for an untraced node are kept per node, since openfisca-core
makes a node at an instant once and never changes it. A traced node (``/trace``) is asked afresh, so that
every reading is recorded.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from openfisca_core.parameters import ParameterNodeAtInstant
from openfisca_core.periods import Period
from openfisca_core.tracers import TracingParameterNodeAtInstant

from openfisca_sp.rules.branches import BRANCHES, ELIGIBILITY, Branch, Requirement
from openfisca_sp.rules.branches.model import SHARED_CEILING_MULTIPLE
from openfisca_sp.rules.branches.shared import INSURED_WAGE
from openfisca_sp.rules.null_values import not_found


def declared_branch(branch_or_code: Branch | str) -> Branch | None:
    """The catalogue's declaration of a branch (a reform's own branch is passed as its declaration)."""
    return branch_or_code if isinstance(branch_or_code, Branch) else BRANCHES.get(branch_or_code)


def branch(parameters: Any, period: Period, name: Branch | str) -> Any | None:
    """The parameter node of a branch at the period's start, or None if the branch is not modelled then.

    Not modelled: no ``provided`` value in force, or the law provides the
    benefit but a parameter its eligibility needs (see the branch catalogue) is
    not in force. Never a default in its place.
    """
    node = parameters(period.start)
    code = _catalogue_code(name)
    if code is not None and isinstance(node, ParameterNodeAtInstant):  # not traced: depends on the node and name only
        return _known_branch_in(node, code)
    return _branch_in(node, name)  # traced (or recorded): each reading seen


def _catalogue_code(name: Branch | str) -> str | None:
    """The code of a branch named by code or by the catalogue's own declaration (None for a reform's own)."""
    if isinstance(name, str):
        return name
    return name.code if BRANCHES.get(name.code) is name else None


def _branch_in(node: Any, name: Branch | str) -> Any | None:
    declared = declared_branch(name)
    code = declared.code if declared is not None else name
    if code not in node:
        return None
    branch_node = node[code]
    if "provided" not in branch_node:
        return None
    if declared is not None and not _eligibility_in_force(untraced(branch_node), declared):
        return None
    return branch_node


_known_branch_in = lru_cache(maxsize=4096)(_branch_in)  # nodes at an instant are made once and never change


@lru_cache(maxsize=4096)
def meets(node: Any, requirement: Requirement) -> bool:
    """Whether the parameters ``requirement`` names are in force in ``node`` (one of its alternatives, whole)."""
    return any(all(has(node, *path.split(".")) for path in option) for option in requirement)


def part_met(node: Any, declared: Branch, part: str) -> bool:
    """Whether ``node`` (a branch's parameters at an instant) has what ``part`` of the branch's result needs: the
    parameters its requirement names, and no optional name it reads standing at a null whose source was not found
    (:func:`~openfisca_sp.rules.null_values.not_found`; a rule a law ended reads as the name's absence)."""
    return meets(node, declared.requirement(part)) and not any(
        not_found(node, *path.split(".")) for path in declared.optional_names(part)
    )


@lru_cache(maxsize=4096)
def _eligibility_in_force(node: Any, declared: Branch) -> bool:
    if not bool(node.provided):  # "not provided by law" only where the law in force is known to provide none
        return in_law_in_force(node) is False
    return part_met(node, declared, ELIGIBILITY)


IN_LAW_IN_FORCE = "in_law_in_force"  # a reform's note: the law in force provides the benefit, the rules do not model it


def in_law_in_force(node: Any) -> bool | None:
    """Whether the law in force already provides the benefit of a branch's ``node`` (at an instant), which the rules
    do not model (``in_law_in_force``, a reform's note; false where not stated); None where a null says that was
    NOT FOUND (:func:`~openfisca_sp.rules.null_values.not_found`). Where the rules provide no benefit of their own
    (``provided`` false) and it is not false, the branch is not modelled, never "not provided by law"."""
    if not_found(node, IN_LAW_IN_FORCE):
        return None
    return has(node, IN_LAW_IN_FORCE) and bool(node[IN_LAW_IN_FORCE])


def part_modelled(parameters: Any, period: Period, name: Branch | str, part: str) -> bool:
    """Whether ``part`` of a branch's result (amount, duration …) has every parameter it needs at ``period``."""
    declared = declared_branch(name)
    node = branch(parameters, period, declared or name)
    if node is None or declared is None:
        return node is not None
    untraced_node = untraced(node)
    code = _catalogue_code(declared)
    # hashing a declaration or a requirement costs more than checking it: the catalogue's are looked up by code
    met = _known_part_met(untraced_node, code, part) if code is not None else part_met(untraced_node, declared, part)
    multiples = _reference_multiples(declared, part)
    if not met or not multiples:
        return met
    # read untraced, as the part's own parameters are (a trace, and the legal index, list the values a result reads);
    # a recording root (:mod:`~openfisca_sp.rules.recording`) is read through: the amount reads the same values
    root = untraced(parameters(period.start))
    return not _amounts_stopped(vars(root).get("_root", root), untraced_node, multiples)


SHARED = INSURED_WAGE.code  # the ceiling every branch shares, optional: "no ceiling" where a law ended it
SHARED_CEILINGS = tuple(name.path for name in INSURED_WAGE.parameters)


def amounts_stopped(root: Any, node: Any, multiples: tuple[str, ...]) -> tuple[str, ...]:
    """The reference amounts (``reference_amounts.base_salary``) not in force that the ``multiples`` in force cite
    (paths under the branch ``node``, or from ``root`` for the ceiling every branch shares): a part reading a
    multiple of an amount a null stopped is not modelled, never computed from 0. With them, where the part reads
    the ceiling every branch shares, its names that stand at a null whose source was not found."""
    stopped = []
    for path in multiples:
        keys = path.split(".")
        owner = root if path == SHARED_CEILING_MULTIPLE else node
        if owner is root and not has(node, "reference_wage", "ceiling"):  # not where the branch caps at its own
            stopped += [f"{SHARED}.{name}" for name in SHARED_CEILINGS if not_found(root, SHARED, name)]
        if has(owner, *keys):
            cited = owner
            for key in keys:
                cited = cited[key]
            stopped += [f"reference_amounts.{name}" for name in cited if not has(root, "reference_amounts", name)]
    return tuple(dict.fromkeys(stopped))


_amounts_stopped = lru_cache(maxsize=4096)(amounts_stopped)  # nodes at an instant are made once and never change


@lru_cache(maxsize=256)
def _reference_multiples(declared: Branch, part: str) -> tuple[str, ...]:
    return declared.reference_multiples(part)


@lru_cache(maxsize=4096)
def _known_part_met(node: Any, code: str, part: str) -> bool:
    """Whether the catalogue's branch ``code`` has in ``node`` every parameter ``part`` of its result needs."""
    return part_met(node, BRANCHES[code], part)


def has(node: Any, *path: str) -> bool:
    """Whether ``node`` has a value at ``path`` (e.g. ``has(p, 'duration', 'unit')``). A folder every value of
    which is null then (``maximum/`` whose multiples a law ended) has none: the name is absent."""
    for key in path:
        if not isinstance(untraced(node), ParameterNodeAtInstant) or key not in node:
            return False
        node = node[key]
    # a scale before its first date is an empty scale, a folder whose values all stopped an empty folder: no value
    node = untraced(node)
    if isinstance(node, ParameterNodeAtInstant):
        return bool(node._children)
    # (hasattr on a node would raise and catch an error inside openfisca-core: slow, so nodes are excluded first)
    is_scale = not isinstance(node, ParameterNodeAtInstant) and hasattr(node, "thresholds")
    return not (is_scale and len(node.thresholds) == 0)


def untraced(node: Any) -> Any:
    """The parameter node itself, also when the simulation traces (``/trace`` wraps every node)."""
    return node.parameter_node_at_instant if isinstance(node, TracingParameterNodeAtInstant) else node

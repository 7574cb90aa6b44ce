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
    if code is not None and type(node) is ParameterNodeAtInstant:  # not traced: depends on the node and name only
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
    if declared is not None and not _eligibility_in_force(untraced(branch_node), declared.requirement(ELIGIBILITY)):
        return None
    return branch_node


_known_branch_in = lru_cache(maxsize=4096)(_branch_in)  # nodes at an instant are made once and never change


@lru_cache(maxsize=4096)
def meets(node: Any, requirement: Requirement) -> bool:
    """Whether the parameters ``requirement`` names are in force in ``node`` (one of its alternatives, whole)."""
    return any(all(has(node, *path.split(".")) for path in option) for option in requirement)


@lru_cache(maxsize=4096)
def _eligibility_in_force(node: Any, requirement: Requirement) -> bool:
    return not bool(node.provided) or meets(node, requirement)


def part_modelled(parameters: Any, period: Period, name: Branch | str, part: str) -> bool:
    """Whether ``part`` of a branch's result (amount, duration …) has every parameter it needs at ``period``."""
    declared = declared_branch(name)
    node = branch(parameters, period, declared or name)
    if node is None or declared is None:
        return node is not None
    node = untraced(node)
    code = _catalogue_code(declared)
    if code is not None:  # hashing a declaration or a requirement costs more than checking it
        return _known_part_met(node, code, part)
    return meets(node, declared.requirement(part))


@lru_cache(maxsize=4096)
def _known_part_met(node: Any, code: str, part: str) -> bool:
    """Whether the catalogue's branch ``code`` has in ``node`` every parameter ``part`` of its result needs."""
    return meets(node, BRANCHES[code].requirement(part))


def has(node: Any, *path: str) -> bool:
    """Whether ``node`` has a value at ``path`` (e.g. ``has(p, 'duration', 'unit')``)."""
    for key in path:
        if not isinstance(untraced(node), ParameterNodeAtInstant) or key not in node:
            return False
        node = node[key]
    # a scale before its first date is an empty scale: it has no value then
    node = untraced(node)
    # (hasattr on a node would raise and catch an error inside openfisca-core: slow, so nodes are excluded first)
    is_scale = not isinstance(node, ParameterNodeAtInstant) and hasattr(node, "thresholds")
    return not (is_scale and len(node.thresholds) == 0)


def untraced(node: Any) -> Any:
    """The parameter node itself, also when the simulation traces (``/trace`` wraps every node)."""
    return node.parameter_node_at_instant if isinstance(node, TracingParameterNodeAtInstant) else node

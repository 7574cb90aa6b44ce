"""Why a value set to null stops a rule: a law ended it, or its source was not found (docs/drafting.md §2).

A null says why in its own metadata: the ``reference`` of the instrument that ends the rule, or a ``note`` (the
source not found). For a name the law may leave out (a cap, a ceiling, a grant of some kind: a
:class:`~openfisca_sp.rules.branches.model.ParameterName` with ``absent``) the two differ: a rule a law ended reads
as the name's documented absence from then ("no maximum"), a rule whose source was not found makes the part of the
result that reads the name not modelled from then (never a default, never 0). A null is taken as not found where
its own note says so (NOT FOUND, in any case); any other null ends the rule (a reform's null too: a proposal
abolishing it).

The loader keeps, on each parameter, the dates of its nulls not found (``not_found_dates``) and builds its folders
as :class:`LawNode` s, whose nodes at an instant know which of their children stand at such a null then (a folder
counts where one of its values does): :func:`not_found` asks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openfisca_core.parameters import Parameter, ParameterNode, ParameterNodeAtInstant
from openfisca_core.tracers import TracingParameterNodeAtInstant

from openfisca_sp.rules.suggestions import closest_name

NOT_FOUND = "not found"  # what a null's note says where its source was not found (NOT FOUND, by the house's convention)


def source_not_found(metadata: Any) -> bool:
    """Whether a null whose own metadata is ``metadata`` stands for a source not found, not for a rule that ended:
    its note says the source was NOT FOUND."""
    note = metadata.get("note") if isinstance(metadata, Mapping) else None
    return isinstance(note, str) and NOT_FOUND in note.lower()


def keep_not_found(parameter: Parameter, values: Any) -> Parameter:
    """Remember the dates of ``parameter``'s nulls whose source was not found (``not_found_dates``), from its
    ``values`` as written (a null's own metadata, not the parameter's)."""
    entries = values.items() if isinstance(values, Mapping) else ()
    parameter.not_found_dates = frozenset(  # type: ignore[attr-defined]
        str(date) for date, entry in entries if _null(entry) and source_not_found(_own_metadata(entry))
    )
    return parameter


def _null(entry: Any) -> bool:
    return entry is None or (isinstance(entry, Mapping) and entry.get("value") is None)


def _own_metadata(entry: Any) -> Any:
    return entry.get("metadata") if isinstance(entry, Mapping) else None


class LawNode(ParameterNode):
    """A folder of parameters whose nodes at an instant know which children stand at a null not found then."""

    def _get_at_instant(self, instant: str) -> LawNodeAtInstant:
        return LawNodeAtInstant(self.name, self, instant)

    def __getattr__(self, name: str) -> Any:
        """A child the folder lacks (a Python reform's ``parameters.social_pension.minimum_age_month``): refused
        naming its whole path and the closest child, where openfisca-core said "'LawNode' object has no
        attribute"."""
        if name.startswith("_") or "children" not in self.__dict__:
            raise AttributeError(name)
        raise UnknownParameterError(self, name)


class UnknownParameterError(AttributeError):
    """A parameter a folder lacks, asked by its name: the message names its path and the closest child (worked out
    only when it is read: code that asks whether an attribute exists pays nothing for it)."""

    def __init__(self, node: ParameterNode, child: str) -> None:
        super().__init__(child)
        self.node, self.child = node, child

    def __str__(self) -> str:
        path = f"{self.node.name}.{self.child}" if self.node.name else self.child
        close = closest_name(self.child, self.node.children)
        hint = f"; did you mean '{self.node.name + '.' if self.node.name else ''}{close}'?" if close else ""
        return f"no parameter '{path}' in these rules{hint}"


class LawNodeAtInstant(ParameterNodeAtInstant):
    """A folder at an instant, with ``_not_found``: its children whose value then is a null whose source was not
    found, and its folders holding one."""

    def __init__(self, name: str, node: ParameterNode, instant_str: str) -> None:
        super().__init__(name, node, instant_str)
        children = node.children.items()
        self._not_found = frozenset(
            key for key, child in children if _stands_not_found(child, self._children.get(key), instant_str)
        )


def _stands_not_found(child: Any, at_instant: Any, instant: str) -> bool:
    if isinstance(at_instant, LawNodeAtInstant):
        return bool(at_instant._not_found)
    dates = getattr(child, "not_found_dates", None) if at_instant is None else None
    if not dates:
        return False
    start = next((value.instant_str for value in child.values_list if value.instant_str <= instant), None)
    return start in dates


def not_found(node: Any, *path: str) -> bool:
    """Whether the value at ``path`` under ``node`` (a node at an instant), or a value under it, is a null whose
    source was not found (:func:`source_not_found`)."""
    *folders, last = path
    for key in folders:
        if not isinstance(_untraced(node), ParameterNodeAtInstant) or key not in node:
            return False
        node = node[key]
    node = _untraced(node)
    return isinstance(node, LawNodeAtInstant) and last in node._not_found


def not_found_names(node: Any) -> frozenset[str]:
    """The names of the children of ``node`` (a folder at an instant) that stand at a null whose source was not
    found then, or hold one (none where ``node`` is not a folder)."""
    node = _untraced(node)
    return node._not_found if isinstance(node, LawNodeAtInstant) else frozenset()


def _untraced(node: Any) -> Any:
    return node.parameter_node_at_instant if isinstance(node, TracingParameterNodeAtInstant) else node

"""The two exceptions of the situation reader: a client error, and a situation left to the reference."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openfisca_core.errors import SituationParsingError


class NotOnFastPathError(Exception):
    """The fast path does not handle this situation; openfisca-core's builder will."""


class SituationError(Exception):
    """A client error in a situation, located by its path (as openfisca's errors are).

    ``error`` is the answer's body: the message nested under the path's keys; ``code`` its HTTP status.
    """

    def __init__(self, path: list[str], message: str, code: int = 400) -> None:
        self.path = [str(item) for item in path]
        self.message = message
        self.code = code
        error: dict[str, Any] = {}
        node = error
        for key in self.path[:-1]:
            node = node.setdefault(key, {})
        if self.path:
            node[self.path[-1]] = message
        else:
            error["error"] = message
        self.error = error
        super().__init__(message)

    @classmethod
    def from_reference(cls, error: SituationParsingError, situation: Any = None) -> SituationError:
        """The same error body and code as openfisca-core's parsing error about ``situation``."""
        result = cls([], str(error), error.code or 400)
        result.error = _numeric_keys_repaired(error.error, situation)
        return result


def _numeric_keys_repaired(node: Any, sent: Any) -> Any:
    """openfisca-core builds error paths with dpath, which turns a numeric key ("2024") into a
    list index padded with nulls; give back the object keyed by the text the client sent (``sent``, the
    situation at this place). Where the client sent a list (a role's members), the reference's list stays."""
    if isinstance(node, dict):
        return {
            key: _numeric_keys_repaired(value, sent.get(key) if isinstance(sent, dict) else None)
            for key, value in node.items()
        }
    if isinstance(node, list) and not isinstance(sent, list):
        return {
            str(index): _numeric_keys_repaired(value, sent.get(str(index)) if isinstance(sent, dict) else None)
            for index, value in enumerate(node)
            if value is not None
        }
    return node

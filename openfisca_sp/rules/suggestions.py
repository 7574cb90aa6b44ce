"""The known name closest to a mistyped one: the "did you mean" of every error message that names a name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

LONGEST_COMPARED = 200  # characters of a name compared (one from a request or a file may be long)


def closest_name(name: object, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The name among ``known`` closest to ``name`` (difflib's similarity ratio at least ``cutoff``), or None.

    Only the first :data:`LONGEST_COMPARED` characters of ``name`` are compared."""
    found = difflib.get_close_matches(str(name)[:LONGEST_COMPARED], list(known), n=1, cutoff=cutoff)
    return found[0] if found else None

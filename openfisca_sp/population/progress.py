"""A run's progress callback, checked before the run starts."""

from __future__ import annotations

from typing import Any

from openfisca_sp.rules.wording import abridged


def check_progress(progress: Any) -> None:
    """Refuse a ``progress`` that cannot be called, before anything is read (``simulate(..., progress=5)`` read
    the table and ran the first chunk before "'int' object is not callable")."""
    if progress is not None and not callable(progress):
        raise TypeError(
            "progress is a function called with (done, in all), or None; "
            f"not {type(progress).__name__} {abridged(progress)}"
        )

"""A count said with its noun in the right number: "1 month", "2 months", "0 months" (every message built from a
count says it through here, so that none says "the 1 months")."""

from __future__ import annotations


def noun_for(number: float, noun: str, plural: str | None = None) -> str:
    """``noun`` as a count of ``number`` takes it: singular for one (or minus one), else ``plural`` (default: the
    noun and an s)."""
    return noun if abs(number) == 1 else plural or f"{noun}s"


def counted(number: float, noun: str, plural: str | None = None, form: str = "") -> str:
    """``number`` written in ``form`` (a format spec: ``","``, ``",.0f"``), then ``noun`` in the number it takes as
    written (``0.6`` written ``1`` is one)."""
    written = format(number, form)
    shown = written.replace(",", "").lstrip("-")
    return f"{written} {noun_for(1 if shown == '1' else 2, noun, plural)}"

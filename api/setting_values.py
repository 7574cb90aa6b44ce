"""What the settings and the readers of API keys share: the error of a setting the service cannot run with, and
how a comma-separated setting is split."""

from __future__ import annotations

from typing import Any


class SettingsError(ValueError):
    """A setting has a value the service cannot run with: which one, what it was, what was expected."""

    def __init__(self, name: str, value: Any, expected: str) -> None:
        self.name, self.value, self.expected = name, value, expected
        super().__init__(f"{name}={value!r}: expected {expected}")


def comma_items(text: str) -> tuple[str, ...]:
    """The items of a comma-separated setting, stripped, empty ones left out."""
    return tuple(item.strip() for item in text.split(",") if item.strip())

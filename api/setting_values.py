"""What the settings, the readers of API keys and the transport share: the error of a setting the service cannot
run with, how a comma-separated setting is split, and how a yes/no one is read."""

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


def flag(name: str, text: str) -> bool:
    """A yes/no setting: 1/0, true/false, yes/no, on/off (any case)."""
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(name, text, "true or false (1/0, yes/no)")

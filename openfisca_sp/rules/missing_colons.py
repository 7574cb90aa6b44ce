"""A key written without its colon (``value 0.8``, ``status verified``), found where YAML's parser stops.

PyYAML reads ``value 0.8`` as text and stops at the next line, with words about
indentation or a ``':'`` it could not find: the drafter looked at the wrong line
for the wrong mistake. The line the parser started its key on, or the line just
above the one it stopped at, is taken for a key without its colon when it reads
as a name, spaces and a value, at the indentation of the keys around it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

import yaml

_START = r"(?P<indent> *)(?P<dash>- +)?"  # a key's indentation, and a list item's dash
_NAME = r"(?P<key>[A-Za-z0-9_][A-Za-z0-9_.-]*)"
_KEY_AND_VALUE = re.compile(_START + _NAME + r" +(?P<value>[^\s#:][^#]*?) *")
_LONE_KEY = re.compile(_START + _NAME + " *")
_KEY = re.compile(_START + r"[A-Za-z0-9_\"'][^:#]*:(\s|$)")
_SIMPLE_KEY = "while scanning a simple key"


def _significant(lines: list[str], number: int, step: int) -> int | None:
    """The number (from 1) of the nearest line from ``number`` on, in the direction ``step``, that is neither
    blank nor a comment."""
    while 1 <= number <= len(lines):
        if lines[number - 1].strip() and not lines[number - 1].lstrip().startswith("#"):
            return number
        number += step
    return None


def _key_column(match: re.Match[str]) -> int:
    """Where the key of a line starts (after a list item's ``- ``)."""
    return len(match["indent"]) + len(match["dash"] or "")


def _written_without_colon(lines: list[str], number: int, sibling_at: int | None) -> tuple[int, str] | None:
    """Line ``number`` as a key without its colon, if it reads as one. A key alone (``2014-01-01``) must have a
    more indented block under it; with ``sibling_at`` (the line the parser stopped at), a key and its value
    must have a key at the same column there (a sibling, so this line was meant as a key too)."""
    text = lines[number - 1].rstrip("\r\n")
    if "\t" in text:
        return None
    lone = _LONE_KEY.fullmatch(text)
    if lone is not None:
        below = _significant(lines, number + 1, 1)
        block = _KEY.match(lines[below - 1]) if below is not None else None
        if block is not None and _key_column(block) > _key_column(lone):
            return number, f"missing ':' after '{lone['key']}' (write {lone['key']}:)"
        return None
    found = _KEY_AND_VALUE.fullmatch(text)
    if found is None:
        return None
    if sibling_at is not None:
        sibling = _KEY.match(lines[sibling_at - 1])
        if sibling is None or _key_column(sibling) != _key_column(found):
            return None
    key, value = found["key"], found["value"]
    return number, f"missing ':' after '{key}' (write {key}: {value})"


def missing_colon(lines: list[str], error: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """The line of a key written without its colon that made the parser fail with ``error``, and what to write;
    None when the error is of another kind."""
    if error.context == _SIMPLE_KEY and error.context_mark is not None:
        return _written_without_colon(lines, error.context_mark.line + 1, None)
    if error.problem_mark is None:
        return None
    stopped = error.problem_mark.line + 1
    above = _significant(lines, stopped - 1, -1)
    if above is None or _significant(lines, stopped, 1) != stopped:
        return None
    return _written_without_colon(lines, above, stopped)


def missing_colon_in_text(text: Any, keys: Collection[str]) -> str | None:
    """Why a text that starts with one of ``keys`` and a space (``value 0.8``, read as the text "value 0.8" where
    it is alone under its key) is a key written without its colon; None otherwise."""
    if not isinstance(text, str) or " " not in text.strip():
        return None
    key, value = text.strip().split(" ", 1)
    return f"missing ':' after '{key}' (write {key}: {value.strip()})" if key in keys else None

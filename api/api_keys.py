"""API keys as the service reads them: from a file (``OPENFISCA_SP_API_KEYS_FILE``) or the environment
(``OPENFISCA_SP_API_KEYS``), never the command line; each checked, none ever shown in an error."""

from __future__ import annotations

import re
from pathlib import Path

from openfisca_sp.api.setting_values import SettingsError, comma_items


def read_keys(text: str, name: str = "OPENFISCA_SP_API_KEYS", comments: bool = False) -> frozenset[str]:
    """API keys: one per line or comma-separated; blank lines ignored and, with ``comments`` (a file), a comment
    from a ``#`` that starts a line or follows a space. A key is printable ASCII without spaces (what a header
    carries whole), a ``#`` within it included: any ``#`` was once read as a comment's start, cutting ``s3cr#et``
    to ``s3cr``, which then opened the routes. A key that is not is refused with its line, never its text."""
    keys = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for key in comma_items(_COMMENT.split(line, maxsplit=1)[0] if comments else line):
            if not _KEY.fullmatch(key):
                where = f"line {number}" if comments else "a key"
                raise SettingsError(
                    name,
                    f"<{where}, not shown>",
                    "keys of printable ASCII characters without spaces, one per line or comma-separated"
                    + ("; a comment starts with a '#' at the start of a line or after a space" if comments else ""),
                )
            keys.add(key)
    return frozenset(keys)


_KEY = re.compile(r"[!-~]+")  # printable ASCII, no space: a header value's characters that survive trimming
_COMMENT = re.compile(r"(?:^|\s)#")


def keys_file(name: str, text: str) -> frozenset[str]:
    path = Path(text).expanduser()
    try:
        keys = read_keys(path.read_text(encoding="utf-8"), name, comments=True)
    except OSError as error:
        raise SettingsError(name, text, f"a readable file of API keys ({error.strerror})") from None
    except UnicodeDecodeError:
        raise SettingsError(name, text, "a file of API keys in UTF-8") from None
    if not keys:
        raise SettingsError(name, text, "a file holding at least one API key")
    return keys


def keys_variable(name: str, text: str) -> frozenset[str]:
    """The keys of an environment variable: set empty, none (every route open); set otherwise, at least one (a
    value of only commas or spaces would leave every route open without a word)."""
    keys = read_keys(text, name)
    if text.strip() and not keys:
        raise SettingsError(name, "<not shown>", "at least one API key (comma-separated), or the variable set empty")
    return keys

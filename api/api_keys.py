"""API keys as the service reads them: from a file (``OPENFISCA_SP_API_KEYS_FILE``) or the environment
(``OPENFISCA_SP_API_KEYS``), never the command line, and keys tied to the DCI senders they may send for
(``OPENFISCA_SP_DCI_KEY_SENDERS_FILE``); each checked, none ever shown in an error."""

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


def _file_text(name: str, text: str) -> str:
    try:
        return Path(text).expanduser().read_text(encoding="utf-8")
    except OSError as error:
        raise SettingsError(name, text, f"a readable file of API keys ({error.strerror})") from None
    except UnicodeDecodeError:
        raise SettingsError(name, text, "a file of API keys in UTF-8") from None


def keys_file(name: str, text: str) -> frozenset[str]:
    keys = read_keys(_file_text(name, text), name, comments=True)
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


KeySenders = tuple[tuple[str, frozenset[str]], ...]
"""Each API key and the DCI ``sender_id`` s it may send for."""
MAX_SENDER = 256  # the longest sender_id a key may be tied to (as OPENFISCA_SP_DCI_SENDER_ID)


def key_senders_file(name: str, text: str) -> KeySenders:
    """The file ``text`` of API keys tied to DCI senders: a line each, ``<key> <sender_id>[,<sender_id>…]``
    (a key on several lines sends for each line's senders), comments and blank lines as in a keys file. A line
    that is not is refused with its number, never its text."""
    found: dict[str, set[str]] = {}
    for number, line in enumerate(_file_text(name, text).splitlines(), start=1):
        fields = _COMMENT.split(line, maxsplit=1)[0].split()
        if not fields:
            continue
        senders = comma_items(fields[1]) if len(fields) == 2 else ()
        if not (senders and _KEY.fullmatch(fields[0]) and all(len(sender) <= MAX_SENDER for sender in senders)):
            raise SettingsError(
                name,
                f"<line {number}, not shown>",
                "a line '<API key> <sender_id>[,<sender_id>...]' (a key of printable ASCII characters without "
                f"spaces, sender_ids of at most {MAX_SENDER} characters, comma-separated)",
            )
        found.setdefault(fields[0], set()).update(senders)
    if not found:
        raise SettingsError(name, text, "a file holding at least one API key and its senders")
    return tuple((key, frozenset(senders)) for key, senders in sorted(found.items()))

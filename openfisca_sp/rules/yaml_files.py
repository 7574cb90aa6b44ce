"""YAML files of the rules, read safely with the line of every key, and the error that names file and line.

Used for parameters, source registries and reforms: a drafter's mistake is
reported as ``path:line: what is wrong`` so that it is fixed in one step.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from openfisca_sp.rules.missing_colons import missing_colon

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ParameterFileError(ValueError):
    """A parameter file breaks a rule; the message starts with ``path:line:``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class Mapping(dict):
    """A dict that remembers the line of each key and of itself (1-based), and which keys were left empty.

    ``key: null`` and ``key:`` with nothing after it both read as None; only the
    second is in ``empty_keys`` (a value forgotten, or ended without saying so).
    """

    line: int = 0
    key_lines: dict[Any, int]
    empty_keys: frozenset[Any] = frozenset()
    written: dict[Any, str]  # the text of each value read as a decimal number (``600.000``, read as 600.0)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader: dates stay strings, duplicate keys fail, lines are kept, aliases and numbers another YAML
    reader would read otherwise are refused."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:  # a node met twice: an alias (*name) of an anchored one
            raise _Refused(None, None, ALIAS, node.start_mark)
        return super().construct_object(node, deep)


class _Refused(yaml.constructor.ConstructorError):
    """A value YAML reads but the rules' files refuse (its problem is said as it is, not as a syntax error)."""


ALIAS = (
    "the value anchored here (&name) is repeated by an alias (*name): the rules' files write each value out, so "
    "that what a line says is what it holds (and a few lines of aliases cannot expand to gigabytes)"
)
_PLAIN_INTEGER = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


def _read_otherwise(text: str, value: Any) -> str:
    """Why a number written ``text`` (read by YAML 1.1 as ``value``) is refused, and how to write it."""
    digits = text.lstrip("+-")
    if ":" in text:
        form, meant = "a base-60 number (1:00 is 60)", value
    elif "_" in text:
        form, meant = "a number with underscores", value
    elif digits[:2].lower() in ("0x", "0b"):
        form, meant = ("a hexadecimal" if digits[:2].lower() == "0x" else "a binary") + " number", value
    else:  # 060: octal here, 60 to a YAML 1.2 reader and to whoever reads the file
        form, meant = "an octal number, for its leading zero", int(text, 10)
    return (
        f"'{text}' is read by this YAML reader as {form}, {value!r}, and by others (YAML 1.2, editors) otherwise: "
        f"write the number in plain decimal digits{f' ({meant!r}?)' if isinstance(meant, (int, float)) else ''}"
    )


def _construct_integer(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    try:
        value = loader.construct_yaml_int(node)
    except ValueError:  # more digits than Python converts (4,300): read, it would stop the reader with no line
        digits = len(node.value.lstrip("+-"))
        said = f"a whole number of {digits:,} digits: beyond any number the rules hold"
        raise _Refused(None, None, said, node.start_mark) from None
    if not _PLAIN_INTEGER.fullmatch(node.value):
        raise _Refused(None, None, _read_otherwise(node.value, value), node.start_mark)
    return value


def _construct_float(loader: _LineLoader, node: yaml.ScalarNode) -> float:
    if not _PLAIN_FLOAT.fullmatch(node.value):
        try:
            value: Any = loader.construct_yaml_float(node)
        except ValueError:  # 1.2.3: YAML 1.1's pattern takes it, Python's float does not
            value = "no number"
        raise _Refused(None, None, _read_otherwise(node.value, value), node.start_mark)
    return loader.construct_yaml_float(node)


def _construct_boolean(loader: _LineLoader, node: yaml.ScalarNode) -> bool:
    value = loader.construct_yaml_bool(node)
    if node.value not in ("true", "True", "TRUE", "false", "False", "FALSE"):  # yes, no, on, off: YAML 1.1 only
        written = str(value).lower()
        raise _Refused(
            None,
            None,
            f"'{node.value}' is read by this YAML reader as {written}, and by others (YAML 1.2, editors) as text: "
            f"write {written}",
            node.start_mark,
        )
    return value


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    result.written = {}
    empty = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain scalar", key_node.start_mark
            )
        if key in result:
            first = result.key_lines[key]
            raise _Refused(
                None,
                None,
                f"duplicate key '{key}': written at line {first} and again here; keep one of the two",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag == "tag:yaml.org,2002:float":
            result.written[key] = value_node.value
        if _is_empty(value_node):
            empty.add(key)
    result.empty_keys = frozenset(empty)
    return result


def _is_empty(node: yaml.Node) -> bool:
    """A value written as nothing at all (not ``null`` nor ``~``, nor quoted)."""
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == "tag:yaml.org,2002:null"
        and node.value == ""
        and not node.style
    )


def written_as(mapping: Any, key: Any) -> str | None:
    """How the decimal number under ``key`` of a mapping read from YAML was written (None if it is none)."""
    return mapping.written.get(key) if isinstance(mapping, Mapping) and hasattr(mapping, "written") else None


def is_empty(mapping: Any, key: Any) -> bool:
    """Whether ``key`` of a mapping read from YAML was written with nothing after it."""
    return isinstance(mapping, Mapping) and key in mapping.empty_keys


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    return str(node.value)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_integer)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_LineLoader.add_constructor("tag:yaml.org,2002:bool", _construct_boolean)


# PyYAML's words for a drafter's usual slips, in a drafter's words
_SYNTAX_PROBLEMS = (
    (
        "expected <block end>",
        "bad indentation: this line is indented differently from the lines of the same level above it",
    ),
    (
        "mapping values are not allowed",
        "bad indentation: a key is indented under a value that is not a mapping (align it with the keys of its "
        "level), or an unquoted value holds ': ' (quote it)",
    ),
    ("did not find expected key", "bad indentation or an unclosed quote: a line is out of line with the ones above"),
    ("did not find expected '-' indicator", "bad indentation: an item of a list is out of line with the items above"),
    ("found unexpected end of stream", "a quote or bracket opened and never closed"),
)


TAB = "a tab character: YAML indents with spaces only; replace the tab with spaces"


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _misindented(lines: list[str], error: yaml.MarkedYAMLError) -> str | None:
    """Where a key is out of line with the keys of its mapping (``status:`` indented 7 spaces, ``reference:`` 6):
    how far it is indented, and how far the keys above it are, which PyYAML's words (``did not find expected key``)
    do not say; None where the slip is not that (a quote left open, a list's item)."""
    context, problem = error.context_mark, error.problem_mark
    if error.context != "while parsing a block mapping" or context is None or problem is None:
        return None
    number = problem.line
    if number >= len(lines) or not lines[number].strip() or lines[number].lstrip().startswith(("-", "#", '"', "'")):
        return None
    between = lines[context.line : number]
    if any(line.count('"') % 2 or line.count("'") % 2 for line in between if not line.lstrip().startswith("#")):
        return None  # a quote opened and not closed: PyYAML's own words say so
    indent = _indent(lines[number])
    written = [at for at in range(context.line + 1, number) if lines[at].strip() and lines[at].lstrip()[0] != "#"]
    above = written[-1] if written else None
    told = f"the keys of the mapping from line {context.line + 1} are indented {context.column}"
    if above is not None and _indent(lines[above]) not in (context.column, indent):
        told += f", and line {above + 1}, above it, {_indent(lines[above])}"
    return (
        f"bad indentation: line {number + 1} is indented {indent} spaces, in line with no key above it: {told}; keys "
        "of one mapping line up, and a key under another is indented two spaces more than that key"
    )


def syntax_problem(problem: str, line_text: str = "") -> str:
    """What a YAML syntax error means for whoever wrote the file (``line_text``: the line it was found on)."""
    if "\t" in line_text:
        return TAB
    for words, meaning in _SYNTAX_PROBLEMS:
        if words in problem:
            return f"{meaning} (YAML: {problem})"
    return f"invalid YAML: {problem}"


def _line_text(path: Path, line: int | None) -> str:
    if not line:
        return ""
    try:
        with path.open(encoding="utf-8", errors="replace") as stream:
            return next((text for number, text in enumerate(stream, 1) if number == line), "")
    except OSError:
        return ""


def _lines(path: Path) -> list[str]:
    """The lines of ``path``, split where YAML splits them."""
    try:
        return _LINE_BREAK.split(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
    except (OSError, UnicodeDecodeError):
        return []


# Characters that look like a space, or like nothing, and are neither to YAML: text pasted from Word or a PDF
# carries them, and YAML reads them as part of a key or value, so its own message points elsewhere.
LOOKALIKE_SPACES = {
    "\u00a0": "a non-breaking space (U+00A0)",
    "\u2007": "a figure space (U+2007)",
    "\u202f": "a narrow non-breaking space (U+202F)",
    "\ufeff": "an invisible zero-width no-break space (U+FEFF, a byte order mark inside the file)",
}
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_SPACING = " \t" + "".join(LOOKALIKE_SPACES)


def _in_place_of_a_space(before: str, character: str) -> bool:
    """Whether ``character``, after ``before`` on its line, stands where YAML needs a space: in the indentation,
    after a list's ``-`` or a key's ``:`` (in a text, a non-breaking space is the text's own)."""
    kept = before.rstrip(_SPACING)
    return character == "\ufeff" or not kept or kept[-1] in "-:,[{"


def lookalike_space(path: Path, last_line: int | None = None) -> tuple[int, str] | None:
    """The first character of ``path`` (up to line ``last_line``) that stands for a space YAML does not read as
    one: its line, and what it is and where, in a drafter's words. A byte order mark that starts the file is
    allowed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), 1):
        if last_line is not None and number > last_line:
            return None
        for column, character in enumerate(line, 1):
            if character in LOOKALIKE_SPACES and _in_place_of_a_space(line[: column - 1], character):
                if character == "\ufeff":
                    return number, f"{LOOKALIKE_SPACES[character]} at column {column}: delete it"
                return number, (
                    f"{LOOKALIKE_SPACES[character]} at column {column} where YAML needs an ordinary space (text "
                    "pasted from Word or a PDF carries it): replace it with a space"
                )
    return None


MAX_YAML_BYTES = 4 * 1024 * 1024  # a rules, reform, law-case or scenario file; the largest shipped is 25 KB


def read_yaml(path: Path) -> Any:
    """Read one YAML file safely, turning syntax errors into ParameterFileError; a file over
    :data:`MAX_YAML_BYTES` is refused before it is parsed (57 MB took 77 s and 3.2 GB to refuse a key)."""
    size = path.stat().st_size if path.is_file() else 0
    if size > MAX_YAML_BYTES:
        raise ParameterFileError(
            path, None, f"{size:,} bytes: a rules file is at most {MAX_YAML_BYTES:,} bytes (one concept per file)"
        )
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.load(stream, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as error:
        raise ParameterFileError(path, error.problem_mark.line + 1, str(error.problem)) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        lookalike = lookalike_space(path, line)  # the parser stops at or after the character that misled it
        if lookalike is not None:
            raise ParameterFileError(path, *lookalike) from error
        colon = missing_colon(_lines(path), error)
        if colon is not None:
            raise ParameterFileError(path, *colon) from error
        misindented = _misindented(_lines(path), error)
        if misindented is not None:
            raise ParameterFileError(path, line, misindented) from error
        raise ParameterFileError(
            path, line, syntax_problem(str(error.problem or error), _line_text(path, line))
        ) from error
    except yaml.reader.ReaderError:  # a character YAML does not read as text (U+0000 to U+001F …)
        raise ParameterFileError(path, *_not_text(path)) from None
    except UnicodeDecodeError as error:
        raise ParameterFileError(path, *_not_utf8(path.read_bytes())) from error


# YAML reads these characters only (YAML 1.1, 5.1): any other is a control character, never in a text typed
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _not_text(path: Path) -> tuple[int | None, str]:
    """The line of the first character of ``path`` YAML refuses, and what it is and where, in a drafter's words."""
    for number, line in enumerate(_lines(path), 1):
        found = _NOT_PRINTABLE.search(line)
        if found:
            return number, (
                f"a control character (U+{ord(found.group()):04X}) at column {found.start() + 1}: a YAML file holds "
                "text only; delete it (a file with many is no text file: a Word or PDF document saved as .yaml?)"
            )
    return None, "a character that is not text: a YAML file holds text only"


def _not_utf8(data: bytes) -> tuple[int | None, str]:
    """The line of the first byte of ``data`` that is not UTF-8, and what to do, in a drafter's words."""
    save = "save the file as UTF-8 text (in the editor's 'Save as', encoding UTF-8)"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return 1, f"the file is saved as UTF-16, not UTF-8: {save}"
    if data[:4] == b"PK\x03\x04":
        return 1, "the file is a zipped document (a Word .docx?), not text: copy its text into a file saved as UTF-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[start : error.start].decode("utf-8", errors="replace")) + 1
        return data.count(b"\n", 0, error.start) + 1, (
            f"byte 0x{data[error.start]:02X} at column {column} is not UTF-8: the file was saved in another encoding "
            f"(Windows-1252 or Latin-1, which Word and some editors use for a ’ or an é): {save}"
        )
    return None, f"not UTF-8 text: {save}"


def line_of(mapping: Any, key: Any = None) -> int | None:
    """The line of ``key`` in a mapping read from YAML (of the mapping itself if no key), if known."""
    if isinstance(mapping, Mapping):
        if key is not None and key in mapping.key_lines:
            return mapping.key_lines[key]
        return mapping.line
    return None

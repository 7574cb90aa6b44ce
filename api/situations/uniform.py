"""Large situations whose persons all share one shape, read from the body's bytes.

A 10,000-person ``/calculate`` body is some 80,000 JSON objects: parsing it into dictionaries and then reading
them column by column cost more than the rules. A client that sends many persons usually writes a table: every
person states the same variables, for the same periods, in the same order and layout, and only the ids and
values change. Such a body is the first person's text repeated with other ids and values (its *skeleton*).

:func:`read_uniform` checks exactly that on the bytes, with numpy: the body is one object holding only the
persons; every byte of every person outside its id and values equals the first person's (each stretch between
two of them gathered for every person at once and compared); each id and value is one JSON scalar. The ids and
values alone are parsed, by orjson, from a buffer of the tokens each followed by a comma, so JSON's grammar and
numbers are orjson's, as in the usual reading. The answer is the
body itself, each wanted ``null`` replaced by its result (:meth:`UniformBody.answer`): what the client sent is
echoed as it was written, where the usual answer writes it again.

Anything else gives None and the body is parsed as usual: a body under 64 KiB or over 16 MiB, another shape, an
escape or a byte beyond ASCII, a group entity or any other key beside the persons, duplicate ids, keys or
periods, one person.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson

MIN_BYTES = 64 * 1024  # a smaller body is parsed as usual (and merged with concurrent ones)
MAX_BYTES = 16 * 1024 * 1024  # a larger one too: the quotes' places take up to four times the body's bytes
MAX_TEMPLATE_BYTES = 64 * 1024  # the first person, whose shape is learnt with the json module
_WIDEST = 64  # an id or value longer than this (and a comma): the body is parsed as usual
_SCALARS = (str, int, float, bool, type(None))
_SPACE = rb"[ \t\n\r]*"  # JSON's white space (a regular expression's \s would also take \f and \v)
_LITERAL = rb"([^ \t\n\r,\]}]+)"  # an unquoted value: anything up to white space or what may follow it
_COLON = re.compile((_SPACE + rb":" + _SPACE).decode())
_LITERAL_GAP = re.compile(rb"(" + _SPACE + rb":" + _SPACE + rb")" + _LITERAL + rb"(.*)\Z", re.DOTALL)
_END = _SPACE + rb"\}" + _SPACE + rb"\}" + _SPACE + rb"\Z"  # the persons' object, then the body's


@dataclass(frozen=True)
class Shape:
    """What every person states: each variable's periods, in order, and which values are texts (quoted)."""

    names: tuple[str, ...]
    periods: tuple[tuple[str, ...], ...]
    quoted: tuple[bool, ...]  # for each value (variables, then periods, in order)

    @property
    def strings(self) -> int:
        """Quoted strings a person writes: its id, each variable, each period, each text value."""
        return 1 + len(self.names) + len(self.quoted) + sum(self.quoted)


@dataclass
class UniformBody:
    """A body read by :func:`read_uniform`: ids, each value by variable and period, and where each value lies."""

    raw: bytes
    plural: str
    ids: list[str]
    shape: Shape
    values: list[Any]  # person by person: each value of the shape, in order
    starts: np.ndarray  # (persons, values): each value's first byte in ``raw``
    ends: np.ndarray  # (persons, values): the byte after it
    _written: list[tuple[np.ndarray, list[bytes]]] = field(default_factory=list)

    def __getitem__(self, plural: str) -> list[str]:
        """The ids of an entity, as ``situation[plural]`` lists them (for the messages of execution errors)."""
        if plural != self.plural:
            raise KeyError(plural)
        return self.ids

    def columns(self) -> list[tuple[str, tuple[str, ...], list[list[Any]], list[np.ndarray]]]:
        """Each variable: its periods, each period's values person by person, and each value's cell (an index
        into the persons' values, where :meth:`fill` writes)."""
        width = len(self.shape.quoted)
        cells = np.arange(len(self.ids)) * width
        found, position = [], 0
        for name, periods in zip(self.shape.names, self.shape.periods, strict=True):
            indices = range(position, position + len(periods))
            columns = [self.values[index::width] for index in indices]
            found.append((name, periods, columns, [cells + index for index in indices]))
            position += len(periods)
        return found

    def fill(self, cells: np.ndarray, results: list[Any]) -> None:
        """Write ``results`` (JSON values) in place of the ``null`` at each of ``cells``."""
        self._written.append((np.asarray(cells), _json_texts(results)))

    def answer(self) -> bytes:
        """The body, each written cell's ``null`` replaced by its result."""
        if not self._written:
            return self.raw
        texts = self._texts_in_order()
        pieces = self.raw.split(b"null")
        if len(pieces) != len(texts) + 1:  # "null" also in an id or a text: each cell's span cut out
            cells = np.sort(np.concatenate([cells for cells, _ in self._written]))
            starts, ends = self.starts.ravel()[cells].tolist(), self.ends.ravel()[cells].tolist()
            pieces = list(map(self.raw.__getitem__, map(slice, [0, *ends], [*starts, len(self.raw)])))
        joined: list[bytes] = [b""] * (2 * len(texts) + 1)
        joined[0::2] = pieces
        joined[1::2] = texts
        return b"".join(joined)

    def _texts_in_order(self) -> list[bytes]:
        """The results' texts in the order of their cells in the body."""
        persons, written = len(self.ids), sorted(self._written, key=lambda each: int(each[0][0]))
        if all(len(cells) == persons for cells, _ in written):  # every person's result, column by column
            texts: list[bytes] = [b""] * (persons * len(written))
            for position, (_, column) in enumerate(written):
                texts[position :: len(written)] = column
            return texts
        cells = np.concatenate([cells for cells, _ in written])
        every = [text for _, column in written for text in column]
        return [every[index] for index in np.argsort(cells, kind="stable").tolist()]


def _json_texts(values: list[Any]) -> list[bytes]:
    """Each value's JSON text, as orjson writes it."""
    if set(map(type, values)) <= {int, float, bool}:  # no comma inside: one call, split
        return orjson.dumps(values)[1:-1].split(b",") if values else []
    return list(map(orjson.dumps, values))


def read_uniform(raw: bytes, plural: str, max_persons: int, min_bytes: int = MIN_BYTES) -> UniformBody | None:
    """The body ``raw`` read as persons of one shape (``plural``: the person entity's), or None (see the module;
    ``min_bytes``: the smallest body read so). The memory it takes is bounded by a few times the body's size."""
    if not min_bytes <= len(raw) <= MAX_BYTES or raw.count(b'"') > len(raw) // 2:
        return None  # too small, too large, or more quotes than a table has (its keys are longer than their quotes)
    opening = _SPACE + rb"\{" + _SPACE + b'"' + re.escape(plural.encode()) + b'"' + _SPACE + rb":" + _SPACE
    prefix = re.compile(opening + rb"\{" + _SPACE + b'(?=")').match(raw)
    if prefix is None:
        return None
    if not raw.isascii() or b"\\" in raw:  # beyond ASCII, or an escape
        return None
    data = np.frombuffer(raw, np.uint8)
    quotes = np.flatnonzero(data == 0x22)
    if len(quotes) % 2:
        return None
    if data.min() < 0x20 and (np.searchsorted(quotes, np.flatnonzero(data < 0x20)) % 2).any():
        return None  # a control character inside a text
    shape = _shape(raw, prefix.end())
    if shape is None:
        return None
    persons, remainder = divmod(len(quotes) // 2 - 1, shape.strings)
    if remainder or not 2 <= persons <= max_persons:
        return None
    layout = _Layout(raw, shape, quotes[2::2].reshape(persons, -1), quotes[3::2].reshape(persons, -1))
    padded = np.frombuffer(raw + bytes(_WIDEST), np.uint8)  # so that a stretch may be read from any byte
    if not layout.spans_found() or not layout.skeleton_repeated(padded):
        return None
    parsed = _scalars(padded, len(raw), layout.starts, layout.ends)
    if parsed is None:
        return None
    width = len(shape.quoted) + 1
    ids = parsed[0::width]
    if set(map(type, ids)) != {str} or len(set(ids)) != persons:  # duplicate ids (the usual reading keeps the last)
        return None
    del parsed[0::width]
    return UniformBody(raw, plural, ids, shape, parsed, layout.starts[:, 1:], layout.ends[:, 1:])


class _Pairs(list):
    """A JSON object's keys and values, in order, duplicates kept (a list would be a JSON array)."""


def _shape(raw: bytes, first: int) -> Shape | None:
    """The first person's shape (every value a scalar; no variable or period twice), or None."""
    text = raw[first : first + MAX_TEMPLATE_BYTES].decode("ascii")
    decoder = json.JSONDecoder(object_pairs_hook=_Pairs)
    try:
        _, index = decoder.raw_decode(text, 0)  # the id
        variables, _ = decoder.raw_decode(text, _COLON.match(text, index).end())
    except (ValueError, AttributeError):  # not JSON, or cut by the window: the usual reading decides
        return None
    if not isinstance(variables, _Pairs) or not variables:
        return None
    names, periods, quoted = [], [], []
    for name, stated in variables:
        if not isinstance(stated, _Pairs) or not stated or len({period for period, _ in stated}) < len(stated):
            return None
        if not all(isinstance(value, _SCALARS) for _, value in stated):
            return None
        names.append(name)
        periods.append(tuple(period for period, _ in stated))
        quoted.extend(isinstance(value, str) for _, value in stated)
    if len(set(names)) < len(names):
        return None
    return Shape(tuple(names), tuple(periods), tuple(quoted))


class _Layout:
    """Where each person's id and values lie, found from the quotes, and the skeleton around them checked.

    A person's tokens are its id (quoted) and its values: a quoted value is its string; an unquoted one (a
    number, ``true``, ``false``, ``null``) lies between its period and the next string, after the first
    person's prefix (``:``) and before its suffix (``,``, ``},`` …), whose lengths every person shares. Between
    two tokens lies the skeleton (keys, punctuation, white space), the same bytes for every person."""

    def __init__(self, raw: bytes, shape: Shape, opens: np.ndarray, closes: np.ndarray) -> None:
        self.raw = raw
        self.shape = shape
        self.opens, self.closes = opens, closes
        persons = len(opens)
        self.starts = np.empty((persons, len(shape.quoted) + 1), dtype=np.int64)
        self.ends = np.empty_like(self.starts)
        self.last_literal = False  # whether a person's last value is unquoted

    def _next_open(self, string: int) -> np.ndarray:
        """Where the string after each person's ``string``-th begins (the next person's id after its last);
        the last person's last: the body's end, which the tail's own check replaces."""
        if string + 1 < self.opens.shape[1]:
            return self.opens[:, string + 1]
        return np.append(self.opens[1:, 0], len(self.raw))

    def spans_found(self) -> bool:
        """Every token's span, from the quotes and the first person's prefixes and suffixes; False if the first
        person's unquoted value cannot be told apart, or an unquoted value would be empty."""
        string, token = 0, 1
        self.starts[:, 0], self.ends[:, 0] = self.opens[:, 0], self.closes[:, 0] + 1
        for periods in self.shape.periods:
            string += 1  # the variable's name
            for _ in periods:
                string += 1  # the period
                if self.shape.quoted[token - 1]:
                    string += 1
                    self.starts[:, token], self.ends[:, token] = self.opens[:, string], self.closes[:, string] + 1
                else:
                    gap_starts, gap_ends = self.closes[:, string] + 1, self._next_open(string)
                    found = _LITERAL_GAP.match(self.raw, int(gap_starts[0]), int(gap_ends[0]))
                    if found is None:
                        return False
                    prefix, suffix = found.group(1), found.group(3)
                    self.starts[:, token] = gap_starts + len(prefix)
                    self.ends[:, token] = gap_ends - len(suffix)
                    self.last_literal = string + 1 == self.opens.shape[1]
                token += 1
        return bool((self.ends[:-1] > self.starts[:-1]).all() and (self.ends[-1, :-1] > self.starts[-1, :-1]).all())

    def skeleton_repeated(self, padded: np.ndarray) -> bool:
        """Whether every person's bytes between its tokens equal the first person's, and the body ends with the
        last person (what follows its last token checked on its own: :func:`_tail_fits`)."""
        raw = self.raw
        after = np.concatenate([self.starts[:, 1:], np.append(self.starts[1:, 0], len(raw))[:, None]], axis=1)
        skeleton = [raw[int(self.ends[0, token]) : int(after[0, token])] for token in range(after.shape[1])]
        if not _tail_fits(raw, self, skeleton[-1]):
            return False
        gaps = after - self.ends  # (persons, tokens): the skeleton's length after each token
        lengths = np.array(list(map(len, skeleton)))
        if not (gaps[:-1] == lengths).all() or not (gaps[-1, :-1] == lengths[:-1]).all():
            return False
        for token, gap in enumerate(skeleton):
            ends = self.ends[:, token] if token < len(skeleton) - 1 else self.ends[:-1, token]
            for offset in range(0, len(gap), _WIDEST):
                chunk = gap[offset : offset + _WIDEST]
                found = _cells(padded, len(raw), ends + offset, len(chunk))
                if not (found == np.frombuffer(chunk, np.uint8)).all():
                    return False
        return True


def _cells(padded: np.ndarray, size: int, starts: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` (at most :data:`_WIDEST`) bytes at each of ``starts`` (a copy: one row each), gathered as
    one item each from ``padded`` (the body's ``size`` bytes, then zeros)."""
    items = np.ndarray((size,), dtype=f"V{width}", buffer=padded, strides=(1,))
    return items[starts].view(np.uint8).reshape(len(starts), width)


def _tail_fits(raw: bytes, layout: _Layout, between: bytes) -> bool:
    """Whether the body ends as the persons' object must: after the last person's last token, the skeleton that
    follows it between persons up to its last comma, then the closing braces. An unquoted last value is found
    here, after its prefix."""
    comma = between.rfind(b",")
    if comma < 0:
        return False
    closing = re.escape(between[:comma]) + _END
    if not layout.last_literal:
        return re.compile(closing).match(raw, int(layout.ends[-1, -1])) is not None
    start = int(layout.starts[-1, -1])  # its prefix is checked with the skeleton before it
    found = re.compile(_LITERAL + closing).match(raw, start)
    if found is None:
        return False
    layout.ends[-1, -1] = found.end(1)
    return True


def _scalars(padded: np.ndarray, size: int, starts: np.ndarray, ends: np.ndarray) -> list[Any] | None:
    """Every token (each person's id and values, in order) parsed by orjson from the tokens alone, a comma after
    each, or None if a token is too long or not one JSON scalar."""
    lengths = (ends - starts).ravel()
    width = int(lengths.max()) + 1  # and the comma
    if width > _WIDEST or len(lengths) * width > 2 * size + 4096:  # a few long tokens among many short ones
        return None
    text = _cells(padded, size, starts.ravel(), width)
    kept = np.arange(width) < lengths[:, None]
    text[:, -1] = ord(",")
    kept[:, -1] = True
    tokens = text[kept]
    tokens[-1] = ord("]")
    try:
        parsed = orjson.loads(b"[" + tokens.tobytes())
    except orjson.JSONDecodeError:
        return None
    return parsed if len(parsed) == len(lengths) else None  # a token that was not one value

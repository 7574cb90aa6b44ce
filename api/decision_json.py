"""The ``/eligibility`` answer written as JSON bytes, with each distinct decision encoded once.

A batch of 10,000 persons is 40,000 decisions (a person and a branch), about
20 fields each: building them as dicts and serialising them took most of the
time of a large request. Most of them are alike (refused for the same reason,
undetermined for the same missing facts, a branch the law lacks), so the
decisions of a branch are grouped by everything their answer shows; each group
is built (:func:`~openfisca_sp.api.decision_records.branch_records`) and
encoded (orjson) once, and the persons' answers are joined from the encoded
pieces. The bytes are those orjson gives for the whole answer as dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import partial
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import orjson

from openfisca_sp.api.decision_records import branch_records
from openfisca_sp.decisions import BranchDecisions
from openfisca_sp.rules.small_arrays import everyone

OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS  # as JSONBody renders
encode: Callable[[Any], bytes] = partial(orjson.dumps, option=OPTIONS)  # a value as the API's JSON
NEXT_PERSON = b',{"identifier":'
FEW_ROWS = 32  # up to this many rows, ``branch_answers`` groups them by their keys, in Python
ANSWERS_KEPT = 4096  # distinct branch answers kept encoded across batches (each a few hundred bytes)


def encode_each(values: Sequence[Any]) -> list[bytes]:
    """Each value as the API's JSON. A text goes through the standard library's escaper, which writes the
    same bytes as orjson for every character: a call to orjson costs microseconds when the heap it allocates
    from is trimmed after each call, too much for 10,000 identifiers."""
    return [
        encode_basestring(value).encode() if type(value) is str else b"null" if value is None else encode(value)
        for value in values
    ]


def _ranks(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Each value's number among the distinct values (objects by equality: None, texts), and how many there are."""
    if values.dtype == object:
        index: dict[Any, int] = {}
        numbers = [index.setdefault(value, len(index)) for value in values.tolist()]
        return np.array(numbers, dtype=np.int64), len(index)
    distinct, ranks = np.unique(values, return_inverse=True)
    return ranks.reshape(-1), len(distinct)


_FLOATS, _DAYS = np.dtype(np.float64), np.dtype("datetime64[D]")


def _comparable(values: np.ndarray) -> np.ndarray:
    """Numbers, flags and days as integers, equal where the values are the same (floats by their bits: NaN
    equals NaN, -0.0 is not 0.0, as in JSON; days as 64-bit numbers); texts as they are. Arrays already of the
    usual kind are viewed, not converted (a one-person answer's key is made of some fifteen of them)."""
    dtype = values.dtype
    kind = dtype.kind
    if kind == "f":
        return (values if dtype == _FLOATS else values.astype(np.float64)).view(np.int64)
    if kind == "M":
        return (values if dtype == _DAYS else values.astype(_DAYS)).view(np.int64)
    return values


def _value_columns(decisions: BranchDecisions) -> list[np.ndarray]:
    """Every array a branch's answer is built from, one value per person, but its missing facts."""
    arrays = [
        decisions.outcome,
        decisions.reason,
        decisions.amount,
        decisions.duration,
        decisions.duration_unit,
        decisions.frequency,
        decisions.lump_sum_owed,
        decisions.amount_modelled,
        decisions.provisional,
        decisions.decided_on,
        decisions.rules_day,
        decisions.event_date,
        decisions.start,
        decisions.end,
        *decisions.lump_sums.values(),
        *([decisions.waiting_days] if decisions.waiting_days is not None else []),
        *([decisions.first_day_rule] if decisions.first_day_rule is not None else []),
    ]
    return [_comparable(values if type(values) is np.ndarray else np.asarray(values)) for values in arrays]


def _columns(decisions: BranchDecisions) -> list[np.ndarray]:
    """Every array a branch's answer is built from, one value per person (missing facts as bytes of bits)."""
    columns = _value_columns(decisions)
    facts = decisions.missing_for_decision + decisions.missing_for_amount
    if facts:
        columns += list(np.packbits(np.array([fact.lacking for fact in facts]), axis=0))
    return columns


def distinct_decisions(decisions: BranchDecisions) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose answers differ (the first of each group), and each row's group: two rows are in one group
    when every array their answer is built from holds the same values for them."""
    count = decisions.count
    if count == 1:  # one row: one group
        return np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    key, width = np.zeros(count, dtype=np.int64), 1
    for values in _columns(decisions):
        if count == 1 or everyone(values == values[0]):
            continue
        ranks, distinct = _ranks(values)
        if width * distinct >= 2**62:  # the key would overflow: rank it first
            key, width = _ranks(key)
        key, width = key * distinct + ranks, width * distinct
    if width == 1:
        return np.zeros(1, dtype=np.int64), np.zeros(count, dtype=np.int64)
    _, first, group = np.unique(key, return_index=True, return_inverse=True)
    return first, group.reshape(-1)


class KnownAnswers:
    """Branch answers already encoded, by everything each is built from, kept across batches: a few kinds of
    answer recur (refused for the same reason on the same rules, undetermined for the same missing facts, a
    branch the law lacks). Bounded: emptied when full. The answers of one tax-benefit system only (its legal
    bases and currency are not in the key)."""

    def __init__(self, size: int = ANSWERS_KEPT) -> None:
        self.size = size
        self.encoded: dict[Hashable, bytes] = {}

    def keep(self, key: Hashable, encoded: bytes) -> bytes:
        if len(self.encoded) >= self.size:
            self.encoded.clear()
        self.encoded[key] = encoded
        return encoded


def answer_keys(decisions: BranchDecisions, rows: np.ndarray | None, as_of: Any) -> list[Hashable]:
    """The key of each of ``rows``' answers (every row's if None): the branch, the date asked, every value the
    answer is built from, and the missing facts it lists, in order."""
    columns = _value_columns(decisions)
    values = zip(*(column.tolist() if rows is None else column[rows].tolist() for column in columns), strict=True)
    facts = decisions.missing_for_decision + decisions.missing_for_amount
    lacking = [(fact.label, (fact.lacking if rows is None else fact.lacking[rows]).tolist()) for fact in facts]
    return [
        (decisions.branch.code, as_of, row, tuple(label for label, lacks in lacking if lacks[position]))
        for position, row in enumerate(values)
    ]


def grouped_by_key(keys: Sequence[Hashable]) -> tuple[list[Hashable], np.ndarray, np.ndarray]:
    """The distinct keys, the first row of each, and each row's group (its key's number), in Python: for a few
    rows, faster than ranking each array (:func:`distinct_decisions`)."""
    index: dict[Hashable, int] = {}
    numbers = [index.setdefault(key, len(index)) for key in keys]
    firsts: dict[int, int] = {}
    for row, number in enumerate(numbers):
        firsts.setdefault(number, row)
    return list(index), np.array(list(firsts.values()), dtype=np.int64), np.array(numbers, dtype=np.int64)


def branch_answers(
    decisions: BranchDecisions, currency: str, decimals: int, as_of: Any, known: KnownAnswers
) -> tuple[list[bytes], np.ndarray]:
    """A branch's distinct answers (``branch_records``), encoded, and each person's (an index into them); those
    ``known`` holds are taken from it, the others built and kept there. A few rows are grouped by their keys,
    many by ranking the arrays their answers are built from."""
    if decisions.count <= FEW_ROWS:
        keys, first, group = grouped_by_key(answer_keys(decisions, None, as_of))
    else:
        first, group = distinct_decisions(decisions)
        keys = answer_keys(decisions, first, as_of)
    encoded = [known.encoded.get(key) for key in keys]
    missed = [position for position, found in enumerate(encoded) if found is None]
    if missed:
        records = branch_records(decisions.take(first[missed]), currency, decimals, as_of)
        for position, record in zip(missed, records, strict=True):
            encoded[position] = known.keep(keys[position], encode(record))
    return encoded, group  # type: ignore[return-value]  # every one found or built


def person_pieces(
    identifiers: Sequence[Any],
    households: Sequence[str | None],
    answers: dict[str, tuple[list[bytes], np.ndarray]],
    echoes: Sequence[dict[str, Any] | None] | None = None,
) -> tuple[list[bytes], int]:
    """Every person's answer as pieces of JSON, the same number per person (returned with the pieces), from
    the identifier on, the last piece opening the next person's:
    ``…,"household_identifier":…,"benefits":{"old_age":…}},{"identifier":``. What ``echoes`` gives of a DCI
    record (``record_type``, ``member_identifier``, ``group_identifier``) follows the identifier."""
    count = len(identifiers)
    codes = list(answers)
    first_key = b',"benefits":{' + encode(codes[0]) + b":"
    named = list(set(households))
    chunks = {
        household: b',"household_identifier":' + text + first_key
        for household, text in zip(named, encode_each(named), strict=True)
    }
    per = 2 + len(codes)
    pieces: list[Any] = [None] * (count * per)
    pieces[0::per] = encode_each(identifiers)
    if echoes is not None and any(echoes):
        pieces[0::per] = [
            piece + b"," + encode(echo)[1:-1] if echo else piece
            for piece, echo in zip(pieces[0::per], echoes, strict=True)
        ]
    pieces[1::per] = list(map(chunks.__getitem__, households))
    for position, (code, (encoded, group)) in enumerate(answers.items()):
        before = b"" if position == 0 else b"," + encode(code) + b":"
        after = b"}}" + NEXT_PERSON if position == len(codes) - 1 else b""
        distinct = np.array([before + text + after for text in encoded], dtype=object)
        pieces[2 + position :: per] = distinct[group].tolist()
    return pieces, per


def answer_body(head: bytes, pieces: list[bytes], per: int, start: int, stop: int) -> bytes:
    """The answer: ``head`` (rules, as_of, branches: an encoded object) and the persons of rows ``start`` to
    ``stop``, as orjson writes ``{**head, "persons": [...]}``."""
    persons = pieces[start * per : stop * per]
    persons[-1] = persons[-1][: -len(NEXT_PERSON)]  # no one after the last person
    persons.insert(0, head[:-1] + b',"persons":[{"identifier":')
    persons.append(b"]}")
    return b"".join(persons)

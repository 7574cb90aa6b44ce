"""A person table checked against what the rules read, and turned into the rules' input arrays.

A person table has one row per person: ``person_id``, ``household_id``, optional
``weight`` and ``is_household_head``, and one column per fact the rules read,
named after its input variable (``birth_date``, ``sex``, ``contribution_months``
…). A fact as of the month evaluated is a plain column; a month of a history is
``<variable>.<YYYY-MM>`` (``insured_wage.2026-09``). Enumerations are given by
name (``female``, ``live_birth``). It may come as a pandas DataFrame, an Arrow
table, a Parquet file or directory, or a CSV file.

The columns the rules need are found by tracing the rules at the month
evaluated, so they cannot drift from the formulas. A missing column is an error
naming it, unless the law itself says what its absence means (see
``facts.OPTIONAL``; an event's date, whose absence is no event; a fact the rules
read only of the persons a condition may concern, whose absence is no event:
:mod:`~.read_only_where`) or the analyst states an assumption for it. Within a column,
an empty cell is an error, except for facts whose default *is* their absence
(``ABSENCE``: not registered as unemployed, no confinement, no separation …).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from openfisca_sp.population.columns import HEAD, HOUSEHOLD_ID, PERSON_ID, ColumnNeed
from openfisca_sp.population.contradictions import check_contradictions
from openfisca_sp.population.errors import MissingColumnsError, PopulationError
from openfisca_sp.population.fact_arrays import (
    constant_array,
    fact_array,
    first_rows,
    flags,
)
from openfisca_sp.population.filling import Block, Filling, StreamedColumns, streamed_blocks, table_blocks
from openfisca_sp.population.missing_columns import (
    assumed_note,
    assumed_values,
    check_assumptions,
    default_note,
    missing_columns_message,
    stating,
    unfilled_columns,
)
from openfisca_sp.population.ring import ChunkRing, chunk_bounds
from openfisca_sp.population.unread_wages import UnreadWages
from openfisca_sp.population.weights import checked_weights
from openfisca_sp.rules.wording import counted, noun_for


@dataclass
class PopulationInputs:
    """A person table as the rules take it: structure arrays and inputs by (variable, period)."""

    count: int
    person_ids: np.ndarray
    household_of: np.ndarray  # each person's household, as an index 0..households-1
    household_ids: np.ndarray
    is_head: np.ndarray
    weights: np.ndarray  # float64
    inputs: dict[tuple[str, str], np.ndarray]
    assumptions: list[str] = field(default_factory=list)
    filling: Filling | None = field(default=None, repr=False, compare=False)  # inputs still being converted
    # the inputs converted in the background, chunk by chunk into reused buffers (else into ``inputs``)
    ring: ChunkRing | None = field(default=None, repr=False, compare=False)
    # a table read: each chunk taken has its facts checked against each other at this month (and named by source)
    checked_at: str | None = field(default=None, repr=False, compare=False)
    source: str | None = field(default=None, repr=False, compare=False)
    # the facts stated by an assumption for the whole column, not by the table (some checks are not for them)
    assumed: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    # the persons whose wage of a month no rule reads is before their birth, checked with the months read
    unread_wages: UnreadWages | None = field(default=None, repr=False, compare=False)

    def wait(self, stop: int | None = None) -> PopulationInputs:
        """This population, once its inputs are converted up to row ``stop`` (all rows by default)."""
        if self.filling is not None:
            self.filling.wait(stop)
        return self

    def chunks(self, chunk_persons: int) -> list[slice]:
        """The rows of each chunk of about ``chunk_persons`` persons (whole households), in order: a ring's own
        chunks if its inputs come through one."""
        return chunk_bounds(self.household_of, chunk_persons) if self.ring is None else self.ring.bounds

    def release(self, rows: slice) -> None:
        """The rules are done with the chunk ``rows`` taken: with a ring, its buffers take a later chunk (the
        inputs of the population taken are no longer valid)."""
        if self.ring is not None:
            self.ring.release(self.ring.index_of(rows))

    def close(self) -> None:
        """No more chunks will be taken (with a ring, the thread converting them stops)."""
        if self.ring is not None:
            self.ring.close()

    def take(self, rows: slice) -> PopulationInputs:
        """The persons of ``rows`` (whole households), as a population of their own; with a ring, ``rows`` is one
        of :meth:`chunks`, taken in order, and valid until :meth:`release`."""
        index = None if self.ring is None else self.ring.takeable(rows)  # before waiting for rows never filled
        self.wait(rows.stop)
        inputs = {key: values[rows] for key, values in self.inputs.items()}
        if self.ring is not None:
            inputs |= self.ring.inputs(index)
        household_of = self.household_of[rows]
        if self.checked_at is not None:
            unread = None if self.unread_wages is None else self.unread_wages.within(rows, len(household_of))
            check_contradictions(inputs, self.checked_at, rows.start or 0, self.source, self.assumed, unread)
        first = int(household_of[0]) if len(household_of) else 0
        last = int(household_of[-1]) + 1 if len(household_of) else 0
        return PopulationInputs(
            count=len(household_of),
            person_ids=self.person_ids[rows],
            household_of=numbered_from_first(household_of),
            household_ids=self.household_ids[first:last],
            is_head=self.is_head[rows],
            weights=self.weights[rows],
            inputs=inputs,
            assumptions=self.assumptions,
        )

    def gathered(self, rows: np.ndarray, inputs: dict[tuple[str, str], np.ndarray]) -> PopulationInputs:
        """The persons at ``rows`` (in any order, not necessarily whole households), with their ``inputs``:
        households numbered and identified as in this population."""
        return PopulationInputs(
            count=len(rows),
            person_ids=self.person_ids[rows],
            household_of=self.household_of[rows],
            household_ids=self.household_ids,
            is_head=self.is_head[rows],
            weights=self.weights[rows],
            inputs=inputs,
            assumptions=self.assumptions,
        )


def numbered_from_first(household_of: np.ndarray) -> np.ndarray:
    """A run of whole households' numbers (contiguous, numbered in order, as a population holds them), made to
    start at 0."""
    return household_of - household_of[0] if len(household_of) else household_of


def to_inputs(
    table: pa.Table,
    month: str,
    needs: list[ColumnNeed],
    assume: Mapping[str, Any] | None = None,
    source: str | None = None,
    background: bool = False,
    streamed: StreamedColumns | None = None,
    chunk_persons: int | None = None,
    structure: Structure | PopulationError | None = None,
    blocks: Iterator[Block] | None = None,
    unread: Mapping[str, str | None] | None = None,
) -> PopulationInputs:
    """Check a person table against what the rules read, and convert it to input arrays.

    ``assume`` gives a value for a whole column the table lacks (an assumption
    the analyst states, reported with the results). Rows must keep households
    together (contiguous rows) so that a population can be split by households.
    With ``background``, the columns are converted in a thread while the caller goes on
    (:mod:`~openfisca_sp.population.filling`): read rows through :meth:`PopulationInputs.take`
    or after :meth:`PopulationInputs.wait`. With ``streamed``, ``table`` holds the structure columns (and any
    others the caller wants at once), and the rules' columns are read by that thread, a block at a time; without
    ``background`` too, this call returns once they are all read. With ``background`` and ``chunk_persons``, the
    thread converts them into a ring of a few chunks' buffers (:mod:`~openfisca_sp.population.ring`): take the
    population's :meth:`~PopulationInputs.chunks` in order, release each, then close it. ``structure`` is
    :func:`population_structure`'s answer for ``table`` if the caller has it already (its error is raised where
    it would have been), ``blocks`` the streamed columns' blocks if the caller is reading them already (the
    caller closes them if this call fails). ``unread``, the table's columns nothing reads with the name each may
    have meant (:func:`~.missing_columns.unread_columns`): a missing column's error names the one it may be.
    """
    assume = assumed_values(assume)  # a text read as --assume reads it
    count = table.num_rows
    if count == 0:
        raise PopulationError("the table has no rows", source=source)
    present = set(table.column_names) | set(streamed.names if streamed is not None else ())
    check_assumptions(assume, needs, present, month, source)
    ids = [name for name in (PERSON_ID, HOUSEHOLD_ID) if name not in table.column_names]
    if ids:
        raise PopulationError(
            f"missing {noun_for(len(ids), 'column')} {', '.join(repr(name) for name in ids)}: every person "
            f"needs an id ({PERSON_ID}, unique) and the id of their household ({HOUSEHOLD_ID})",
            source=source,
        )
    unfilled = unfilled_columns(needs, present, assume)
    if unfilled:
        by_column = {need.column: need for need in needs}
        raise MissingColumnsError(missing_columns_message(unfilled, by_column, unread), unfilled, source)
    if structure is None:
        structure = population_structure(table, source)
    elif isinstance(structure, PopulationError):
        raise structure
    person_ids, household_of, household_ids, is_head, weights = (
        structure.person_ids,
        structure.household_of,
        structure.household_ids,
        structure.is_head,
        structure.weights,
    )
    inputs: dict[tuple[str, str], np.ndarray] = {}
    assumptions: list[str] = []
    filled: dict[str, list[ColumnNeed]] = {}  # by assumption, the columns it states: one note each, said in place
    converted: list[tuple[pa.ChunkedArray, ColumnNeed]] = []
    read_later: list[ColumnNeed] = []
    for need in needs:
        if streamed is not None and need.column in streamed.names:
            read_later.append(need)
        elif need.column in table.column_names and background and streamed is None:
            converted.append((table.column(need.column), need))
        elif need.column in table.column_names:
            inputs[(need.variable, need.period)] = fact_array(table.column(need.column), need, source)
        elif (name := stating(need, assume)) is not None:
            inputs[(need.variable, need.period)] = constant_array(need, assume[name], count, source)
            if name not in filled:
                assumptions.append(name)  # its note, once all it states are known
            filled.setdefault(name, []).append(need)
        else:
            assumptions.append(default_note(need))
    notes = {name: assumed_note(name, assume[name], stated, needs) for name, stated in filled.items()}
    assumptions = [notes.get(note, note) for note in assumptions]
    assumed = {need.variable for stated in filled.values() for need in stated}
    filling = ring = None
    if (read_later or converted) and background and chunk_persons is not None:
        ring = ChunkRing(chunk_bounds(household_of, chunk_persons))
    if read_later:
        blocks = streamed_blocks(streamed, read_later) if blocks is None else blocks
        filling = Filling(blocks, inputs, count, source, ring)
    elif converted:
        filling = Filling(table_blocks(converted, count), inputs, count, source, ring)
    population = PopulationInputs(
        count,
        person_ids,
        household_of,
        household_ids,
        is_head,
        weights,
        inputs,
        assumptions,
        filling,
        ring,
        month,
        source,
        frozenset(assumed),
    )
    return population if background else population.wait()


@dataclass(frozen=True)
class Structure:
    """A person table's structure arrays, checked (see :class:`PopulationInputs`)."""

    person_ids: np.ndarray
    household_of: np.ndarray
    household_ids: np.ndarray
    is_head: np.ndarray
    weights: np.ndarray


def population_structure(table: pa.Table, source: str | None = None) -> Structure:
    """The ids, households, heads and weights of a table that has its id columns, checked."""
    person_ids = _identifiers(table.column(PERSON_ID), PERSON_ID, source)
    if not _unique(person_ids):
        twice = pd.Index(person_ids).duplicated(keep=False)
        again = pd.Index(person_ids).duplicated(keep="first")
        row, first, repeated = int(np.argmax(again)), int(np.argmax(twice)), int(again.sum())
        raise PopulationError(
            f"person ids must be unique; {counted(repeated, 'row')} {noun_for(repeated, 'repeats', 'repeat')} an id "
            f"(first: row {row}, counted from 0; "
            f"line {row + 2} of a CSV file, repeats {str(person_ids[row])!r} of row {first})",
            PERSON_ID,
            source,
        )
    household_of, household_ids = _households(table.column(HOUSEHOLD_ID), source)
    is_head = _heads(table, household_of, len(household_ids), source)
    return Structure(person_ids, household_of, household_ids, is_head, checked_weights(table, source))


def _identifiers(column: pa.ChunkedArray, name: str, source: str | None) -> np.ndarray:
    if column.null_count:
        raise PopulationError(f"{column.null_count} empty ids; every row needs one", name, source)
    if pa.types.is_integer(column.type):
        return column.to_numpy()
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column.to_numpy(zero_copy_only=False)
    raise PopulationError(f"ids are integers or text, not {column.type}", name, source)


MAX_RUNS = 8  # integer ids in at most this many increasing runs are checked without hashing


def _unique(values: np.ndarray) -> bool:
    """Whether ``values`` holds no id twice. Integers in a few strictly increasing runs (a file's order, or a
    table reordered in parts, as a projection puts the households with claims first) are checked by searching
    each run in the others, without a hash table of every id."""
    if values.dtype.kind in "iu" and len(values) > 1:
        starts = np.flatnonzero(values[1:] <= values[:-1]) + 1
        if len(starts) < MAX_RUNS:
            return _runs_disjoint(np.split(values, starts))
    return bool(pd.Index(values).is_unique)


def _runs_disjoint(runs: list[np.ndarray]) -> bool:
    """Whether strictly increasing ``runs`` share no value (each shorter run searched in each longer one)."""
    for index, run in enumerate(runs):
        for other in runs[index + 1 :]:
            short, long = (run, other) if len(run) <= len(other) else (other, run)
            if not len(short) or short[-1] < long[0] or long[-1] < short[0]:
                continue  # apart
            at = np.minimum(np.searchsorted(long, short), len(long) - 1)
            if bool((long[at] == short).any()):
                return False
    return True


def _households(column: pa.ChunkedArray, source: str | None) -> tuple[np.ndarray, np.ndarray]:
    ids = _identifiers(column, HOUSEHOLD_ID, source)
    if ids.dtype.kind in "iu" and len(ids) > 1:
        later = ids[1:]
        runs = np.flatnonzero(later < ids[:-1]) + 1  # where a sorted run of rows starts again lower
        if len(runs) < MAX_RUNS:  # households numbered in one pass, without hashing
            new_household = later != ids[:-1]
            numbers = group_numbers(new_household)
            firsts = np.concatenate([ids[:1], later[np.flatnonzero(new_household)]])  # each block of rows' id
            if _runs_disjoint(np.split(firsts, numbers[runs])):  # no household in two blocks: contiguous
                return numbers, firsts
    codes, uniques = pd.factorize(ids, sort=False)
    if len(codes) > 1 and not bool(np.all(codes[1:] >= codes[:-1])):
        raise PopulationError(
            "the rows of a household must be contiguous (sort the table by household_id)", HOUSEHOLD_ID, source
        )
    return codes.astype(np.int64), np.asarray(uniques)


def group_numbers(starts_group: np.ndarray) -> np.ndarray:
    """Each row's group as 0, 1, … for rows whose groups are contiguous: ``starts_group`` says, for every row
    after the first, whether it starts a new group (``ids[1:] != ids[:-1]``)."""
    numbers = np.zeros(len(starts_group) + 1, dtype=np.int64)
    numbers[1:] = starts_group
    return np.cumsum(numbers, out=numbers)  # in int64 throughout: numpy's cast while summing bools is slow


def _heads(table: pa.Table, household_of: np.ndarray, households: int, source: str | None) -> np.ndarray:
    if HEAD not in table.column_names:
        return np.r_[True, household_of[1:] != household_of[:-1]] if len(household_of) else np.zeros(0, bool)
    column = table.column(HEAD)
    if column.null_count:
        empty = first_rows(column.is_null().to_numpy(zero_copy_only=False))
        raise PopulationError(f"expected true or false (or 1 or 0) for every person; empty in {empty}", HEAD, source)
    is_head = flags(column, False, HEAD, source)  # other values refused with their rows
    heads = np.bincount(household_of[is_head], minlength=households)
    wrong = np.flatnonzero(heads != 1)
    if len(wrong):
        raise PopulationError(
            f"every household needs exactly one head; {counted(len(wrong), 'household')} "
            f"{noun_for(len(wrong), 'does', 'do')} not "
            f"(e.g. household {table.column(HOUSEHOLD_ID)[int(np.argmax(household_of == wrong[0]))]} "
            f"has {heads[wrong[0]]})",
            HEAD,
            source,
        )
    return is_head

"""The population engine: every branch of the rules over a whole person table, in one vectorised pass.

Reads only the columns the rules need, checks and converts them
(:mod:`~openfisca_sp.population.inputs`), then runs the rules chunk by chunk of
whole households (:mod:`~openfisca_sp.population.chunks`). The same functions
run on a Dask worker over one partition (:mod:`openfisca_sp.distributed`).
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pyarrow as pa

from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.population.chunks import DEFAULT_CHUNK, Progress, run_chunks
from openfisca_sp.population.claim_months import claim_months
from openfisca_sp.population.claims import event_facts
from openfisca_sp.population.columns import (
    HOUSEHOLD_ID,
    PERSON_ID,
    STRUCTURE,
    SURVEY_ONLY,
    ColumnNeed,
    claim_candidates,
    claim_columns,
    column_name,
    event_columns,
    later_day_columns,
    needed_columns,
)
from openfisca_sp.population.contradictions import CHECKED_FACTS
from openfisca_sp.population.errors import MissingColumnsError, PopulationError
from openfisca_sp.population.filling import StreamedColumns, streamed_blocks
from openfisca_sp.population.inputs import PopulationInputs, Structure, population_structure, to_inputs
from openfisca_sp.population.missing_columns import other_month_message, unread_columns, unread_note
from openfisca_sp.population.months import Month, check_run
from openfisca_sp.population.outputs import branch_outputs, branches_of, outputs_of, with_first_days
from openfisca_sp.population.read_ahead import ReadAhead
from openfisca_sp.population.read_only_where import marked_needs
from openfisca_sp.population.reading import (
    described_month,
    named_jurisdiction,
    parquet_batches,
    parquet_columns,
    parquet_file,
    read_table,
    source_columns,
    source_label,
)
from openfisca_sp.population.results import PopulationResults
from openfisca_sp.population.unread_wages import (
    UnreadWages,
    later_wages_note,
    streamed_unread_wages,
    table_unread_wages,
    unread_wage_columns,
)
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.exact_numbers import hold_floats_exactly
from openfisca_sp.rules.system import checked_system, tax_benefit_system


def resolve_system(system: Any = None) -> Any:
    """A tax-benefit system from a system, a jurisdiction code, or None (the default jurisdiction)."""
    if system is None or isinstance(system, str):
        return tax_benefit_system(jurisdictions.get(system).code)
    return system


def jurisdiction_for(population: Any, asked: str | None = None, asked_by: str | None = None) -> str | None:
    """The jurisdiction whose rules read ``population``: ``asked``, else the one the population names as its own
    (a shipped sample's, a synthesized table's metadata: :func:`~.reading.named_jurisdiction`), else None (the
    default one). Another jurisdiction's rules are refused on a population that names its own: its money and
    its facts are that jurisdiction's. ``asked_by`` says who asked (``the scenario s.yaml``), for the message."""
    named = named_jurisdiction(population)
    if named is None:
        return asked
    code, described = named
    if asked is not None and asked != code:
        advice = (
            f"read it with the rules of '{code}' (or leave the jurisdiction out)"
            if asked_by is None
            else f"{asked_by} is for '{asked}'"
        )
        raise PopulationError(
            f"{described} '{code}', not of '{asked}': {advice}; its money and facts are that jurisdiction's"
        )
    return code


def system_for(population: Any, system: Any = None) -> Any:
    """The tax-benefit system that reads ``population``: ``system`` (a system, a reform, a jurisdiction code),
    checked against the jurisdiction the population names as its own, or that one when ``system`` is None
    (:func:`jurisdiction_for`)."""
    if system is None or isinstance(system, str):
        asked = None if system is None else jurisdictions.get(system).code  # an unknown code is refused as such
        return resolve_system(jurisdiction_for(population, asked))
    jurisdiction = getattr(checked_system(system), "jurisdiction", None)
    jurisdiction_for(population, getattr(jurisdiction, "code", None))
    return hold_floats_exactly(system)  # a reform's new float variables too: money in float64 (README, "Money")


EventMonths = Mapping[str, Collection[str]]  # month -> the facts whose events fall in it
WINDOWS = "windows_end_with"  # the date of a branch's event that ends its windows early


def _claim_outputs(system: Any, names: Sequence[str], facts: Collection[str], date: str = "date_fact") -> list[str]:
    """The outputs of the branches whose event's ``date`` is one of ``facts``: its own date (``date_fact``, with the
    first day each pays from: :func:`~.outputs.with_first_days`), or the date that ends its windows early."""
    branches = [branch for branch in branches_of(system) if branch.event and getattr(branch.event, date) in facts]
    theirs = {name for branch in branches for name in branch_outputs(branch)}  # each branch's listed once
    asked = [name for name in names if name in theirs]
    return with_first_days(branches, asked) if date == "date_fact" else asked


def columns_to_read(
    systems: Sequence[Any],
    month: str,
    outputs: Sequence[Sequence[str]],
    extra_columns: Iterable[str] = (),
    months: EventMonths | None = None,
) -> tuple[dict[str, ColumnNeed], list[str]]:
    """What the systems' rules read for ``outputs`` in ``month`` (by column), and every column to read: those,
    the event dates, and what the claims whose events fall in ``months`` may read (:func:`needs_of`)."""
    needs: dict[str, ColumnNeed] = {}
    candidates: list[str] = []
    for system, names in zip(systems, outputs, strict=True):
        asked = with_first_days(branches_of(system), names)
        for need in needed_columns(system, month, asked):
            needs.setdefault(need.column, need)
            if need.column == need.variable and need.period == month:  # its history column, where the table has it
                candidates.append(f"{need.variable}.{month}")
        candidates += [name for need in later_day_columns(system, month, asked) for name in need.names]
        candidates += event_facts(branches_of(system)).values()
        candidates += [name for fact in read_wherever(system) for name in (fact, f"{fact}.{month}")]
        for event_month, facts in (months or {}).items():
            claimed = [*_claim_outputs(system, names, facts), *_claim_outputs(system, names, facts, WINDOWS)]
            candidates += claim_candidates(system, month, event_month, claimed)
    return needs, list(dict.fromkeys([*STRUCTURE, *needs, *candidates, *extra_columns]))


def needs_of(
    systems: Sequence[Any],
    month: str,
    outputs: Sequence[Sequence[str]],
    months: EventMonths,
    present: Collection[str],
) -> list[ColumnNeed]:
    """Every column the rules read, once the table's columns are known: the month's, the event dates the
    table has, those of the claims whose events fall in ``months``, and those of the windows a stated date ends
    early in them (:mod:`~.window_months`) that the table has: a month before its history is counted as one
    without contributions, as where the table's history begins (no table is refused for a claim that its
    earlier conditions refuse, such as a claim made a year after the contract ended); and the facts checked
    against each other that the table has (:func:`checked_facts`)."""
    needs: dict[str, ColumnNeed] = {}
    decided = [(system, tuple(names), month) for system, names in zip(systems, outputs, strict=True)]
    for system, names in zip(systems, outputs, strict=True):
        asked = with_first_days(branches_of(system), names)
        for need in [*needed_columns(system, month, asked, present), *later_day_columns(system, month, asked, present)]:
            needs.setdefault(need.column, need)
    for system, names in zip(systems, outputs, strict=True):
        found = event_columns(system, month, event_facts(branches_of(system)).values(), present)
        for event_month, facts in months.items():
            decided.append((system, tuple(claimed := _claim_outputs(system, names, facts)), event_month))
            read = claim_columns(system, month, event_month, claimed, present)
            found += [replace(need, claims=(event_month, tuple(facts))) for need in read]
            ended = claim_columns(system, month, event_month, _claim_outputs(system, names, facts, WINDOWS), present)
            found += [need for need in ended if need.column in present]
        for need in found:
            needs.setdefault(need.column, need)
    read = {(need.variable, need.period) for need in needs.values()}
    for need in checked_facts(systems[0], month, present):
        if (need.variable, need.period) not in read:
            needs.setdefault(need.column, need)
    return marked_needs(list(needs.values()), systems, month, decided)


def read_wherever(system: Any) -> tuple[str, ...]:
    """The facts read and checked wherever a table has them, whether or not a rule reads them in the month: those
    checked against each other (:data:`~.contradictions.CHECKED_FACTS`) and those the law bounds above (a
    ``disability_degree`` of 150 ran without a word where the month's rules read no degree)."""
    bounded = [name for name, fact in facts_of(system).items() if fact.maximum is not None]
    return tuple(dict.fromkeys([*CHECKED_FACTS, *bounded]))


def checked_facts(system: Any, month: str, present: Collection[str]) -> list[ColumnNeed]:
    """The facts read wherever the table has them (:func:`read_wherever`), as of ``month``: read whether or not a
    rule reads them in it, so that a person born after the month is refused in any month (no rule of Viet Nam's in
    2015 read ``birth_date``, and one born in 2020 was granted a benefit), as is a degree above 100."""
    facts = facts_of(system)
    needs = []
    for name in read_wherever(system):
        if name in facts:
            period = "ETERNITY" if facts[name].eternal else month
            column = column_name(name, period, month, present)
            if column in present:
                needs.append(ColumnNeed(column, name, period, facts[name]))
    return needs


def read_population(
    source: Any,
    systems: Sequence[Any],
    month: Month,
    outputs: Sequence[Sequence[str]],
    assume: Mapping[str, Any] | None = None,
    extra_columns: Iterable[str] = (),
    background: bool = False,
    chunk_persons: int | None = None,
    claims_on_events: bool = True,
) -> tuple[PopulationInputs, pa.Table]:
    """Read only the columns the systems' rules need, check and convert them.

    The event dates are read first: the claims whose events fall in other
    months read those months' columns too (not with ``claims_on_events`` False:
    every claim is then decided on the first day of the month, see :func:`simulate`). Returns the inputs and an Arrow
    table of the ``extra_columns`` that exist (e.g. those the analysis reads),
    aligned with the inputs' rows. With ``background``, the inputs are converted in a thread while the
    caller goes on (see :func:`~openfisca_sp.population.inputs.to_inputs`); from a Parquet file, a block of rows
    at a time, read ahead by a thread of its own (:mod:`~openfisca_sp.population.read_ahead`) from the moment
    the event dates say which columns to read, while the table's structure is read and checked; with
    ``chunk_persons`` too, into a ring of a few chunks' buffers (:mod:`~openfisca_sp.population.ring`) that
    :func:`~openfisca_sp.population.chunks.run_chunks` takes in order. A table that lacks columns and states that
    it describes another month (its metadata: a shipped sample's, a synthesized table's) is refused saying so.
    """
    month = check_run(month, chunk_persons, None, claims_on_events)  # a Period or datetime64 too
    try:
        return _read_population(
            source, systems, month, outputs, assume, extra_columns, background, chunk_persons, claims_on_events
        )
    except MissingColumnsError as error:
        described = described_month(source)
        if described is None or described == month:
            raise
        raise PopulationError(other_month_message(source_label(source), described, month, error.columns)) from None


def _read_population(
    source: Any,
    systems: Sequence[Any],
    month: str,
    outputs: Sequence[Sequence[str]],
    assume: Mapping[str, Any] | None,
    extra_columns: Iterable[str],
    background: bool,
    chunk_persons: int | None,
    claims_on_events: bool,
) -> tuple[PopulationInputs, pa.Table]:
    """:func:`read_population`'s work."""
    label = source_label(source)
    streamed = _streamed(source) if background else None
    if streamed is None:
        months = claim_months(source, systems, month, claims_on_events=claims_on_events)
        _, columns = columns_to_read(systems, month, outputs, extra_columns, months)
        wages = unread_wage_columns(source_columns(source), month, columns)  # checked against the births alone
        table = read_table(source, [*columns, *wages])
        needs = needs_of(systems, month, outputs, months, [name for name in table.column_names if name not in wages])
        unread = _unread(source, systems, extra_columns)
        inputs = to_inputs(table, month, needs, assume, source=label, background=background, unread=unread)
        inputs.unread_wages = table_unread_wages(table, month, needs, systems[0], label)
    else:  # the structure and the caller's columns now, the rules' columns read ahead as the structure is checked
        blocks = None
        try:
            with ThreadPoolExecutor(1, thread_name_prefix="population-needs") as pool:
                reading = pool.submit(
                    _read_needs, source, systems, month, outputs, extra_columns, streamed, claims_on_events
                )
                try:
                    table = read_table(source, [*STRUCTURE, *extra_columns])
                    structure = _checked_structure(table, label)
                finally:
                    needs, blocks, wages = reading.result()  # its error first, as when the event dates were read first
            unread = _unread(source, systems, extra_columns)
            inputs = to_inputs(
                table,
                month,
                needs,
                assume,
                source=label,
                background=True,
                streamed=streamed,
                chunk_persons=chunk_persons,
                structure=structure,
                blocks=blocks,
                unread=unread,
            )
            inputs.unread_wages = wages
        except BaseException:
            if blocks is not None:  # the table is refused: its blocks are no longer read ahead
                blocks.close()
            raise
    analysis = table.select([name for name in dict.fromkeys(extra_columns) if name in table.column_names])
    del table
    notes = [unread_note(unread), later_wages_note(source_columns(source), month)]
    inputs.assumptions = [*inputs.assumptions, *(note for note in notes if note is not None)]
    pa.default_memory_pool().release_unused()  # Arrow's pool would keep the freed columns for itself
    return inputs, analysis


def _unread(source: Any, systems: Sequence[Any], extra_columns: Iterable[str]) -> dict[str, str | None]:
    """The table's columns that neither the systems' rules nor the analyses (``extra_columns``) read, each with the
    name it may have meant (:func:`~.missing_columns.unread_columns`)."""
    facts = {name for system in systems for name in facts_of(system)}
    return unread_columns(source_columns(source), facts, {*SURVEY_ONLY, *extra_columns})


def _read_needs(
    source: Any,
    systems: Sequence[Any],
    month: str,
    outputs: Sequence[Sequence[str]],
    extra_columns: Iterable[str],
    streamed: StreamedColumns,
    claims_on_events: bool = True,
) -> tuple[list[ColumnNeed], ReadAhead | None, UnreadWages | None]:
    """What the rules read from a streamed table (the event dates read first, with ``claims_on_events``), its
    blocks, being read ahead (None if the table has none of those columns), and what its months of wages no rule
    reads hold for the checks (:mod:`~.unread_wages`: those months, the births and careers read a block at a time,
    while the blocks are read ahead)."""
    months = claim_months(source, systems, month, claims_on_events=claims_on_events)
    _, columns = columns_to_read(systems, month, outputs, extra_columns, months)
    needs = needs_of(systems, month, outputs, months, [name for name in columns if name in streamed.names])
    read = [need for need in needs if need.column in streamed.names]
    ahead = ReadAhead(streamed_blocks(streamed, read)) if read else None
    try:
        return needs, ahead, streamed_unread_wages(streamed, month, needs, systems[0], source=source_label(source))
    except BaseException:
        if ahead is not None:
            ahead.close()
        raise


def _checked_structure(table: pa.Table, source: str | None) -> Structure | PopulationError | None:
    """The table's structure, or its error (raised by :func:`to_inputs` after the columns found missing); None
    if it lacks an id column."""
    if PERSON_ID not in table.column_names or HOUSEHOLD_ID not in table.column_names or not table.num_rows:
        return None
    try:
        return population_structure(table, source)
    except PopulationError as error:
        return error


def _streamed(source: Any) -> StreamedColumns | None:
    """A Parquet file's columns, to be read a block at a time (None for any other source)."""
    path = parquet_file(source)
    if path is None:
        return None
    return StreamedColumns(parquet_columns(path), functools.partial(parquet_batches, path))


def simulate(
    population: Any,
    month: Month,
    system: Any = None,
    *,
    assume: Mapping[str, Any] | None = None,
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    claims_on_events: bool = True,
) -> PopulationResults:
    """Every branch of ``system``'s rules for every person of ``population`` in ``month``.

    A claim whose event the table dates on another day than the month's first (a birth, a registration, a
    claim) is decided on its event's day, as ``/eligibility`` decides it (:mod:`~.claims`). With
    ``claims_on_events`` False, every claim is decided on the first day of the month, as openfisca-core's own
    run decides it: a snapshot of the month, which reads no history the dated claims alone would read (the
    claim date columns still give the events).

    ``population`` is a DataFrame, an Arrow table or a Parquet/CSV path (see
    :mod:`~openfisca_sp.population.reading`); ``system`` a tax-benefit system, a reform, or a
    jurisdiction code; left out, the jurisdiction the population names as its own (a shipped sample's, a
    synthesized table's), else the default one. Another jurisdiction's rules on a population that names its
    own, and missing columns, raise :class:`PopulationError`. ``month`` is ``YYYY-MM``, a monthly ``pd.Period`` or
    a ``np.datetime64`` of months; a day, in any form, is refused (:mod:`~.months`).
    """
    month = check_run(month, chunk_persons, progress, claims_on_events)  # a Period or datetime64 too
    system = system_for(population, system)
    branches = branches_of(system)
    outputs = outputs_of(system, branches)
    inputs, _ = read_population(
        population,
        [system],
        month,
        [outputs],
        assume,
        background=True,
        chunk_persons=chunk_persons,
        claims_on_events=claims_on_events,
    )
    (columns,) = run_chunks([system], inputs, month, [outputs], chunk_persons, progress, claims_on_events)
    household_ids = inputs.household_ids[inputs.household_of]
    return PopulationResults(
        system, month, inputs.person_ids, household_ids, inputs.weights, columns, branches, inputs.assumptions
    )

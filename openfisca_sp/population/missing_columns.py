"""A table's columns the rules read and it lacks: which the law lets go missing, the analyst's assumptions for
the others, and what the error says of the rest (the month evaluated reads them, or the claims of other months)."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from openfisca_sp.decisions.facts import OPTIONAL
from openfisca_sp.population.columns import STRUCTURE, ColumnNeed
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.wording import counted, noun_for

# Columns a table may leave out, the law's default applying (said in the results' assumptions): the facts whose
# absence the rules handle, and each branch's event date (a column left out is a column of empty cells: no event,
# the claim decided in the month evaluated).
EVENT_DATES = frozenset(branch.event.date_fact for branch in BRANCHES.values() if branch.event is not None)
LAW_DEFAULTS = OPTIONAL | EVENT_DATES
# a column of one month of a fact's history, its month written with one digit or two
HISTORY = re.compile(r"(?P<fact>[a-z_][a-z0-9_]*)\.(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})")


def assumed_value(value: Any) -> Any:
    """A value assumed for a whole column, read as ``--assume COLUMN=VALUE`` reads its text, whether it came from
    the command line or from Python (``assume={"contribution_months": "240"}``): a text that is JSON is the value
    it writes (``240``, ``1.5``, ``true``), another text is itself (``male``, ``2024-01-01``, ``TRUE``), a value
    that is no text is as given. What the column takes is checked afterwards, as a table's cell is."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def assumed_values(assume: Mapping[str, Any] | None) -> dict[str, Any]:
    """Each value of ``assume`` (by column) read by :func:`assumed_value`; ``assume`` of another kind than a
    mapping (a list, a text) is a TypeError saying what it takes."""
    if assume is not None and not isinstance(assume, Mapping):
        kind = type(assume).__name__
        raise TypeError(f"assume maps a column to the value every person is given ({{'column': value}}), not {kind}")
    return {column: assumed_value(value) for column, value in (assume or {}).items()}


def stating(need: ColumnNeed, assume: Collection[str]) -> str | None:
    """The assumption among ``assume`` (their names) that states ``need``: one of the columns a table gives it by
    (:attr:`ColumnNeed.names`), else its fact's name, which states every month of it the rules read that a table
    lacks; None if none does."""
    return next((name for name in (*need.names, need.variable) if name in assume), None)


def check_assumptions(
    assume: Mapping[str, Any],
    needs: list[ColumnNeed],
    present: set[str],
    month: str,
    source: str | None,
    names: Collection[str] | None = None,
) -> None:
    """Each assumption (of ``names``, else all) states a column the rules read (``needs``, by :func:`stating`)
    that the table lacks (its columns: ``present``) and no other assumption states, else it would silently do
    nothing."""
    for name in assume if names is None else names:
        stated = [need for need in needs if stating(need, (name,))]
        if not stated:
            raise PopulationError(f"assumption '{name}': {_not_read(name, needs, month)}", None, source)
        if name in present or all(need.column in present for need in stated):
            raise PopulationError(
                f"assumption '{name}': {_held(name, stated, present)}; an assumption states a column the table "
                "lacks (drop the column or the assumption)",
                None,
                source,
            )
        if all(need.column in present or stating(need, assume) != name for need in stated):
            others = sorted({stating(need, assume) for need in stated if need.column not in present})
            raise PopulationError(
                f"assumption '{name}': every column of it the table lacks is stated by another assumption "
                f"({', '.join(map(repr, others))}); drop one",
                None,
                source,
            )


def _not_read(name: str, needs: Sequence[ColumnNeed], month: str) -> str:
    """Why no column the rules read is ``name``: a month that is none, else that none is, with the closest."""
    wrong = month_error(name)
    if wrong is not None:
        return wrong
    closest = closest_name(name, {column for need in needs for column in (*need.names, need.variable)})
    hint = f" (did you mean '{closest}'?)" if closest else ""
    return f"the rules do not read such a column in {month}{hint}"


def _held(name: str, stated: Sequence[ColumnNeed], present: Collection[str]) -> str:
    """That the table has the columns the assumption ``name`` would state (``stated``), by the name it has them."""
    if name in present:
        return "the table has this column"
    if len(stated) == 1:
        return f"the table has this column (as '{stated[0].column}')"
    months = sorted(need.names[0] for need in stated)
    return f"the table has every month of it the rules read ({len(months)}, {months[0]} to {months[-1]})"


def month_error(column: str) -> str | None:
    """What is wrong with the month of a column written as a month of a history (``insured_wage.2026-13``: no such
    month; ``insured_wage.2026-9``: one digit); None where nothing is."""
    history = HISTORY.fullmatch(column)
    if history is None:
        return None
    number = int(history["month"])
    if not 1 <= number <= 12:
        return f"{history['year']}-{history['month']} is no month (the months are 01 to 12)"
    if len(history["month"]) == 1:
        return f"a month is written with two digits: {history['fact']}.{history['year']}-{number:02d}"
    return None


def assumed_note(name: str, value: Any, filled: Sequence[ColumnNeed], needs: Sequence[ColumnNeed]) -> str:
    """What the results say of the assumption ``name`` = ``value`` that states the columns ``filled``: the column,
    by its month where the rules read the fact in several (``needs``), or the months of it in order."""
    variable = filled[0].variable
    history = len({need.period for need in needs if need.variable == variable}) > 1
    shown = [need.names[0] if history else need.column for need in sorted(filled, key=lambda need: need.period)]
    if len(shown) == 1:
        return f"{shown[0]} = {value} for every person (stated assumption)"
    months = f"in {counted(len(shown), 'month')}, {shown[0]} to {shown[-1]}"
    return f"{variable} = {value} for every person {months} (stated assumption)"


ASSUME_HOW = "--assume COLUMN=VALUE on the command line, assume={COLUMN: VALUE} in Python"  # simulate, compare


def unfilled_columns(needs: Sequence[ColumnNeed], present: Collection[str], assume: Collection[str]) -> list[str]:
    """The columns the rules read (``needs``) that a table lacks (``present``: its columns) and that nothing
    fills: no assumption (``assume``: by its column, or by its fact's name for every month of it), no default in
    law, not read only of the persons a condition may concern (:mod:`~.read_only_where`), nor read as none where the
    table lacks it (``held_only``)."""
    return [
        need.column
        for need in needs
        if need.column not in present
        and stating(need, assume) is None
        and need.variable not in LAW_DEFAULTS
        and not need.only_where
        and not need.held_only  # read as none where the table lacks it (a month only a mother's average reaches)
    ]


def missing_columns_message(
    unfilled: list[str],
    needs: Mapping[str, ColumnNeed],
    unread: Mapping[str, str | None] | None = None,
    how: str = ASSUME_HOW,
) -> str:
    """Why a table lacks columns: the month evaluated reads them, or the claims dated in other months do (their
    windows reach before the table's history, or past it): those months and the date columns that put claims
    there are named, for the analyst to find the rows. Each is told the column it may be misnamed as, among those
    nothing reads (``unread``, :func:`unread_columns`); ``how``: how the command asked states an assumption."""
    named = ", ".join(repr(name) + meant(name, unread or {}) for name in unfilled)
    listed = f"missing {noun_for(len(unfilled), 'column')} {named}: "
    them = noun_for(len(unfilled), "it", "them")
    by_claims = [needs[name].claims for name in unfilled if needs[name].claims is not None]
    if len(by_claims) < len(unfilled):
        return (
            listed + f"the rules read {them} at this month and the law gives no default "
            f"(state a value for a whole column with an assumption if you mean one: {how})"
        )
    months: dict[str, list[str]] = {}
    for event_month, facts in by_claims:
        months.setdefault(event_month, []).extend(facts)
    dates = {fact for facts in months.values() for fact in facts}
    claims = "; ".join(
        f"{', '.join(dict.fromkeys(facts))} in {event_month}" for event_month, facts in sorted(months.items())
    )
    whose = noun_for(len(months), "that month's", "those months'")
    return (
        listed + f"the claims dated in other months than the one evaluated read {them} ({claims}): each claim is "
        f"decided on its event, on the wages before it. Give {whose} "
        f"{noun_for(len(unfilled), 'column')}, or check {noun_for(len(dates), 'that date', 'those dates')}"
    )


def other_month_message(label: str | None, described: str, month: str, columns: Sequence[str]) -> str:
    """Why a table that states it describes another month lacks columns: the month asked reads history months it
    does not hold (``sample:lao`` in 2030-10 listed 24 missing columns and not that it describes 2026-10)."""
    more = f" and {len(columns) - 1} more" if len(columns) > 1 else ""
    return (
        f"{label or 'the table'} describes {described} (its metadata), not {month}, the month asked: the rules of "
        f"{month} read columns it lacks ('{columns[0]}'{more}); ask for {described}, or give a table of {month}"
    )


def meant(column: str, unread: Mapping[str, str | None]) -> str:
    """`` (did you mean 'X'?)`` for a missing ``column``: the column nothing reads whose own suggestion is
    ``column`` (``contributions_months``, ``Sex``), else the closest of them; empty if none is close."""
    found = next((name for name, hint in unread.items() if hint == column), None) or closest_name(column, unread)
    return f" (did you mean '{found}'?)" if found else ""


def default_note(need: ColumnNeed) -> str:
    """What a result says of a column the table lacks and the law resolves (its fact's default applies), or that the
    rules read only of the persons a condition may concern (read as the absence of the event)."""
    if need.held_only:
        return (
            f"{need.names[0]} not given: no contributions that month for every person (the rules read it only where a "
            "table holds it: the month of a birth on or after the 15th is then not counted, and a mother whose 6 "
            "latest months with contributions reach it is averaged over those found, provisionally); /eligibility "
            "asks for it where it changes a decision"
        )
    if need.only_where and need.variable not in LAW_DEFAULTS:
        return (
            f"{need.column} not given: none stated for every person ({need.fact.label}): the rules read it only of "
            "the persons a condition may concern, and /eligibility reads it so where it is not stated"
        )
    return f"{need.column} not given: the law's default applies ({need.fact.documentation})"


UNREAD_SHOWN = 8  # names told, at most: a table of another survey may hold hundreds


def unread_columns(names: Sequence[str], facts: Collection[str], known: Collection[str]) -> dict[str, str | None]:
    """A table's columns that nothing reads (a misnamed one is otherwise silently ignored: ``insured_wage.2026-9``,
    `` household_id``), each with the name it may have meant (None if none is close).

    Read are the structure, the facts of the rules (``facts``, plain or one month of a history, ``<fact>.YYYY-MM``)
    and the columns the analyses read (``known``)."""
    readable = {*STRUCTURE, *facts, *known}
    unread: dict[str, str | None] = {}
    for name in names:
        history = HISTORY.fullmatch(name)
        if name in readable or (history and history["fact"] in facts and len(history["month"]) == 2):
            continue
        if history and history["fact"] in facts:  # a month not written with two digits
            hint = f"{history['fact']}.{history['year']}-{int(history['month']):02d}"
        else:
            hint = closest_name(name.strip(), readable) if name.strip() not in readable else name.strip()
        unread[name] = hint
    return unread


def unread_note(unread: Mapping[str, str | None]) -> str | None:
    """A note naming the columns nothing reads (:func:`unread_columns`), each with the name it may have meant; None
    where all are read."""
    if not unread:
        return None
    named = [f"'{name}'" + (f" (did you mean '{hint}'?)" if hint else "") for name, hint in unread.items()]
    more = f" and {len(named) - UNREAD_SHOWN} more" if len(named) > UNREAD_SHOWN else ""
    return f"columns not read by the rules or the analyses, ignored: {', '.join(named[:UNREAD_SHOWN])}{more}"

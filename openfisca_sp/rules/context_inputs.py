"""A law case's inputs stated as context: facts the case gives on purpose, knowing its computation does not read them.

``check`` and ``openfisca test`` warn of each input of a passing case its computation never reads (a fact no output
reads, wages of months outside the window): such a case tests less than it says. Many are deliberate (a person's
facts under a branch not modelled, months given to show they do not count), and a drafter's own slip was lost among
them. A case says which on purpose in its ``keywords`` (openfisca-core's key for a case's labels, read by its runner
as labels only, as ``overrides`` is: :mod:`~.computed_inputs`): ``keywords: [context is_disabled]``, or several
names in one, ``keywords: [context sex birth_date]``. Such an input is not warned of where it is not read (of any
member, in any month given), and is warned of where the computation reads all of it: the keyword is stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from openfisca_sp.rules.computed_inputs import OVERRIDES
from openfisca_sp.rules.unread_inputs import UnreadInput

CONTEXT = "context"  # keywords: [context <variable> …]
DIRECTIVES = (CONTEXT, OVERRIDES)  # the keywords that declare something of a case


def declared_context(keywords: Any) -> dict[str, str]:
    """The inputs a case states as context on purpose, each with the keyword that says so (``keywords``: the case's
    ``keywords``, a list or a single label)."""
    found: dict[str, str] = {}
    for keyword in keywords if isinstance(keywords, list | tuple) else [keywords]:
        words = str(keyword).split() if keyword is not None else []
        if words and words[0] == CONTEXT:
            found.update((name, str(keyword)) for name in words[1:])
    return found


def context_problems(keywords: Any, inputs: Iterable[str]) -> list[str]:
    """Why a case's ``context`` keywords are refused: one that names no input, or an input the case does not give
    (``inputs``: the variables its input gives), with the closest it gives."""
    from openfisca_sp.rules.suggestions import closest_name

    given = set(inputs)
    problems = []
    for keyword in keywords if isinstance(keywords, list | tuple) else [keywords]:
        words = str(keyword).split() if keyword is not None else []
        meant = _misspelt_directive(words, given)
        if meant:
            problems.append(
                f"'{keyword}' is read as a label, not a declaration; did you mean '{meant} {' '.join(words[1:])}'?"
            )
        if words == [CONTEXT]:
            problems.append(f"'{keyword}' names no input: write the inputs the case states on purpose after it")
        for name in words[1:] if words and words[0] == CONTEXT else ():
            if name not in given:
                meant = closest_name(name, given)
                hint = f"; did you mean '{meant}'?" if meant else ""
                problems.append(f"'{keyword}': its input gives no '{name}'{hint}")
    return problems


def _misspelt_directive(words: Sequence[str], given: set[str]) -> str | None:
    """The directive (``context``, ``overrides``) a keyword's first word misspells, where the words after it are
    inputs the case gives (``contxt is_disabled``: a label openfisca-core accepts, so the declaration was lost)."""
    from openfisca_sp.rules.suggestions import closest_name

    if len(words) < 2 or words[0] in DIRECTIVES or not set(words[1:]) & given:
        return None
    return closest_name(words[0].lower(), DIRECTIVES, cutoff=0.7)


class Notice(NamedTuple):
    """A warning of a passing case: an input not read and not stated as context (``unread``), or a context keyword
    whose input the computation reads (``stale``, its name)."""

    unread: UnreadInput | None
    stale: str | None
    message: str


def notices(name: str, keywords: Any, stated: Iterable[str], found: Sequence[UnreadInput]) -> list[Notice]:
    """What to warn of the passing case ``name``: each input of ``found`` (not read) the case does not state as
    context, then each context keyword naming an input it gives (``stated``) that the computation reads."""
    context = declared_context(keywords)
    told = [Notice(each, None, unread_message(name, each)) for each in found if each.where[-1] not in context]
    not_read = {each.where[-1] for each in found}
    given = set(stated)
    for variable, keyword in context.items():
        if variable in given and variable not in not_read:
            told.append(Notice(None, variable, stale_message(name, variable, keyword)))
    return told


def unread_message(name: str, unread: UnreadInput) -> str:
    """What ``openfisca test`` and ``openfisca-sp check`` say of an input of the passing case ``name`` its
    computation never reads."""
    variable = unread.where[-1]
    what = (
        "give it for the months the rules read, or, if the case gives those months on purpose (to show that they do "
        f"not count), say so: keywords: [{CONTEXT} {variable}]"
        if unread.periods
        else "remove it, or, if the case states it on purpose (to show that it does not matter), say so: "
        f"keywords: [{CONTEXT} {variable}]"
    )
    return (
        f"case '{name}' passes, but its computation does not read {unread.told}: the case tests nothing of it; {what}"
    )


def stale_message(name: str, variable: str, keyword: str) -> str:
    """What is said of a context keyword of the passing case ``name`` whose input ``variable`` the computation
    reads."""
    return (
        f"case '{name}' states '{variable}' as context ('{keyword}': an input its computation does not read), but "
        f"its computation reads it: the case tests it; remove '{variable}' from the keyword"
    )

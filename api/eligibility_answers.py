"""``/eligibility`` requests decided together: concurrent batches of persons as one batch, one answer each.

Requests that arrive together with the same date asked and the same branches
are decided in one pass (:class:`~openfisca_sp.api.batching.Batcher`): their
persons, one request after the other, are decided as one batch, and each
request gets the answer it would get alone. That holds because a person's
decision depends on their own facts and household only: households are kept
apart by request (a household identifier names a household of its request),
the legal bases listed are those of the request's own claims, and a person's
missing facts come in the same order whatever batch decided them
(:func:`~openfisca_sp.decisions.scattering.keeping_order`). The answers are
written as JSON once for the whole batch (:mod:`~openfisca_sp.api.decision_json`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from openfisca_sp.api.decision_json import KnownAnswers, answer_body, branch_answers, encode, person_pieces
from openfisca_sp.api.memory import collector_paused
from openfisca_sp.api.person_columns import PersonBatch
from openfisca_sp.decisions import Decisions, decide_claims, facts_of
from openfisca_sp.decisions.claims import distinct_days
from openfisca_sp.decisions.consistency import check_facts, check_identifiers
from openfisca_sp.decisions.deaths import deceased_on, with_deaths
from openfisca_sp.decisions.records import RecordColumns, concat_columns
from openfisca_sp.decisions.rules_day_limit import MAX_RULES_DAYS, check_rules_days
from openfisca_sp.rules.branches import BRANCHES, decided_branches
from openfisca_sp.rules.legal_basis import legal_basis
from openfisca_sp.rules.version import rules_version


@dataclass(frozen=True)
class Claims:
    """One request's claims: the date asked, the branches, and the persons read and checked."""

    as_of: datetime.date
    codes: tuple[str, ...]
    persons: PersonBatch

    @property
    def key(self) -> tuple[datetime.date, tuple[str, ...]]:
        """Requests with the same key can be decided together."""
        return self.as_of, self.codes


def branch_codes(asked: Sequence[str] | None, decided: Sequence[str]) -> tuple[str, ...]:
    """The branches a request asks for, each once in the order asked (if it names none, every branch the rules
    ``decided``: a branch decided only where the law provides it, Viet Nam's social pension, is decided elsewhere
    when asked, as not modelled)."""
    return tuple(dict.fromkeys(asked or decided))


def _joined(persons: Sequence[PersonBatch]) -> RecordColumns:
    """The columns of the batch's persons, one request after the other: the columns they were read in when
    they are every part of them in the order read (:mod:`~openfisca_sp.api.reading_together`), else the parts
    joined."""
    whole, start = persons[0].whole, 0
    for part in persons:
        if whole is None or part.whole is not whole or part.start != start:
            return concat_columns([part.columns for part in persons])
        start += part.count
    return whole if start == whole.count else concat_columns([part.columns for part in persons])


def household_keys(batch: Sequence[Claims]) -> list[str | None]:
    """Each person's household identifier, made distinct between requests (the same identifier in two
    requests names two households)."""
    if len(batch) == 1:
        return batch[0].persons.households
    return [
        None if household is None else f"{index}:{household}"
        for index, claims in enumerate(batch)
        for household in claims.persons.households
    ]


class EligibilityAnswers:
    """Decides the claims of a tax-benefit system and writes their answers (see the module)."""

    def __init__(self, tax_benefit_system: Any, max_rules_days: int = MAX_RULES_DAYS) -> None:
        self.tax_benefit_system = tax_benefit_system
        self.max_rules_days = max_rules_days
        self.facts = facts_of(tax_benefit_system)
        jurisdiction = tax_benefit_system.jurisdiction
        self.currency, self.decimals = jurisdiction.currency, jurisdiction.amount_decimals
        self.rules = rules_version(tax_benefit_system)  # the package's metadata, read once
        self.version = lru_cache(maxsize=256)(self._version)
        self.head = lru_cache(maxsize=1024)(self._encoded_head)
        self.known = KnownAnswers()  # branch answers already encoded (the rules do not change while it runs)
        self.decided = tuple(branch.code for branch in decided_branches(tax_benefit_system))

    def _version(self, as_of: datetime.date) -> dict[str, Any]:
        """The rules version of an answer for the date asked."""
        return {**self.rules, "legislation_date": str(as_of)}

    def claims(self, request: Any) -> Claims:
        """A validated request's claims, its facts checked against each other (or
        :class:`~openfisca_sp.decisions.consistency.ContradictoryFactsError`) and its rules days counted (or
        :class:`~openfisca_sp.decisions.rules_day_limit.TooManyRulesDaysError`)."""
        persons = request.persons
        if not isinstance(persons, PersonBatch):  # validated by pydantic, record by record
            persons = PersonBatch.from_models(persons, self.facts)
        codes = branch_codes(request.branches, self.decided)
        check_identifiers(persons.identifiers)
        check_facts(persons.columns, request.as_of, codes)
        self.check_rules_days(persons.columns, request.as_of, codes)
        return Claims(request.as_of, codes, persons)

    def check_rules_days(self, columns: RecordColumns, as_of: datetime.date, codes: Sequence[str]) -> None:
        """Refuse claims to a branch on more days whose rules apply than one request may decide (each is a
        simulation of its own): before anything is decided."""
        check_rules_days(self.tax_benefit_system, columns, as_of, codes, self.max_rules_days)

    def decide(self, batch: Sequence[Claims]) -> list[bytes]:
        """Each request's answer (JSON), its claims decided with those of the others, as one batch."""
        with collector_paused():
            bodies = self._decide(batch)
        return [  # a CRVS death: no entitlement from that day (decisions.deaths)
            with_deaths(body, str(claims.as_of)) if deceased_on(claims.persons.echoes, str(claims.as_of)) else body
            for body, claims in zip(bodies, batch, strict=True)
        ]

    def _decide(self, batch: Sequence[Claims]) -> list[bytes]:
        as_of, codes = batch[0].key
        persons = [claims.persons for claims in batch]
        columns = _joined(persons)
        heads = [head for part in persons for head in part.heads]
        decisions = decide_claims(self.tax_benefit_system, columns, as_of, codes, (household_keys(batch), heads))
        answers = {
            code: branch_answers(decisions.branches[code], self.currency, self.decimals, as_of, self.known)
            for code in codes
        }
        identifiers = [identifier for part in persons for identifier in part.identifiers]
        households = [household for part in persons for household in part.households]
        echoes = [echo for part in persons for echo in (part.echoes or [None] * part.count)]
        pieces, per = person_pieces(identifiers, households, answers, echoes)
        bodies, start = [], 0
        days = self._days(decisions, 0, decisions.count)
        shared = self.head(as_of, days) if all(len(found) <= 1 for _, found in days) else None  # one head for all
        for part in persons:
            stop = start + part.count
            head = shared or self.head(as_of, self._days(decisions, start, stop))  # each request's own rules
            bodies.append(answer_body(head, pieces, per, start, stop))
            start = stop
        return bodies

    @staticmethod
    def _days(decisions: Decisions, start: int, stop: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each branch and the days whose rules decided rows ``start`` to ``stop`` (what an answer's head lists)."""
        return tuple(
            (code, tuple(str(day) for day in distinct_days(branch.rules_day[start:stop])))  # few: str is quicker
            for code, branch in decisions.branches.items()
        )

    def _encoded_head(self, as_of: datetime.date, days: tuple[tuple[str, tuple[str, ...]], ...]) -> bytes:
        """The head of an answer for the date asked whose branches were decided on the rules of ``days``
        (the same bytes for every answer alike: the rules do not change while the service runs)."""
        branches = {
            code: {
                "label": BRANCHES[code].label,
                "rules_in_force": {
                    day: {"legal_basis": basis.values, "unverified_parameters": basis.unverified}
                    for day, basis in ((day, legal_basis(self.tax_benefit_system, code, day)) for day in found)
                },
            }
            for code, found in days
        }
        return encode({"rules": self.version(as_of), "as_of": str(as_of), "branches": branches})

"""Small ``/eligibility`` requests read together: the person records of concurrent requests read as one batch.

Reading a request's person records into columns (:mod:`~.person_columns`) costs
about as much for one person as for a hundred: it is mostly a fixed cost per
fact. Under load, a one-person request spent nearly as long being read as its
share of the batch's decision. Here a request of a few flat person records has
only its date asked and branches validated when it arrives
(:func:`~.models.eligibility_head_model`, as the whole request model validates
them); its records wait, unread, for the batch that decides it
(:class:`~.batching.Batcher`), where the records of all its requests are read
and checked at once (:class:`~.person_columns.RecordReader`,
:func:`~openfisca_sp.decisions.consistency.check_facts`) and decided in the
columns they were read in.

Every request gets the answer or the error it would get alone: if the records
read together are declined or contradict each other, each request is read
alone, by the whole request model, and its own error (pydantic's, located in
its body, or its contradictions) is its answer. A request the reader would
decline anyway, a DCI-shaped one, or one with more than ``MOST_PERSONS``
persons is read alone on arrival, as before.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from openfisca_sp.api.eligibility_answers import Claims, EligibilityAnswers, branch_codes
from openfisca_sp.api.hot_lane import validated
from openfisca_sp.api.models import eligibility_head_model, eligibility_request_model, person_reader
from openfisca_sp.api.person_columns import DeclinedError, RecordReader
from openfisca_sp.decisions.consistency import ContradictoryFactsError, check_facts, check_identifiers
from openfisca_sp.decisions.dci_records import is_dci_shaped
from openfisca_sp.decisions.rules_day_limit import TooManyRulesDaysError

MOST_PERSONS = 16  # a request with more persons is read on arrival: its own reading is no longer mostly fixed cost


@dataclass(frozen=True)
class UnreadClaims:
    """A request whose date asked and branches are validated, and whose person records are not read yet."""

    as_of: datetime.date
    codes: tuple[str, ...]
    records: list[dict[str, Any]]
    body: Any  # the parsed JSON body, validated whole if its records cannot be read together

    @property
    def key(self) -> tuple[datetime.date, tuple[str, ...]]:
        """Requests with the same key can be decided together (as :attr:`Claims.key`)."""
        return self.as_of, self.codes


class ReadingTogether:
    """Reads the unread claims of a batch together, then decides it with ``answers`` (see the module)."""

    def __init__(
        self,
        answers: EligibilityAnswers,
        request_model: type[BaseModel],
        head_model: type[BaseModel],
        reader: RecordReader,
    ) -> None:
        self.answers = answers
        self.request_model = request_model
        self.head_model = head_model
        self.reader = reader
        self.together = 0  # batches of two or more requests read together, for the tests

    def unread(self, body: Any) -> UnreadClaims | None:
        """``body``'s claims with their records left unread, or None if it is to be read alone now."""
        if type(body) is not dict or type(persons := body.get("persons")) is not list:
            return None
        if not 1 <= len(persons) <= MOST_PERSONS or not all(type(record) is dict for record in persons):
            return None
        if is_dci_shaped(persons):
            return None
        try:
            head = self.head_model.model_validate(body)
        except ValidationError:
            return None  # the whole model names its errors
        return UnreadClaims(head.as_of, branch_codes(head.branches, self.answers.decided), persons, body)

    def decide(self, batch: Sequence[Claims | UnreadClaims]) -> list[bytes | Exception]:
        """Each request's answer, or its own error (read alone)."""
        read = self.read(batch)
        ready = [claims for claims in read if isinstance(claims, Claims)]
        bodies = iter(self.answers.decide(ready) if ready else ())
        return [claims if isinstance(claims, Exception) else next(bodies) for claims in read]

    def read(self, batch: Sequence[Claims | UnreadClaims]) -> list[Claims | Exception]:
        """The batch's claims, its unread ones read together where that holds, else each alone."""
        unread = [claims for claims in batch if isinstance(claims, UnreadClaims)]
        if not unread:
            return list(batch)
        parts = iter(self._together(unread) or [self._alone(claims) for claims in unread])
        return [next(parts) if isinstance(claims, UnreadClaims) else claims for claims in batch]

    def _together(self, unread: list[UnreadClaims]) -> list[Claims] | None:
        """The claims of ``unread`` (one key), their records read and checked as one batch; None if that is
        declined or finds a contradiction (each is then read alone, to answer its own error)."""
        records = unread[0].records if len(unread) == 1 else [record for claims in unread for record in claims.records]
        as_of, codes = unread[0].key
        try:
            persons = self.reader.read(records)
            check_facts(persons.columns, as_of, codes)
            parts = persons.parts([len(claims.records) for claims in unread])
            for part in parts:  # an identifier twice is a mistake within one request, not across requests
                check_identifiers(part.identifiers)
                self.answers.check_rules_days(part.columns, as_of, codes)  # each request within its own bound
        except (DeclinedError, ContradictoryFactsError, TooManyRulesDaysError):
            return None
        if len(unread) > 1:
            self.together += 1
        return [Claims(as_of, codes, part) for part in parts]

    def _alone(self, claims: UnreadClaims) -> Claims | Exception:
        try:
            return self.answers.claims(validated(self.request_model, claims.body))
        except (RequestValidationError, ContradictoryFactsError, TooManyRulesDaysError) as error:  # its own error
            return error.with_traceback(None)  # no frame of the batch kept with it


def reading_together(tax_benefit_system: Any, answers: EligibilityAnswers, max_persons: int) -> ReadingTogether:
    """The reader of a system's requests (its batcher decides batches with :meth:`ReadingTogether.decide`)."""
    return ReadingTogether(
        answers,
        eligibility_request_model(tax_benefit_system, max_persons),
        eligibility_head_model(tax_benefit_system, MOST_PERSONS),
        person_reader(tax_benefit_system, max_persons),
    )

"""``POST /eligibility/by-identifier``: a person's facts fetched from the registries, then decided.

For each identifier asked, the configured registries are searched at once (:mod:`~openfisca_sp.api.registry_client`):
the Social Registry (the person, or the group, as its records come), the Disability Registry (its person when the
Social Registry gave none; its disability codes are not mapped to any jurisdiction's assessment, see
docs/dci.md, and are left out) and the CRVS (live births and deaths, read by
:mod:`~openfisca_sp.decisions.crvs_events`). The caller's own ``records`` (an insurer's contribution records,
facts it knows) go beside them; a registry's record found again for another identifier (two members of one Group,
their child's birth) is read once. The whole is decided as ``POST /eligibility`` decides it.

A registry that could not be searched (no answer in time after its attempts, an error, a refusal), whose
record cannot be read, or whose records would take the request past the persons it may decide is reported
``unavailable`` with its reason, for the person asked; each branch left
``undetermined`` for want of a fact that registry gives gets ``reason: registry_unavailable`` and
``registries_unavailable``. A registry with no URL set is ``not_configured``: such a branch gets
``reason: registry_not_configured`` and ``registries_not_configured`` (asking again will not help). Never a
500 for a registry's fault; a caller's record that is wrong is a 422 naming it (``records[0].contribution_months``).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from openfisca_sp.api.batching import Batcher
from openfisca_sp.api.dci_security import DCISecurity
from openfisca_sp.api.eligibility_answers import EligibilityAnswers
from openfisca_sp.api.models import BranchCode, DecisionDate, Identifier
from openfisca_sp.api.registry_client import NOT_CONFIGURED, REGISTRIES, Fetched, RegistryClient
from openfisca_sp.api.request_schema import without_calendar_bounds
from openfisca_sp.api.response_models import REGISTRY_NOT_CONFIGURED, REGISTRY_UNAVAILABLE, ByIdentifierResponse
from openfisca_sp.api.responses import EncodedJSON, version_headers
from openfisca_sp.api.settings import Settings
from openfisca_sp.decisions.attached_records import identifier_values
from openfisca_sp.decisions.dci_records import DISABILITY_FIELDS
from openfisca_sp.rules.wording import counted

MAX_IDENTIFIERS = 100
GONE = Response(status_code=499)  # nginx's code for a client that left: logged so, sent to nobody
REGISTRY_FACTS = {  # the facts each registry gives: a branch missing one of them waits for that registry
    "social_registry": frozenset({"birth_date", "sex", "is_disabled"}),
    "disability_registry": frozenset(
        {"is_disabled", "disability_degree", "disability_category", "disability_assessment_date"}
    ),
    "crvs": frozenset({"child_birth_date", "pregnancy_outcome", "number_of_children_born", "birth_date", "sex"}),
}
Source = tuple[str, int]  # (registry, or "records" / "asked"; the identifier's or the record's index)


EXAMPLES = {  # docs/dci.md, "Registry client"
    "maternity": {
        "summary": "A mother named by her identifier, with the insurer's contribution record",
        "value": {
            "as_of": "2024-06-15",
            "branches": ["maternity"],
            "identifiers": [{"identifier_type": "UIN", "identifier_value": "9876543210"}],
            "records": [{"@type": "ContributionRecord", "identifier": "9876543210", "contribution_months": 60}],
        },
    }
}


class ByIdentifierRequest(BaseModel):
    """Persons named by their identifiers, their facts fetched from the registries."""

    model_config = ConfigDict(
        extra="forbid", title="Eligibility by identifier", json_schema_extra=without_calendar_bounds
    )
    as_of: DecisionDate = Field(description="The date asked (YYYY-MM-DD), as for /eligibility")
    branches: Annotated[list[BranchCode] | None, Field(min_length=1)] = None  # type: ignore[valid-type]
    identifiers: list[Identifier] = Field(min_length=1, max_length=MAX_IDENTIFIERS)
    records: list[dict[str, Any]] = Field(
        default_factory=list, description="Records of the caller, beside the registries' (ContributionRecord …)"
    )


def assemble(request: ByIdentifierRequest, fetched: list[dict[str, Fetched]]) -> tuple[list[Any], list[Source]]:
    """The records to decide, and where each came from (see the module)."""
    persons: list[Any] = []
    sources: list[Source] = []
    seen: set[str] = set()  # a record found again for another identifier (her Group, their child's birth)

    def add(records: list[Any], source: Source) -> None:
        for record in records:
            written = json.dumps(record, sort_keys=True, default=repr)  # any value a registry's JSON can hold
            if written not in seen:  # once: never the same person twice, whom a record could not tell apart
                seen.add(written)
                persons.append(record)
                sources.append(source)

    for index, (asked, found) in enumerate(zip(request.identifiers, fetched, strict=True)):
        social, disability, crvs = found["social_registry"], found["disability_registry"], found["crvs"]
        if social.status == "found":
            add(social.records, ("social_registry", index))
        elif disability.status == "found":
            add([_without_codes(record) for record in disability.records], ("disability_registry", index))
        else:
            add([{"identifier": [asked.model_dump()]}], ("asked", index))
        if crvs.status == "found":
            add(
                [record for record in crvs.records if isinstance(record, dict) and "reg_event_type" in record],
                ("crvs", index),
            )
    persons += request.records
    sources += [("records", row) for row in range(len(request.records))]
    return persons, sources


def _without_codes(record: Any) -> Any:
    if not isinstance(record, dict):
        return record
    return {key: value for key, value in record.items() if key not in DISABILITY_FIELDS}


def _validated(
    model: Any, body: dict[str, Any], sources: list[Source], fetched: list[dict[str, Fetched]], asked: list[Any]
) -> Any:
    """The request validated; a registry's record that cannot be read makes that registry unavailable (its
    records dropped, the person asked kept by its identifier, then again), a caller's is a 422 naming it."""
    while True:
        try:
            return model.model_validate(body)
        except ValidationError as error:
            problems = error.errors()
        wrong = {}
        for problem in problems:
            location = problem["loc"]
            if len(location) < 2 or location[0] != "persons" or not isinstance(location[1], int):
                raise RequestValidationError([{**problem, "loc": ("body", *location)}]) from None
            registry, index = sources[location[1]]
            if registry in ("records", "asked"):
                raise RequestValidationError([{**problem, "loc": ("body", "records", index, *location[2:])}]) from None
            wrong.setdefault((registry, index), f"{'.'.join(map(str, location[2:]))}: {problem['msg']}"[:200])
        for (registry, index), why in wrong.items():
            fetched[index][registry] = Fetched(
                registry, "unavailable", [], fetched[index][registry].attempts, f"its record cannot be read ({why})"
            )
        kept = [row for row, source in enumerate(sources) if source not in wrong]
        persons = [body["persons"][row] for row in kept]
        sources[:] = [sources[row] for row in kept]
        for registry, index in wrong:
            if registry != "crvs":  # the person asked was the registry's record: kept by its identifier
                persons.insert(0, {"identifier": [asked[index].model_dump()]})
                sources.insert(0, ("asked", index))
        body = {**body, "persons": persons}


def _within(
    body: dict[str, Any], sources: list[Source], fetched: list[dict[str, Fetched]], asked: list[Any], limit: int
) -> dict[str, Any]:
    """The persons to decide within ``limit``: while over it, the registry search that gave the most records is
    made unavailable (its records dropped, the person asked kept by its identifier), rather than the caller's
    request refused for ``persons`` it never sent (413). The caller's own records over the limit stay its 413."""
    while len(body["persons"]) > limit:
        counts = Counter(source for source in sources if source[0] not in ("records", "asked"))
        if not counts:
            return body
        (registry, index), _ = counts.most_common(1)[0]
        attempts = fetched[index][registry].attempts
        why = f"more records than the {counted(limit, 'person')} one request may decide"
        fetched[index][registry] = Fetched(registry, "unavailable", [], attempts, why)
        kept = [row for row, source in enumerate(sources) if source != (registry, index)]
        persons = [body["persons"][row] for row in kept]
        sources[:] = [sources[row] for row in kept]
        if registry != "crvs":  # the person asked was the registry's record: kept by its identifier
            persons.insert(0, {"identifier": [asked[index].model_dump()]})
            sources.insert(0, ("asked", index))
        body = {**body, "persons": persons}
    return body


def reported(answer: dict[str, Any], request: ByIdentifierRequest, fetched: list[dict[str, Fetched]]) -> None:
    """The registries' outcomes in the answer: per identifier asked, and on the branches they left undetermined."""
    answer["registries"] = [
        {"identifier": asked.model_dump(), "searches": [item.summary() for item in found.values()]}
        for asked, found in zip(request.identifiers, fetched, strict=True)
    ]
    by_value = {asked.identifier_value: index for index, asked in enumerate(request.identifiers)}
    for person in answer["persons"]:
        indices = {by_value[value] for value in identifier_values(person.get("identifier")) if value in by_value}
        searched = {name: item for index in indices for name, item in fetched[index].items() if not item.usable}
        unset = sorted(name for name, item in searched.items() if item.status == NOT_CONFIGURED)
        down = sorted(name for name in searched if name not in unset)
        for key, names in (("registries_unavailable", down), ("registries_not_configured", unset)):
            if names:
                person[key] = names
        for decision in person["benefits"].values():
            if decision.get("decision") != "undetermined":
                continue
            missing = set(decision.get("missing_facts") or ())
            waiting = [name for name in down if missing & REGISTRY_FACTS[name]]
            unasked = [name for name in unset if missing & REGISTRY_FACTS[name]]
            if waiting:  # a registry that could have given the fact failed: asking again may decide it
                decision["reason"] = REGISTRY_UNAVAILABLE
                decision["registries_unavailable"] = waiting
            elif unasked:  # no registry of that kind is set up: only the caller can state the fact
                decision["reason"] = REGISTRY_NOT_CONFIGURED
                decision["registries_not_configured"] = unasked


async def until_disconnected(http: Request, work: Any) -> Any:
    """What ``work`` (a coroutine) gives; if the client leaves first, ``work`` is cancelled (its searches with
    it) and :data:`GONE` given: nobody is left to answer."""

    async def gone() -> None:
        while (await http.receive())["type"] != "http.disconnect":  # the body was read whole: only the end is left
            pass

    task, watch = asyncio.ensure_future(work), asyncio.ensure_future(gone())
    try:
        await asyncio.wait((task, watch), return_when=asyncio.FIRST_COMPLETED)
    finally:
        watch.cancel()
        if not task.done():
            task.cancel()
    if task.cancelled() or not task.done():
        return GONE
    return task.result()


def add_registry_routes(
    router: APIRouter, answers: EligibilityAnswers, batcher: Batcher, model: type[BaseModel], settings: Settings
) -> None:
    """Add ``/eligibility/by-identifier`` to ``router``, searching the registries of ``settings`` and deciding as
    its ``/eligibility`` does (the same batcher); searches signed and with a token as the app's DCI security says."""
    client = RegistryClient(
        {"social_registry": settings.social_registry_url, "disability_registry": settings.disability_registry_url,
         "crvs": settings.crvs_url},
        settings.registry_timeout,
        settings.registry_attempts,
        settings.dci_sender_id,
        settings.registry_max_pages,
        settings.registry_max_bytes,
        settings.registry_deadline,
        settings.registry_concurrency,
    )  # fmt: skip

    @router.post(
        "/eligibility/by-identifier",
        summary="Fetch a person's facts from the registries (Social Registry, Disability Registry, CRVS), then decide",
        response_model=None,
        responses={
            200: {
                "model": ByIdentifierResponse,
                "description": "The /eligibility answer, with each registry's outcome (registries)",
            },
            422: {"description": "A field of the request, or a caller's record, is invalid: the body names it"},
        },
    )
    async def by_identifier(
        http: Request, request: ByIdentifierRequest = Body(openapi_examples=EXAMPLES)
    ) -> EncodedJSON | Response:
        security: DCISecurity = http.app.state.dci_security
        asked = [(item.identifier_type, item.identifier_value) for item in request.identifiers]
        fetched = await until_disconnected(http, client.search_many(asked, security))
        if fetched is GONE:
            return GONE
        persons, sources = assemble(request, fetched)
        body = {"as_of": str(request.as_of), "branches": request.branches, "persons": persons}
        body = _within(body, sources, fetched, request.identifiers, settings.max_persons)
        validated = _validated(model, body, sources, fetched, request.identifiers)
        claims = answers.claims(validated)
        decided = await batcher.submit(claims, claims.key, claims.persons.count)
        http.state.persons_decided = claims.persons.count
        answer = orjson.loads(decided)  # deaths already applied (EligibilityAnswers.decide)
        reported(answer, request, fetched)
        return EncodedJSON(orjson.dumps(answer), headers=version_headers(answers.version(claims.as_of)))


__all__ = ["REGISTRIES", "add_registry_routes"]

"""Requests that arrive together are evaluated together, as one vectorised simulation.

Under load, many small requests wait for the CPU at the same time; OpenFisca's
cost per simulation is mostly fixed, so evaluating them in one simulation
multiplies throughput. Alone, a request waits for nothing: the batch is closed
two turns of the event loop after its first request arrived. Requests merge
only when merging is exact (:class:`Coalescer`: ``/calculate`` situations that
name the same entities, read as one, or plans that set the same formula variables
as inputs; ``/eligibility``: the same date asked and branches), so each request gets
exactly the results it would get alone. A request refused gets its own error; if a
merged evaluation fails, each request is evaluated alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from openfisca_sp.api.memory import collector_paused
from openfisca_sp.api.situations import (
    MAX_REFERENCE_VALUES,
    MAX_RESULT_PERIODS,
    SituationError,
    SituationPlan,
    execute,
    plan_situation,
    reference_calculate,
)
from openfisca_sp.api.situations.merging import merged_plan, person_count

Pending = tuple[Any, Hashable, int, asyncio.Future]  # item, key, size, future
log = logging.getLogger("openfisca_sp.api.batching")


class Batcher:
    """Collects what concurrent requests submit and runs it in batches: items of the same key, in the order
    they came, up to ``max_size`` (a request larger than that runs alone)."""

    def __init__(
        self, run: Callable[[Sequence[Any]], Sequence[Any]], max_size: int, turns: int = 2, name: str = "batch"
    ) -> None:
        self.run = run  # items -> one result per item (an exception: that item's error)
        self.name = name  # in the debug log
        self.max_size = max_size
        self.turns = turns
        self.pending: list[Pending] = []
        self.scheduled = False
        self.batches = 0  # how many batches ran, for the benchmark and the tests
        self.requests = 0

    async def submit(self, item: Any, key: Hashable, size: int) -> Any:
        """The result of ``item``, evaluated with the items of the same ``key`` submitted meanwhile."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((item, key, size, future))
        if not self.scheduled:
            self.scheduled = True
            loop.call_soon(self._close, self.turns)
        try:
            return await future
        finally:  # a failed future's error holds this frame, which would hold the future: a cycle, and the request
            del future

    def _close(self, turns: int) -> None:
        if turns:
            asyncio.get_running_loop().call_soon(self._close, turns - 1)
            return
        self.scheduled = False
        pending, self.pending = self.pending, []
        for batch in self._batches(pending):
            self._run(batch)

    def _batches(self, pending: list[Pending]) -> list[list[Pending]]:
        by_key: dict[Hashable, list[list[Pending]]] = {}
        for entry in pending:
            batches = by_key.setdefault(entry[1], [[]])
            current = batches[-1]
            if current and sum(size for _, _, size, _ in current) + entry[2] > self.max_size:
                current = []
                batches.append(current)
            current.append(entry)
        return [batch for batches in by_key.values() for batch in batches]

    def _run(self, batch: list[Pending]) -> None:
        self.batches += 1
        self.requests += len(batch)
        if len(batch) > 1:
            log.debug("%s: %d requests evaluated together", self.name, len(batch))
        try:
            results = self.run([item for item, _, _, _ in batch])
        except Exception as failure:  # isolate the request that fails: each is evaluated alone
            if len(batch) == 1:
                if not batch[0][3].done():
                    batch[0][3].set_exception(failure)
                return
            for entry in batch:
                self._run([entry])
            return
        for (_, _, _, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)


def _answered(error: Exception) -> Exception:
    """``error`` to answer a request with. A client error (:class:`SituationError`) goes without its traceback
    and context: their frames lead, through their callers, to the frames that hold the batch's results, this
    error among them, a cycle that would keep every situation of the batch in memory until the collector runs.
    Any other error keeps its traceback for the log of its 500."""
    if isinstance(error, SituationError):
        error.__context__ = error.__cause__ = None
        return error.with_traceback(None)
    return error


class Coalescer(Batcher):
    """Collects the situations of concurrent ``/calculate`` requests and evaluates them in batches: as one
    situation where that is exact (:func:`~.situations.merging.merged_plan`), else planned one by one and merged
    when their plans' signatures are equal; a situation outside the fast path by openfisca-core's builder."""

    def __init__(
        self,
        tax_benefit_system: Any,
        max_persons: int,
        max_reference_values: int = MAX_REFERENCE_VALUES,
        turns: int = 2,
        max_result_periods: int = MAX_RESULT_PERIODS,
    ) -> None:
        super().__init__(self._evaluate, max_persons, turns, name="calculate")
        self.tax_benefit_system = tax_benefit_system
        self.max_persons = max_persons
        self.max_reference_values = max_reference_values
        self.max_result_periods = max_result_periods  # distinct periods a situation may ask results for
        self.plural = tax_benefit_system.person_entity.plural
        self.read_as_one = 0  # batches whose situations were read as one, for the tests

    async def calculate(self, situation: Any) -> dict[str, Any]:
        """``situation`` with its results (or its error), evaluated with those submitted meanwhile."""
        return await self.submit(situation, None, person_count(situation, self.plural))

    def _evaluate(self, situations: Sequence[Any]) -> list[Any]:
        with collector_paused():
            plan = merged_plan(self.tax_benefit_system, situations, self.max_persons, self.max_result_periods)
            if plan is not None and not isinstance(self._executed([plan])[0], Exception):
                self.read_as_one += 1  # the results were written into each situation
                return list(situations)
            return self._one_by_one(situations)  # a failure wrote nothing: each is evaluated alone

    def _one_by_one(self, situations: Sequence[Any]) -> list[Any]:
        """Each situation planned alone (its refusal is its answer), those with equal signatures executed as one
        simulation, those outside the fast path left to openfisca-core's builder."""
        results: list[Any] = [None] * len(situations)
        plans = {}
        for index, situation in enumerate(situations):
            try:
                plans[index] = plan_situation(
                    self.tax_benefit_system, situation, self.max_persons, self.max_result_periods
                )
            except Exception as error:  # the request's own error, answered to it alone
                results[index] = _answered(error)
        by_signature: dict[frozenset, list[int]] = {}
        for index, plan in plans.items():
            if plan is not None:
                by_signature.setdefault(plan.signature, []).append(index)
                continue
            try:
                results[index] = reference_calculate(
                    self.tax_benefit_system,
                    situations[index],
                    self.max_persons,
                    self.max_reference_values,
                    self.max_result_periods,
                )
            except Exception as error:
                results[index] = _answered(error)
        for indices in by_signature.values():
            answers = self._executed([plans[index] for index in indices])
            for index, answer in zip(indices, answers, strict=True):
                results[index] = answer
        return results

    def _executed(self, plans: list[SituationPlan]) -> list[Any]:
        """The plans executed as one simulation, each one's situation with its results; if that fails, each
        executed alone (its error its answer). A failure writes no result (see ``execute``)."""
        try:
            return execute(self.tax_benefit_system, plans)
        except Exception as error:
            if len(plans) == 1:
                return [_answered(error)]
            return [answer for plan in plans for answer in self._executed([plan])]

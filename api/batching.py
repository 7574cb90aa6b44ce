"""Requests that arrive together are evaluated together, as one vectorised simulation.

Under load, many small requests wait for the CPU at the same time; OpenFisca's
cost per simulation is mostly fixed, so evaluating them in one simulation
multiplies throughput. Alone, a request waits for nothing: the batch is closed
two turns of the event loop after its first request arrived. Requests merge
only when merging is exact (:class:`Coalescer`: ``/calculate`` plans that set
the same formula variables as inputs; ``/eligibility``: the same date asked and
branches), so each request gets exactly the results it would get alone; if a
merged evaluation fails, each request is evaluated alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from openfisca_sp.api.memory import collector_paused
from openfisca_sp.api.situations import SituationPlan, execute

Pending = tuple[Any, Hashable, int, asyncio.Future]  # item, key, size, future
log = logging.getLogger("openfisca_sp.api.batching")


class Batcher:
    """Collects what concurrent requests submit and runs it in batches: items of the same key, in the order
    they came, up to ``max_size`` (a request larger than that runs alone)."""

    def __init__(
        self, run: Callable[[Sequence[Any]], Sequence[Any]], max_size: int, turns: int = 2, name: str = "batch"
    ) -> None:
        self.run = run  # items -> one result per item
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
        return await future

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
            if not future.done():
                future.set_result(result)


class Coalescer(Batcher):
    """Collects the plans of concurrent ``/calculate`` requests and evaluates them in batches."""

    def __init__(self, tax_benefit_system: Any, max_persons: int, turns: int = 2) -> None:
        super().__init__(self._execute, max_persons, turns, name="calculate")
        self.tax_benefit_system = tax_benefit_system
        self.max_persons = max_persons

    async def calculate(self, plan: SituationPlan) -> dict[str, Any]:
        return await self.submit(plan, plan.signature, len(plan.ids))

    def _execute(self, plans: Sequence[SituationPlan]) -> list[dict[str, Any]]:
        with collector_paused():
            return execute(self.tax_benefit_system, list(plans))

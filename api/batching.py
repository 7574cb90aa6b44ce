"""Requests that arrive together are evaluated together, as one vectorised simulation.

Under load, many small ``/calculate`` requests wait for the CPU at the same
time; OpenFisca's cost per simulation is mostly fixed, so evaluating them in
one simulation multiplies throughput. Alone, a request waits for nothing: the
batch is closed two turns of the event loop after its first request arrived.
Plans merge only when they set the same formula variables as inputs, so each
request gets exactly the results it would get alone; if a merged evaluation
fails, each request is evaluated alone.
"""

from __future__ import annotations

import asyncio
from typing import Any

from openfisca_sp.api.memory import collector_paused
from openfisca_sp.api.situations import SituationPlan, execute


class Coalescer:
    """Collects the plans of concurrent requests and evaluates them in batches."""

    def __init__(self, tax_benefit_system: Any, max_persons: int, turns: int = 2) -> None:
        self.tax_benefit_system = tax_benefit_system
        self.max_persons = max_persons
        self.turns = turns
        self.pending: list[tuple[SituationPlan, asyncio.Future]] = []
        self.scheduled = False
        self.batches = 0  # how many simulations ran, for the benchmark and the tests
        self.requests = 0

    async def calculate(self, plan: SituationPlan) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((plan, future))
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

    def _batches(
        self, pending: list[tuple[SituationPlan, asyncio.Future]]
    ) -> list[list[tuple[SituationPlan, asyncio.Future]]]:
        by_signature: dict[frozenset, list[list[tuple[SituationPlan, asyncio.Future]]]] = {}
        for item in pending:
            batches = by_signature.setdefault(item[0].signature, [[]])
            current = batches[-1]
            if current and sum(len(plan.ids) for plan, _ in current) + len(item[0].ids) > self.max_persons:
                current = []
                batches.append(current)
            current.append(item)
        return [batch for batches in by_signature.values() for batch in batches]

    def _run(self, batch: list[tuple[SituationPlan, asyncio.Future]]) -> None:
        self.batches += 1
        self.requests += len(batch)
        try:
            with collector_paused():
                results = execute(self.tax_benefit_system, [plan for plan, _ in batch])
        except Exception as failure:  # isolate the request that fails: each is evaluated alone
            if len(batch) == 1:
                if not batch[0][1].done():
                    batch[0][1].set_exception(failure)
                return
            for item in batch:
                self._run([item])
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)

"""The background part of the asynchronous DCI flow (``docs/dci.md``): what the asynchronous routes share
(:class:`AsyncContext`), and the decision, IBR push and callback of each acknowledged message
(:class:`AsyncEligibility`), their outgoing messages signed when the service has a signing key."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson
from fastapi.concurrency import run_in_threadpool

from openfisca_sp.api.batching import Batcher
from openfisca_sp.api.dci_callbacks import Delivery, client_credentials
from openfisca_sp.api.dci_intake import signed_body
from openfisca_sp.api.dci_items import ReadMessage, partial_header
from openfisca_sp.api.dci_models import MsgHeader
from openfisca_sp.api.dci_security import DCISecurity
from openfisca_sp.api.eligibility_answers import EligibilityAnswers
from openfisca_sp.api.settings import Settings
from openfisca_sp.decisions.dci_envelope import answer_header
from openfisca_sp.decisions.dci_transaction_store import TransactionStore, transaction_store
from openfisca_sp.decisions.dci_transactions import Outcome, Transaction, now_ts
from openfisca_sp.decisions.ibr_enrolments import beneficiaries, enrolment_request, notify_header

ANSWER_ACTION = "on-eligibility"
RECORD_BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)  # seconds before each new attempt to write a transaction's last state
log = logging.getLogger("openfisca_sp.api.dci")


@dataclass
class AsyncContext:
    """What the asynchronous routes share across jurisdictions: transactions, delivery, the IBR."""

    transactions: TransactionStore
    delivery: Delivery
    ibr_url: str | None = None
    sender_id: str = "openfisca-sp"
    tasks: set[asyncio.Task] = field(default_factory=set)  # held until done (the loop keeps weak references)

    @classmethod
    def from_settings(cls, settings: Settings, security: DCISecurity | None = None) -> AsyncContext:
        """The context of ``settings``; its bearer tokens from ``security``'s token client (one per app and
        worker, the registry searches' too), else from a token client of its own."""
        tokens = security.client if security is not None else client_credentials(settings)
        delivery = Delivery(
            settings.dci_callback_hosts, settings.dci_callback_timeout, settings.dci_callback_attempts, tokens=tokens
        )
        transactions = transaction_store(
            settings.dci_store,
            settings.dci_transactions,
            settings.dci_transaction_ttl,
            settings.dci_transaction_bytes,
            settings.dci_store_busy_timeout,
        )
        return cls(transactions, delivery, settings.dci_ibr_url, settings.dci_sender_id)


class AsyncEligibility:
    """Decides acknowledged messages in the background and delivers their answers (see the module)."""

    def __init__(self, context: AsyncContext, answers: EligibilityAnswers, batcher: Batcher) -> None:
        self.context, self.answers, self.batcher = context, answers, batcher

    def start(
        self, transaction: Transaction, read: ReadMessage, header: MsgHeader, enrol: bool, security: DCISecurity
    ) -> None:
        task = asyncio.get_running_loop().create_task(self.run(transaction, read, header, enrol, security))
        self.context.tasks.add(task)
        task.add_done_callback(self.context.tasks.discard)

    async def run(
        self, transaction: Transaction, read: ReadMessage, header: MsgHeader, enrol: bool, security: DCISecurity
    ) -> None:
        """Decide, enrol, call back (signed when we sign): every failure is recorded in the transaction, none
        escapes. Records rejected (``read.statuses``) are said in the callback (``eligibility_status``)."""
        claims = read.claims
        await self.record(transaction, status="pdng")
        reply = answer_header(header, ANSWER_ACTION, sent_by=(uuid.uuid4().hex, self.context.sender_id))
        message: dict[str, Any] = {
            "transaction_id": transaction.transaction_id,
            "correlation_id": transaction.correlation_id,
        }
        try:
            decided = await self.batcher.submit(claims, claims.key, claims.persons.count)
        except Exception as error:  # recorded and answered: the sender learns it from the callback
            log.error("dci asynchronous decision failed: %s (correlation_id %s)", type(error).__name__,
                      transaction.correlation_id)  # fmt: skip
            reason = "the decision failed (an error of the service)"
            await self.record(transaction, status="rjct", status_reason_message=reason)
            reply.update(status="rjct", status_reason_message=reason, completed_count=0)
        else:
            message["eligibility_response"] = orjson.Fragment(decided)
            if enrol:
                records = beneficiaries(orjson.loads(decided))
                await self.record(transaction, enrolments=records, ibr=Outcome())
                await self.record(transaction, ibr=await self.enrol(records, transaction.correlation_id, security))
                message["ibr_enrolments"] = records
                message["ibr"] = transaction.ibr.as_dict()
            if read.statuses is not None:
                message["eligibility_status"] = read.statuses
                partial_header(reply, read.statuses)
            reason = reply.get("status_reason_message")
            await self.record(
                transaction, status="succ", answer=decided, statuses=read.statuses, status_reason_message=reason
            )
        try:
            content = await run_in_threadpool(signed_body, security, {"header": reply, "message": message})
            outcome = await self.context.delivery.post(header.sender_uri, content, transaction.correlation_id,
                                                       "callback")  # fmt: skip
        except Exception as error:  # never expected: recorded rather than lost in the loop's log, and logged
            outcome = Outcome("failed", f"not sent ({type(error).__name__})")
            log.error("dci callback: %s (correlation_id %s)", outcome.reason, transaction.correlation_id)
        if not await self.record(transaction, callback=outcome):
            await self.record_later(transaction)

    async def record(self, transaction: Transaction, **changes: Any) -> bool:
        """Make ``changes`` to ``transaction``, then write it to its store in a thread (the store's busy timeout waits
        there, not in the event loop): whether it was written. A store still busy leaves the transaction as it is
        in memory, written whole by its next change; the flow goes on (the sender still gets its callback)."""
        transaction.change(**changes)
        try:
            await run_in_threadpool(transaction.save)
        except sqlite3.Error as error:
            log.warning("dci transaction state not recorded (store busy): %s (correlation_id %s)",
                        type(error).__name__, transaction.correlation_id)  # fmt: skip
            return False
        return True

    async def record_later(self, transaction: Transaction) -> None:
        """Write ``transaction``'s last state once the store can be written: attempts :data:`RECORD_BACKOFF`
        seconds apart, then given up (logged): its status then stays the last one written."""
        for delay in RECORD_BACKOFF:
            await asyncio.sleep(delay)
            with contextlib.suppress(sqlite3.Error):
                await run_in_threadpool(transaction.save)
                return
        log.error("dci transaction state not recorded: store busy (correlation_id %s)", transaction.correlation_id)

    async def enrol(self, records: list[dict[str, Any]], correlation_id: str, security: DCISecurity) -> Outcome:
        """Push enrolments to the IBR configured (an ``EnrollmentUpdatesRequest``, ``action: notify``)."""
        if not self.context.ibr_url:
            return Outcome("not_sent", "no IBR configured (OPENFISCA_SP_DCI_IBR_URL)")
        if not records:
            return Outcome("not_sent", "no entitlement to enrol")
        header = notify_header(uuid.uuid4().hex, now_ts(), len(records), self.context.sender_id)
        body = {"header": header, "message": enrolment_request(correlation_id, records)}
        try:
            content = await run_in_threadpool(signed_body, security, body)
            return await self.context.delivery.post(self.context.ibr_url, content, correlation_id, "IBR enrolment")
        except Exception as error:  # never expected (the records are plain JSON): recorded and logged, not raised
            outcome = Outcome("failed", f"not sent ({type(error).__name__})")
            log.error("dci IBR enrolment: %s (correlation_id %s)", outcome.reason, correlation_id)
            return outcome

"""A DCI registry client: a person's records searched by identifier, with timeouts, retries and a clear outcome.

Each registry (Social Registry, Disability Registry, CRVS) is searched at ``{url}/registry/sync/search`` with the
DCI envelope of the registry core API: ``header`` (``action: search``) and a ``SearchRequest`` with one
``search_request`` whose ``search_criteria`` is ``query_type: idtype-value``, ``query: {type, value}``. The
answer's ``message.search_response`` items: ``status: succ`` gives ``data.reg_records`` (one record or a list;
with ``data.reg_event_type``, a CRVS ``data`` object is kept whole, and the decision reads the objects of every
page together: :mod:`~openfisca_sp.decisions.crvs_events`), ``rjct`` a refusal (unavailable, with its
reason code); no record found is ``not_found``.

When the keys of the ``header.sender_id`` an answer names are known (senders' keys: a file, or the JWK Set it
publishes), the answer's ``signature`` is verified as a sender's: missing or invalid, the registry is
unavailable (``signature missing``, ``signature invalid``), not retried. When the service has a signing key,
each search envelope is signed as our callbacks are (its ``signature`` member first); with client credentials
configured, it carries ``Authorization: Bearer`` from the same token client
(:class:`~openfisca_sp.api.dci_callbacks.ClientCredentials`, one per app and worker; a 401 makes the next
attempt ask for a new token). An answer whose ``pagination`` (``page_number * page_size < total_count``) says
more pages exist is followed, asking ``search_criteria.pagination`` of the next page, up to ``max_pages`` pages;
records past them are not read and the outcome says ``truncated: true``. A page that cannot be had makes the
registry unavailable (the pages before it are not used).

An attempt that times out, fails to connect or is answered 5xx or 429 is retried (``attempts`` in all, waiting
0.1 s, then twice as long each time); what is still missing then is **unavailable**, with the reason. Each attempt
has ``timeout`` seconds in all (connecting, sending, the whole answer: a registry that drips its answer a byte at a
time is cut off), and its answer is read within ``max_bytes`` and parsed within bounds
(:mod:`~.registry_reading`). The searches of one request (:meth:`RegistryClient.search_many`: each identifier once)
have ``deadline`` seconds in all, then what is not done is cancelled and unavailable; at most ``concurrency``
searches of a worker are under way at once (the others wait, within their deadline). Nothing of a person
(identifier, record) is logged: only the registry, the outcome and the attempts.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from openfisca_sp.api.dci_callbacks import TokenUnavailableError
from openfisca_sp.api.dci_intake import signed_body
from openfisca_sp.api.dci_security import DCISecurity
from openfisca_sp.api.registry_reading import AnswerRefusedError, parsed, read_bounded
from openfisca_sp.decisions.dci_signatures import MISSING
from openfisca_sp.rules.wording import counted

log = logging.getLogger("openfisca_sp.api.registries")

REGISTRIES = {  # name -> (reg_type searched, what it is)
    "social_registry": ("ns:org:RegistryType:Social", "Social Registry"),
    "disability_registry": ("ns:org:RegistryType:DR", "Disability Registry"),
    "crvs": ("ns:org:RegistryType:Civil", "CRVS"),
}
SEARCH_PATH = "/registry/sync/search"
RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})
FIRST_WAIT = 0.1  # seconds before the second attempt; doubled each time
MAX_PAGES = 5  # pages of one search read at most (OPENFISCA_SP_REGISTRY_MAX_PAGES)
MAX_BYTES = 8 * 1024 * 1024  # an answer's bytes read at most (OPENFISCA_SP_REGISTRY_MAX_BYTES)
DEADLINE = 20.0  # seconds for every search of one request (OPENFISCA_SP_REGISTRY_DEADLINE)
CONCURRENCY = 32  # searches under way at once per worker (OPENFISCA_SP_REGISTRY_CONCURRENCY)


NOT_CONFIGURED = "not_configured"  # a registry with no URL set: never searched


@dataclass
class Fetched:
    """What one registry gave for one identifier."""

    registry: str
    status: str  # found, not_found, unavailable, not_configured
    records: list[Any] = field(default_factory=list)
    attempts: int = 0
    reason: str | None = None
    truncated: bool = False  # more pages than read (see the module)

    @property
    def usable(self) -> bool:
        """Whether the registry answered (found or not): its facts are known, or known to be absent."""
        return self.status in ("found", "not_found")

    def summary(self) -> dict[str, Any]:
        """As the answer reports it (no record)."""
        return {
            "registry": self.registry,
            "status": self.status,
            "attempts": self.attempts,
            "reason": self.reason,
            "truncated": self.truncated,
        }


def search_envelope(
    registry: str, identifier_type: str, identifier_value: str, sender_id: str, page: tuple[int, int] | None = None
) -> dict[str, Any]:
    """A DCI sync search by identifier (see the module); ``page``: ``(page_size, page_number)`` asked."""
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")
    criteria = {
        "version": "1.0.0",
        "reg_type": REGISTRIES[registry][0],
        "query_type": "idtype-value",
        "query": {"type": identifier_type, "value": identifier_value},
    }
    if page is not None:
        criteria["pagination"] = {"page_size": page[0], "page_number": page[1]}
    return {
        "header": {
            "version": "1.0.0",
            "message_id": str(uuid.uuid4()),
            "message_ts": now,
            "action": "search",
            "sender_id": sender_id,
            "total_count": 1,
            "is_msg_encrypted": False,
        },
        "message": {
            "transaction_id": uuid.uuid4().hex[:32],
            "search_request": [
                {
                    "reference_id": uuid.uuid4().hex,
                    "timestamp": now,
                    "search_criteria": criteria,
                }
            ],
        },
    }


def records_of(answer: Any) -> tuple[str, list[Any], str | None]:
    """The status, records and reason of a sync search answer (``unavailable`` when it is not one). Each item of
    ``search_response`` is read (a registry may answer in pages, or a CRVS one item per event type)."""
    try:
        items = answer["message"]["search_response"]
        statuses = [item["status"] for item in items]
    except (KeyError, TypeError):
        return "unavailable", [], "the answer is not a DCI search response"
    if not items or "succ" not in statuses:
        code = next((item.get("status_reason_code") for item in items if item.get("status_reason_code")), None)
        return "unavailable", [], f"refused the search ({str(code or statuses[:1])[:60]})"
    found: list[Any] = []
    for item in items:
        data = item.get("data") if item["status"] == "succ" else None
        if not isinstance(data, dict) or data.get("reg_records") is None:
            continue
        records = data["reg_records"]
        if data.get("reg_event_type") is not None:
            found.append(data)  # a CRVS event: its type goes with its records
        elif isinstance(records, dict):
            found.append(records)
        elif isinstance(records, list):
            found += records
        else:
            return "unavailable", [], "reg_records is not a record or a list of records"
    return ("found" if found else "not_found"), found, None


def next_page(answer: Any) -> tuple[int, int] | None:
    """``(page_size, page_number)`` of the next page when an item's ``pagination`` says more records exist."""
    try:
        items = answer["message"]["search_response"]
        pages = [item.get("pagination") for item in items if item.get("status") == "succ"]
    except (KeyError, TypeError, AttributeError):
        return None
    for page in pages:
        try:
            size, number, total = (int(page[name]) for name in ("page_size", "page_number", "total_count"))
        except (KeyError, TypeError, ValueError):
            continue
        if size > 0 and number * size < total:
            return size, number + 1
    return None


async def answer_distrusted(registry: str, answer: Any, security: DCISecurity | None) -> str | None:
    """``signature missing`` or ``signature invalid`` when the keys of the answer's ``header.sender_id`` are known
    (:meth:`DCISecurity.knows`) and its signature is not valid by them; else None (nothing to verify)."""
    header = answer.get("header") if isinstance(answer, dict) else None
    sender_id = header.get("sender_id") if isinstance(header, dict) else None
    if security is None or not isinstance(sender_id, str) or not security.knows(sender_id):
        return None
    rejection = await security.check_signature(answer, sender_id)
    if rejection is None:
        return None
    log.warning("registry search: %s answered, %s", registry, rejection.message)
    return "signature missing" if rejection.code == MISSING else "signature invalid"


class RegistryClient:
    """Searches the configured registries (``urls``: registry name -> base URL; a registry without one is
    ``not_configured``)."""

    def __init__(
        self,
        urls: dict[str, str | None],
        timeout: float,
        attempts: int,
        sender_id: str = "openfisca-sp",
        max_pages: int = MAX_PAGES,
        max_bytes: int = MAX_BYTES,
        deadline: float = DEADLINE,
        concurrency: int = CONCURRENCY,
    ) -> None:
        self.urls = {name: url for name, url in urls.items() if url}
        self.timeout, self.attempts, self.sender_id, self.max_pages = timeout, attempts, sender_id, max_pages
        self.max_bytes, self.deadline = max_bytes, deadline
        self.gate = asyncio.Semaphore(concurrency)  # this worker's searches under way

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=httpx.Timeout(self.timeout), follow_redirects=False, trust_env=False)

    async def search_all(
        self, identifier_type: str, identifier_value: str, security: DCISecurity | None = None
    ) -> dict[str, Fetched]:
        """Every registry searched at once for one identifier (signed and with a token as ``security`` says)."""
        return (await self.search_many([(identifier_type, identifier_value)], security))[0]

    async def search_many(
        self, identifiers: list[tuple[str, str]], security: DCISecurity | None = None
    ) -> list[dict[str, Fetched]]:
        """Every registry searched for each ``(type, value)`` (each distinct one once), within ``deadline``
        seconds in all: a search not done then is cancelled, and its registry unavailable."""
        distinct = list(dict.fromkeys(identifiers))
        async with self._client() as client:
            tasks = {
                (asked, name): asyncio.ensure_future(self.search(client, name, *asked, security))
                for asked in distinct
                for name in REGISTRIES
            }
            try:
                await asyncio.wait(tasks.values(), timeout=self.deadline)
            finally:  # the deadline passed, or the request was cancelled (its client left)
                for task in tasks.values():
                    task.cancel()
        late = f"no answer within the request's {self.deadline:g} s"
        found = {
            key: task.result() if task.done() and not task.cancelled() else Fetched(key[1], "unavailable", reason=late)
            for key, task in tasks.items()
        }
        for fetched in found.values():
            if fetched.reason == late:
                self._logged(fetched)
        return [{name: found[asked, name] for name in REGISTRIES} for asked in identifiers]

    async def search(
        self,
        client: httpx.AsyncClient,
        registry: str,
        identifier_type: str,
        identifier_value: str,
        security: DCISecurity | None = None,
    ) -> Fetched:
        """One registry searched, page after page (see the module)."""
        url = self.urls.get(registry)
        if url is None:
            return Fetched(registry, NOT_CONFIGURED, reason=f"no {REGISTRIES[registry][1]} URL is set")
        found = Fetched(registry, "not_found")
        page: tuple[int, int] | None = None
        for _ in range(self.max_pages):
            envelope = search_envelope(registry, identifier_type, identifier_value, self.sender_id, page)
            fetched, answer = await self._page(client, registry, url + SEARCH_PATH, envelope, security)
            found.attempts += fetched.attempts
            if fetched.status == "unavailable":
                reason = fetched.reason if page is None else f"page {page[1]}: {fetched.reason}"
                return self._logged(Fetched(registry, "unavailable", [], found.attempts, reason))
            following = next_page(answer)
            if page is not None and following is not None and following[1] != page[1] + 1:
                found.truncated = True  # our pagination not followed: the same page again, or another
                found.reason = f"page {page[1]} asked, another answered: the rest not read"
                break
            found.records += fetched.records
            page = following
            if page is None:
                break
        else:
            found.truncated = True
            found.reason = f"more than {counted(self.max_pages, 'page')} of records: the rest not read"
        found.status = "found" if found.records else "not_found"
        return self._logged(found)

    async def _page(
        self, client: httpx.AsyncClient, registry: str, url: str, envelope: dict[str, Any], security: DCISecurity | None
    ) -> tuple[Fetched, Any]:
        """One page asked, with its attempts: what it gave, and the answer (for its ``pagination``)."""
        content = signed_body(security, envelope) if security is not None else orjson.dumps(envelope)
        headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip, deflate"}
        tokens = security.client if security is not None else None
        reason = None
        for attempt in range(1, self.attempts + 1):
            if attempt > 1:
                await asyncio.sleep(FIRST_WAIT * 2 ** (attempt - 2))
            if tokens is not None:
                try:
                    headers["Authorization"] = await tokens.authorization()
                except TokenUnavailableError as error:
                    return Fetched(registry, "unavailable", [], attempt - 1, str(error)), None
            try:
                async with self.gate, asyncio.timeout(self.timeout):  # the whole attempt, answer read
                    status_code, content_read = await self._post(client, url, content, headers)
            except (TimeoutError, httpx.TimeoutException):
                reason = f"no answer within {self.timeout:g} s"
                continue
            except httpx.TransportError as error:
                reason = f"cannot connect ({type(error).__name__})"
                continue
            except AnswerRefusedError as refused:
                return Fetched(registry, "unavailable", [], attempt, str(refused)), None
            if tokens is not None and status_code == 401:
                tokens.forget()  # refused (revoked?): the next attempt asks for a new token
            if status_code in RETRIED_STATUS or (tokens is not None and status_code == 401):
                reason = f"answered HTTP {status_code}"
                continue
            if status_code != 200:
                return Fetched(registry, "unavailable", [], attempt, f"answered HTTP {status_code}"), None
            try:
                answer = parsed(content_read)
            except AnswerRefusedError as refused:
                return Fetched(registry, "unavailable", [], attempt, str(refused)), None
            distrusted = await answer_distrusted(registry, answer, security)
            if distrusted is not None:
                return Fetched(registry, "unavailable", [], attempt, distrusted), None
            status, records, why = records_of(answer)
            return Fetched(registry, status, records, attempt, why), answer
        return Fetched(registry, "unavailable", [], self.attempts, reason), None

    async def _post(
        self, client: httpx.AsyncClient, url: str, content: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        """The status and body (read within :attr:`max_bytes`; nothing of an answer not 200) of one POST."""
        async with client.stream("POST", url, content=content, headers=headers) as answer:
            if answer.status_code != 200:
                return answer.status_code, b""
            return 200, await read_bounded(answer, self.max_bytes)

    @staticmethod
    def _logged(fetched: Fetched) -> Fetched:
        # in the message: the log format is %(message)s, which drops extra= fields (the line said "registry search")
        log.info("registry search: %s %s after %d attempt(s)", fetched.registry, fetched.status, fetched.attempts)
        return fetched

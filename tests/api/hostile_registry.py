"""A registry that misbehaves, for the tests of the registry client's bounds: an asyncio server on 127.0.0.1 in a
thread of the test process, answering ``POST …/registry/sync/search`` as :attr:`HostileRegistry.mode` says.

* ``ok``: one record; ``many``: :attr:`records` records, each a person of its own;
* ``deep``: one record with a field nested :attr:`depth` levels deep (``[[[…]]]``);
* ``bomb``: :attr:`bomb` (a gzip body) with ``Content-Encoding: gzip``;
* ``drip``: the headers, then one byte every :attr:`drip` seconds, never the whole answer;
* ``drip_head``: the status line, then one byte of a header every :attr:`drip` seconds, never the headers' end.

It counts the searches, the connections open now and the most open at once.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any


def search_answer(records: Any) -> bytes:
    """A DCI sync search answer with ``records``."""
    item = {"reference_id": "r", "timestamp": "2024-06-15T00:00:00Z", "status": "succ"}
    item["data"] = {"version": "1.0.0", "reg_type": "ns:org:RegistryType:Social", "reg_records": records}
    header = {"version": "1.0.0", "message_id": "m", "message_ts": "2024-06-15T00:00:00Z", "action": "on-search"}
    header |= {"status": "succ", "total_count": 1, "completed_count": 1}
    message = {"transaction_id": "t", "correlation_id": "c", "search_response": [item]}
    return json.dumps({"header": header, "message": message}).encode()


RECORD = {"identifier": [{"identifier_type": "UIN", "identifier_value": "X"}], "birth_date": "1960-01-01"}


class HostileRegistry:
    def __init__(self) -> None:
        self.mode, self.depth, self.bomb, self.drip, self.records = "ok", 990, b"", 0.5, 1
        self.searches = self.open = self.most_open = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.server = server
        ready.set()
        self.loop.run_forever()

    def reset(self, mode: str, **settings: Any) -> None:
        """Answer as ``mode`` says from now on, counting afresh once the connections of before are closed."""
        deadline = time.monotonic() + 5
        while self.open and time.monotonic() < deadline:
            time.sleep(0.02)
        self.mode, self.searches, self.most_open = mode, 0, self.open
        for name, value in settings.items():
            setattr(self, name, value)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    async def _shutdown(self) -> None:
        self.server.close()
        handlers = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            await reader.readexactly(length)
            self.searches += 1
            await self._answer(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self.open -= 1
            writer.close()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        status = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        if self.mode in ("drip", "drip_head"):  # until the client closes its end (counted open until then)
            writer.write(status + b"content-length: 10000\r\n\r\n" if self.mode == "drip" else b"HTTP/1.1 200 OK\r\nx")
            closed = asyncio.ensure_future(reader.read())
            while not closed.done():
                await writer.drain()
                await asyncio.wait([closed], timeout=self.drip)
                writer.write(b" " if self.mode == "drip" else b"x")
            return
        if self.mode == "bomb":
            writer.write(status + b"content-encoding: gzip\r\ncontent-length: %d\r\n\r\n" % len(self.bomb) + self.bomb)
            await writer.drain()
            return
        body = _deep_answer(self.depth) if self.mode == "deep" else search_answer([RECORD])
        if self.mode == "many":
            body = search_answer(
                [{**RECORD, "birth_date": f"19{index % 90 + 10}-01-01", "n": index} for index in range(self.records)]
            )
        writer.write(status + b"content-length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()


def _deep_answer(depth: int) -> bytes:
    """A search answer whose record has a field nested ``depth`` levels (written as text: json cannot)."""
    marker = '"__deep__"'
    text = search_answer([{**RECORD, "name": "__deep__"}]).decode()
    return text.replace(marker, "[" * depth + "]" * depth).encode()

"""A registry's answer read within bounds, before anything holds it whole: its bytes as sent and decompressed,
and the depth of its JSON.

A registry is a separate system: a faulty or compromised one (or a man in the middle on an ``http://`` URL)
must cost a search its outcome, never the worker its memory or a request its 500. So an answer is read as it
streams, and refused (the registry then ``unavailable``, with the reason) past ``limit`` bytes, counted on the
wire and again once decompressed (``gzip`` and ``deflate`` are decompressed here by at most what is left of the
limit at a time: a 400 KB gzip bomb stops at the limit, not at 400 MB; any other encoding is refused). Its
JSON is parsed by orjson, whose depth limit raises an error Python's recursion would not, then refused when
nested deeper than :data:`MAX_DEPTH` (a DCI search answer is about ten levels deep; the code that reads
records, signs and compares them, recursive, must never meet a thousand).
"""

from __future__ import annotations

import zlib
from typing import Any

import httpx
import orjson

from openfisca_sp.decisions.json_depth import MAX_DEPTH, nested_deeper

DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class AnswerRefusedError(Exception):
    """The answer cannot be used: why (no data of it), as the registry's outcome says it."""


def _decoder(response: httpx.Response) -> Any:
    """A zlib decompressor for the answer's ``Content-Encoding``, None when it is sent as it is."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding not in DECODERS:
        raise AnswerRefusedError(f"the answer is encoded ({encoding[:20]}), not read")
    return zlib.decompressobj(DECODERS[encoding])


async def read_bounded(response: httpx.Response, limit: int) -> bytes:
    """The body of a streamed ``response``, at most ``limit`` bytes on the wire and once decompressed."""
    too_large = AnswerRefusedError(f"the answer is larger than {limit} bytes")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    decoder = _decoder(response)
    parts: list[bytes] = []
    received = size = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > limit:
            raise too_large
        pending = chunk
        while pending:
            if decoder is None:
                part, pending = pending, b""
            else:
                try:
                    part = decoder.decompress(pending, limit - size + 1)
                except zlib.error:
                    raise AnswerRefusedError("the answer cannot be decompressed") from None
                pending = decoder.unconsumed_tail
            size += len(part)
            if size > limit:
                raise too_large
            parts.append(part)
    return b"".join(parts)


def parsed(content: bytes) -> Any:
    """The JSON of an answer, refused when it is not JSON or nested deeper than :data:`MAX_DEPTH`."""
    try:
        value = orjson.loads(content)
    except orjson.JSONDecodeError:  # including orjson's own depth limit (1024)
        raise AnswerRefusedError("the answer is not JSON") from None
    if nested_deeper(value, MAX_DEPTH):
        raise AnswerRefusedError(f"the answer is nested deeper than {MAX_DEPTH} levels")
    return value

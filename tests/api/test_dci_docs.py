"""The examples of ``docs/dci.md`` work as written: each JSON example marked ``<!-- tested: … -->`` is sent to a
real server and answered as the marker says; the Python example signs a message the service accepts and verifies
the service's signed answer."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature

from tests.api.server import Server
from tests.api.test_dci_security import (  # noqa: F401 - fixtures: a server with tokens, signatures and our key
    SENDER_KEY,
    _token,
    keys_folder,
    receiver,
    secured,
)

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "dci.md"
MARKED = re.compile(r"<!-- tested: (?P<what>[^>]*?) → (?P<status>\d{3})[^>]*-->\n+```json\n(?P<body>.*?)\n```", re.S)


def _examples() -> list[tuple[str, int, Any]]:
    text = DOCUMENT.read_text(encoding="utf-8")
    return [(match["what"], int(match["status"]), json.loads(match["body"])) for match in MARKED.finditer(text)]


def test_the_document_marks_its_request_examples() -> None:
    assert len(_examples()) >= 4


@pytest.mark.parametrize(("what", "status", "example"), _examples(), ids=[what for what, _, _ in _examples()])
def test_each_marked_example_is_answered_as_documented(client: Any, what: str, status: int, example: Any) -> None:
    if "header" in example:  # a new message id each run: a repeated one is refused, as documented
        example["header"]["message_id"] = uuid.uuid4().hex
    if what == "a person of POST /eligibility":
        what, example = "POST /eligibility", {"as_of": "2024-06-15", "persons": [example]}
    method, path = what.split(" ", 1)
    answer = client.request(method, path, json=example)
    assert answer.status_code == status, answer.text


def _python_example() -> dict[str, Any]:
    """The functions of the document's Python example (what follows them calls hosts of example.org)."""
    code = re.search(r"```python\n(.*?)\n```", DOCUMENT.read_text(encoding="utf-8"), re.S)[1]
    namespace: dict[str, Any] = {}
    exec(compile(code[: code.index("\nenvelope = ")], str(DOCUMENT), "exec"), namespace)  # noqa: S102 - our own docs
    return namespace


def test_the_python_example_signs_what_the_service_accepts_and_verifies_its_answer(secured: Server) -> None:  # noqa: F811
    example = _python_example()
    envelope = {
        "header": {"version": "1.0.0", "message_id": uuid.uuid4().hex, "action": "eligibility",
                   "message_ts": "2024-06-15T10:20:07-04:00", "sender_id": "spp.example.org", "total_count": 1},
        "message": {"transaction_id": "T-1", "eligibility_request": {"as_of": "2024-06-15", "persons": [
            {"identifier": "LA-0001", "sex": "M", "birth_date": "1960-01-10", "contribution_months": 200}]}},
    }  # fmt: skip
    with secured.client(Authorization=f"Bearer {_token()}") as client:
        answer = client.post(
            "/dci/sync/eligibility", json=example["sign"](envelope, SENDER_KEY, "spp.example.org|k1|ed25519")
        )
        assert answer.status_code == 200, answer.text
        example["verify"](answer.json(), client.get("/.well-known/jwks.json").json())  # raises if not ours
        tampered = answer.json()
        tampered["message"]["transaction_id"] = "T-2"
        with pytest.raises(InvalidSignature):
            example["verify"](tampered, client.get("/.well-known/jwks.json").json())

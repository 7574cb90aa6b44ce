"""A small real receiver of DCI messages for the tests: a process on 127.0.0.1 standing for a sender's callback
endpoint and for an IBR's enrolment endpoint.

Every POST is recorded (its path, ``X-Correlation-ID``, ``Authorization``, JSON body and the body's
``signature``) and answered 200 with ``{"message": {"ack_status": "ACK"}}``, except under ``/status/<code>``
(answered ``<code>``), ``/redirect`` (answered 307 to ``/redirected``) and ``/oauth2/client/token``: an OAuth2
client-credentials token endpoint, when ``DCI_RECEIVER_TOKEN_KEY`` names an Ed25519 private key (PEM) file: it
checks ``DCI_RECEIVER_CLIENT_ID`` and ``DCI_RECEIVER_CLIENT_SECRET`` and issues a JWT (EdDSA, ``kid`` ``receiver``,
``aud`` :data:`TOKEN_AUDIENCE`) valid ``DCI_RECEIVER_TOKEN_LIFE`` seconds (300); it records the form without the
secret. ``GET /received`` lists what was recorded.
Run: ``python tests/api/dci_receiver.py <port>``; :func:`start_receiver` does it on a free port.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

TOKEN_PATH, TOKEN_AUDIENCE = "/oauth2/client/token", "dci-receiver"
RECEIVED: list[dict[str, Any]] = []
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        content = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)

    def do_GET(self) -> None:
        with LOCK:
            found = list(RECEIVED)
        self._answer(200 if self.path == "/received" else 404, found)

    def _token(self, raw: bytes) -> None:
        """The client-credentials grant: a JWT for the configured client, else RFC 6749's 400 or 401."""
        import jwt
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        form = {name: values[0] for name, values in parse_qs(raw.decode()).items()}
        with LOCK:
            RECEIVED.append({"path": self.path, "body": {k: v for k, v in form.items() if k != "client_secret"}})
        if form.get("grant_type") != "client_credentials":
            return self._answer(400, {"error": "unsupported_grant_type"})
        client = (os.environ.get("DCI_RECEIVER_CLIENT_ID"), os.environ.get("DCI_RECEIVER_CLIENT_SECRET"))
        if (form.get("client_id"), form.get("client_secret")) != client:
            return self._answer(401, {"error": "invalid_client"})
        key = load_pem_private_key(Path(os.environ["DCI_RECEIVER_TOKEN_KEY"]).read_bytes(), password=None)
        life, now = int(os.environ.get("DCI_RECEIVER_TOKEN_LIFE", "300")), int(time.time())
        claims = {"iss": "dci-receiver", "aud": TOKEN_AUDIENCE, "sub": client[0], "iat": now, "exp": now + life}
        token = jwt.encode(claims, key, "EdDSA", {"kid": "receiver"})
        self._answer(200, {"access_token": token, "token_type": "Bearer", "expires_in": life})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path == TOKEN_PATH and os.environ.get("DCI_RECEIVER_TOKEN_KEY"):
            return self._token(raw)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        record = {
            "path": self.path,
            "correlation_id": self.headers.get("X-Correlation-ID"),
            "authorization": self.headers.get("Authorization"),
            "signature": body.get("signature") if isinstance(body, dict) else None,
            "body": body,
        }
        with LOCK:
            RECEIVED.append(record)
        if self.path.startswith("/status/"):
            self._answer(int(self.path.split("/")[2]), {"error": "as asked"})
        elif self.path.startswith("/redirect"):
            self._answer(307, {}, {"Location": "/redirected"})
        else:
            self._answer(200, {"message": {"ack_status": "ACK"}})

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Receiver:
    """A running receiver: its URL and its process."""

    url: str
    process: subprocess.Popen

    def received(self) -> list[dict[str, Any]]:
        import httpx

        return httpx.get(f"{self.url}/received", timeout=10).json()

    def wait_for(self, path: str, correlation_id: str, timeout: float = 60.0) -> list[dict[str, Any]]:
        """The messages of ``correlation_id`` received at ``path``, once there is one."""
        deadline = time.monotonic() + timeout
        while True:
            found = [
                item for item in self.received() if (item["path"], item.get("correlation_id")) == (path, correlation_id)
            ]
            if found:
                return found
            assert time.monotonic() < deadline, f"nothing received at {path}: {self.received()}"
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_receiver(port: int, environment: dict[str, str] | None = None) -> Receiver:
    """Start a receiver on ``127.0.0.1:port`` (``DCI_RECEIVER_*`` in ``environment``) and wait until it answers."""
    import httpx

    command = [sys.executable, str(Path(__file__).resolve()), str(port)]
    process = subprocess.Popen(command, env=dict(os.environ, **(environment or {})))
    receiver = Receiver(f"http://127.0.0.1:{port}", process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            receiver.received()
            return receiver
        except httpx.TransportError:
            time.sleep(0.1)
    receiver.stop()
    raise RuntimeError("the DCI receiver did not start")


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()

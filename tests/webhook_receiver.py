"""A webhook receiver on loopback that checks signatures, for store and system tests."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

SECRET = "shared-secret"  # noqa: S105 - the tests' own signing key


@dataclass
class Delivery:
    """One POST the receiver answered, with what it made of it."""

    status: int
    headers: dict[str, str]
    body: dict[str, Any]
    signed: bool


@dataclass
class Receiver:
    """A webhook receiver on loopback: answers the scripted statuses in turn, then 200.

    It checks each body's signature as a real receiver would, and keeps every request.
    """

    statuses: list[int] = field(default_factory=list)
    retry_after: str | None = None
    deliveries: list[Delivery] = field(default_factory=list)
    url: str = ""

    def accepted(self) -> list[Delivery]:
        return [delivery for delivery in self.deliveries if delivery.status == 200]

    def answer(self, headers: dict[str, str], raw: bytes) -> int:
        expected = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        signed = hmac.compare_digest(headers.get("X-Copydesk-Signature", ""), expected)
        status = self.statuses.pop(0) if self.statuses else 200
        self.deliveries.append(Delivery(status, headers, json.loads(raw), signed))
        return status


class _Handler(http.server.BaseHTTPRequestHandler):
    receiver: Receiver

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        status = self.receiver.answer(dict(self.headers.items()), raw)
        self.send_response(status)
        if status != 200 and self.receiver.retry_after:
            self.send_header("Retry-After", self.receiver.retry_after)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the receiver keeps its own record."""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    recorded = Receiver()
    handler = type("Handler", (_Handler,), {"receiver": recorded})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    recorded.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    yield recorded
    server.shutdown()
    server.server_close()
    thread.join()

"""A real HTTP server on loopback for tests, with the faults crawlers meet in the wild.

Usage::

    from tests.httpserver import Reply, html, redirect, serve

    with serve({"/": html("<p>hi</p>"), "/old": redirect("/")}) as server:
        fetch(server.url("/old"))
        assert len(server.hits("/")) == 1

``serve(routes, host="127.0.0.1", tls=None)`` listens on a free port of ``host``
(any 127.x.y.z works on Linux) in a background thread and stops on exit; given
an ``ssl.SSLContext`` as ``tls`` it speaks HTTPS. Routes map
a path (query string ignored) to a :class:`Reply`, or to a list of replies given
in turn to successive requests, the last one repeating (``[status(500), html(...)]``
is "500 then 200"). An unknown path answers 404; ``server.routes`` may be
changed while serving. ``server.log`` holds every request as a :class:`Hit`
(path, case-insensitive headers, arrival time) in arrival order, and
``server.hits(path)`` those for one path.

Fault helpers: :func:`stall`, :func:`slow_drip`, :func:`endless`, :func:`gzip_bomb`,
:func:`redirect`, :func:`status` (with headers such as ``Retry-After``),
:func:`html` / :func:`page` (any bytes under any ``Content-Type``) and
:func:`robots`.
"""

from __future__ import annotations

import contextlib
import http.server
import ssl
import threading
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from requests.structures import CaseInsensitiveDict

#: How long the server waits on a client that stopped reading before giving up.
_WRITE_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Reply:
    """One response: status, headers and body, optionally delivered with a fault.

    ``delay_s`` waits that long before the status line; ``drip_interval_s``
    sends the body one byte at a time with that pause; ``endless`` repeats the
    body until the client hangs up.
    """

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    drip_interval_s: float = 0.0
    endless: bool = False


@dataclass(frozen=True)
class Hit:
    """One request the server received."""

    path: str
    headers: Mapping[str, str]
    at: float  # time.monotonic() when the request line had been read


Route = Reply | Sequence[Reply]


def page(body: bytes, content_type: str | None, **headers: str) -> Reply:
    """``body`` as is, under ``content_type`` (None: no Content-Type header at all)."""
    if content_type is not None:
        headers = {"Content-Type": content_type, **headers}
    return Reply(body=body, headers=headers)


def html(text: str, charset: str = "utf-8", **headers: str) -> Reply:
    """An HTML page encoded in ``charset`` and labelled so."""
    return page(text.encode(charset), f"text/html; charset={charset}", **headers)


def robots(text: str) -> Reply:
    """A robots.txt file."""
    return page(text.encode("utf-8"), "text/plain")


def redirect(location: str, code: int = 302, **headers: str) -> Reply:
    """A redirect to ``location`` (absolute, or relative to the request)."""
    return Reply(status=code, headers={"Location": location, **headers})


def status(code: int, **headers: str) -> Reply:
    """A short plain answer with ``code``, e.g. ``status(429, **{"Retry-After": "7"})``."""
    return Reply(status=code, body=f"status {code}".encode(), headers=headers)


def slow_drip(body: bytes, interval_s: float) -> Reply:
    """An HTML body sent one byte every ``interval_s`` seconds."""
    return Reply(body=body, headers={"Content-Type": "text/html"}, drip_interval_s=interval_s)


def stall(seconds: float, reply: Reply | None = None) -> Reply:
    """``reply`` (a small page by default) answered only after ``seconds`` of silence."""
    return replace(reply or html("<p>late</p>"), delay_s=seconds)


def endless(chunk: bytes = b"<p>and more</p>\n" * 256) -> Reply:
    """An HTML body that never ends (no Content-Length, ``chunk`` repeated forever)."""
    return Reply(body=chunk, headers={"Content-Type": "text/html"}, endless=True)


def gzip_bomb(decompressed_bytes: int) -> Reply:
    """A small gzip body that inflates to ``decompressed_bytes`` of spaces."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    block = b" " * (1 << 20)
    parts = [compressor.compress(block) for _ in range(decompressed_bytes // len(block))]
    parts.append(compressor.flush())
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    return Reply(body=b"".join(parts), headers=headers)


class LoopbackServer:
    """A running server: where it listens and what it was asked."""

    def __init__(
        self, routes: Mapping[str, Route], host: str, tls: ssl.SSLContext | None = None
    ) -> None:
        self.routes: dict[str, Route] = dict(routes)
        self._turns: dict[str, int] = {}
        self._log: list[Hit] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = _Server((host, 0), _Handler)
        self._httpd.app = self
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.host = host
        self.port = self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"{self.base_url}{path}"

    @property
    def log(self) -> list[Hit]:
        with self._lock:
            return list(self._log)

    def hits(self, path: str) -> list[Hit]:
        """Requests for ``path`` (query string ignored)."""
        return [hit for hit in self.log if urlsplit(hit.path).path == path]

    def reply_for(self, hit: Hit) -> Reply:
        path = urlsplit(hit.path).path
        with self._lock:
            self._log.append(hit)
            route = self.routes.get(path)
            if route is None:
                return status(404)
            if isinstance(route, Reply):
                return route
            turn = self._turns.get(path, 0)
            self._turns[path] = turn + 1
            return route[min(turn, len(route) - 1)]

    def start(self) -> None:
        # A short poll interval makes stopping quick.
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def serve(
    routes: Mapping[str, Route], host: str = "127.0.0.1", tls: ssl.SSLContext | None = None
) -> Iterator[LoopbackServer]:
    """Serve ``routes`` on a free port of ``host`` for the duration of the block."""
    server = LoopbackServer(routes, host, tls)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    app: LoopbackServer


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    timeout = _WRITE_TIMEOUT_S

    def do_GET(self) -> None:
        headers = CaseInsensitiveDict(self.headers.items())
        hit = Hit(path=self.path, headers=headers, at=time.monotonic())
        reply = self.server.app.reply_for(hit)
        # The client may hang up mid-body, as clients refusing a fault do.
        with contextlib.suppress(OSError):
            self._send(reply)

    def _send(self, reply: Reply) -> None:
        if reply.delay_s and self.server.app.stopping.wait(reply.delay_s):
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if not reply.endless:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.endless:
            self._send_forever(reply.body)
        elif reply.drip_interval_s:
            self._drip(reply.body, reply.drip_interval_s)
        else:
            self.wfile.write(reply.body)

    def _send_forever(self, chunk: bytes) -> None:
        while not self.server.app.stopping.is_set():
            self.wfile.write(chunk)

    def _drip(self, body: bytes, interval_s: float) -> None:
        for index in range(len(body)):
            if self.server.app.stopping.wait(interval_s):
                return
            self.wfile.write(body[index : index + 1])
            self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet; the request log is ``server.log``."""

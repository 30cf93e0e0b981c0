"""What the fetch stage's safety and politeness cost, beside a plain requests session.

Serves a page on loopback and fetches it ``--pages`` times through
:class:`worker.fetch.Fetcher` (address check, robots.txt from Redis, the shared
host schedule, refetch history) and through ``requests.Session.get``; then
fetches a gzip bomb both ways and reports the peak memory each one needed.
Needs the Redis at ``--redis-url``; its keys live under a fresh prefix, removed
at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import threading
import time
import tracemalloc
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis
import requests

from config.settings import Settings
from worker.errors import TooLargeError
from worker.fetch import Fetcher

_PAGE = ("<html><body>" + "<p>A paragraph of a story for the benchmark.</p>" * 1000).encode()


def _bomb(decompressed_bytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * (1 << 20)
    parts = [compressor.compress(block) for _ in range(decompressed_bytes // len(block))]
    return b"".join([*parts, compressor.flush()])


def _handler(bomb: bytes) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # lets requests.Session keep its connection
        disable_nagle_algorithm = True  # headers and body go out in two writes

        def do_GET(self) -> None:
            body, extra = (
                (bomb, {"Content-Encoding": "gzip"}) if self.path == "/bomb" else (_PAGE, {})
            )
            self.send_response(404 if self.path == "/robots.txt" else 200)
            for name, value in {"Content-Type": "text/html", **extra}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up on the bomb is what the benchmark expects."""


@contextmanager
def _server(bomb: bytes) -> Iterator[str]:
    httpd = _QuietServer(("127.0.0.1", 0), _handler(bomb))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _pages_per_s(fetch: Callable[[str], object], urls: list[str]) -> float:
    started = time.perf_counter()
    for url in urls:
        fetch(url)
    return len(urls) / (time.perf_counter() - started)


def _peak_mib(action: Callable[[], object]) -> float:
    tracemalloc.start()
    with contextlib.suppress(TooLargeError):  # refused, and what that took is the figure
        action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--bomb-mib", type=int, default=64)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args(argv)
    client = redis.Redis.from_url(args.redis_url)
    prefix = f"bench-fetch-{uuid.uuid4().hex[:8]}"
    settings = Settings(
        redis_prefix=prefix, allow_hosts=("127.0.0.1",), host_rate_per_s=1e6, refetch_window_s=0
    )
    try:
        with _server(_bomb(args.bomb_mib << 20)) as base:
            _compare_speed(Fetcher(settings, client), base, args.pages)
            _compare_memory(Fetcher(settings, client), base, args.bomb_mib, settings.max_page_bytes)
    finally:
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
    return 0


def _compare_speed(fetcher: Fetcher, base: str, pages: int) -> None:
    fetcher.fetch(f"{base}/warm-up")  # robots.txt into the cache
    urls = [f"{base}/story/{n}" for n in range(pages)]
    ours = _pages_per_s(fetcher.fetch, urls)
    fresh = _pages_per_s(lambda url: requests.get(url, timeout=30), urls)
    with requests.Session() as session:
        kept_alive = _pages_per_s(lambda url: session.get(url, timeout=30), urls)
    print(f"pages/s   copydesk {ours:6.0f}   requests.get {fresh:6.0f}", end="")
    print(f"   requests.Session {kept_alive:6.0f}")
    print(f"overhead  {1000 / ours - 1000 / fresh:.2f} ms per page over requests.get")


def _compare_memory(fetcher: Fetcher, base: str, bomb_mib: int, cap_bytes: int) -> None:
    capped = _peak_mib(lambda: fetcher.fetch(f"{base}/bomb"))
    inflated = _peak_mib(lambda: requests.get(f"{base}/bomb", timeout=30).content)
    print(f"gzip bomb {bomb_mib} MiB inflated, page cap {cap_bytes / 2**20:g} MiB")
    print(f"peak MiB  copydesk {capped:6.1f}   requests.get {inflated:6.1f}")


if __name__ == "__main__":
    raise SystemExit(main())

"""Pages for the load benchmark, served over loopback HTTP from processes of their own.

On a 2-core machine every cycle the page server spends is taken from the workers under
test, so the server answers from bytes built once per page: an asyncio protocol reads
the request line, writes the ready response and closes. That costs little more than the
socket calls, where ``http.server`` spends a thread and a header parse on each request.

Each page is served under any number of copies (``/pages/<index>/copy-<n>.html``), on
several loopback addresses (127.0.0.x), which the fetch stage sees as distinct hosts.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import re
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import cast

#: The longest request head the server reads before giving up on a client.
_MAX_HEAD_BYTES = 16 * 1024
_PAGE_TARGET = re.compile(rb"^/pages/(\d+)/")
_NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
_START_TIMEOUT_S = 30.0


@dataclass(frozen=True, slots=True)
class Site:
    """One host the benchmark serves pages from."""

    host: str
    port: int

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"


def loopback_hosts(count: int) -> list[str]:
    """``count`` loopback addresses, 127.0.0.1 upwards (Linux routes all of 127/8 to lo)."""
    if not 1 <= count <= 254:
        raise ValueError("between 1 and 254 loopback hosts")
    return [f"127.0.0.{last}" for last in range(1, count + 1)]


def page_path(index: int, copy: int) -> str:
    return f"/pages/{index}/copy-{copy}.html"


def page_index(target: bytes) -> int | None:
    """The page a request target asks for, or None when it names no page."""
    match = _PAGE_TARGET.match(target)
    return int(match.group(1)) if match else None


def page_urls(sites: Sequence[Site], page_count: int, total: int) -> list[str]:
    """``total`` distinct URLs cycling through the pages, spread evenly over the sites.

    Consecutive URLs go to different hosts, so the per-host politeness turns rarely
    collide; the n-th time a page comes round it is served as its n-th copy.
    """
    return [
        sites[number % len(sites)].url(page_path(number % page_count, number // page_count))
        for number in range(total)
    ]


def first_copy_url(sites: Sequence[Site], index: int) -> str:
    """The URL the first copy of page ``index`` is served at (as :func:`page_urls` builds it)."""
    return sites[index % len(sites)].url(page_path(index, 0))


class PageResponses:
    """Every response the server can give, built once: a 200 per page, a 404 for the rest."""

    def __init__(self, bodies: Sequence[bytes], content_type: str) -> None:
        self._responses = [(_head(content_type, len(body)), body) for body in bodies]

    def __len__(self) -> int:
        return len(self._responses)

    def for_request(self, head: bytes) -> tuple[bytes, ...]:
        """The response parts for a request whose head (request line first) is ``head``."""
        parts = head.split(b" ", 2)
        index = page_index(parts[1]) if len(parts) == 3 and parts[0] == b"GET" else None
        if index is None or index >= len(self._responses):
            return (_NOT_FOUND,)
        return self._responses[index]


def _head(content_type: str, length: int) -> bytes:
    return (
        f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode("ascii")


class _PageProtocol(asyncio.Protocol):
    """One connection: read the request head, answer, close."""

    def __init__(self, responses: PageResponses) -> None:
        self._responses = responses
        self._received = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # a TCP server's transport

    def data_received(self, data: bytes) -> None:
        if self._transport is None or self._transport.is_closing():
            return
        self._received += data
        if b"\r\n\r\n" in self._received:
            self._transport.writelines(self._responses.for_request(self._received))
            self._transport.close()
        elif len(self._received) > _MAX_HEAD_BYTES:
            self._transport.close()


async def _serve(responses: PageResponses, hosts: Sequence[str], report: Connection) -> None:
    loop = asyncio.get_running_loop()
    servers = [
        await loop.create_server(lambda: _PageProtocol(responses), host, 0, backlog=1024)
        for host in hosts
    ]
    ports = [server.sockets[0].getsockname()[1] for server in servers]
    report.send(list(zip(hosts, ports, strict=True)))
    await asyncio.Event().wait()  # until the process is terminated


def _serve_forever(responses: PageResponses, hosts: Sequence[str], report: Connection) -> None:
    asyncio.run(_serve(responses, hosts, report))


@dataclass(frozen=True, slots=True)
class PageServers:
    """Running server processes and the sites they listen on."""

    processes: tuple[BaseProcess, ...]
    sites: tuple[Site, ...]

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes if process.pid is not None]

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join(10)


def start_page_servers(
    responses: PageResponses, hosts: Sequence[str], processes: int
) -> PageServers:
    """Serve ``responses`` on every host, the hosts shared out among ``processes`` processes.

    The processes are forked so that they share the page bytes with this one; call this
    before starting any thread.
    """
    context = multiprocessing.get_context("fork")
    started: list[BaseProcess] = []
    sites: list[Site] = []
    for share in range(processes):
        mine = list(hosts[share::processes])
        if not mine:
            continue
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_serve_forever, args=(responses, mine, sender), daemon=True
        )
        process.start()
        started.append(process)
        if not receiver.poll(_START_TIMEOUT_S):
            PageServers(tuple(started), ()).stop()
            raise RuntimeError("a page server did not start")
        sites += [Site(host, port) for host, port in receiver.recv()]
    return PageServers(
        tuple(started), tuple(sorted(sites, key=lambda site: hosts.index(site.host)))
    )

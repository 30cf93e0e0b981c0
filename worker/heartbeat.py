"""Judging a worker by progress, not by being alive.

Celery workers have been seen running but no longer consuming after a broker
restart (celery #8030, #9054). So a worker's heartbeat is written only by tasks
that went through the broker: every finished task, and a probe the worker sends
itself, through its own queue, a few times per heartbeat lifetime.
"""

from __future__ import annotations

import socket
import time
from typing import Any

import redis
from celery import bootsteps
from celery.utils.nodenames import worker_direct

from config import get_settings
from config.celery import HEARTBEAT_TASK

#: Probes per heartbeat lifetime: one lost probe must not mark a healthy worker dead.
_PROBES_PER_TTL = 3


def heartbeat_key(prefix: str, node: str) -> str:
    return f"{prefix}:heartbeat:{node}"


def beat(client: redis.Redis, prefix: str, node: str, ttl_s: int) -> None:
    """Record that ``node`` made progress now."""
    client.set(heartbeat_key(prefix, node), int(time.time()), ex=ttl_s)


def live_nodes(client: redis.Redis, prefix: str, host: str | None = None) -> list[str]:
    """Nodes (``name@host``) whose heartbeat has not expired, on ``host`` if given."""
    pattern = heartbeat_key(prefix, f"*@{host}" if host else "*")
    start = len(heartbeat_key(prefix, ""))
    return sorted(key.decode()[start:] for key in client.scan_iter(match=pattern, count=1000))


def this_host() -> str:
    return socket.gethostname()


class HeartbeatProbe(bootsteps.StartStopStep):  # type: ignore[misc]
    """A worker bootstep that sends the heartbeat task to the worker's own queue."""

    requires = frozenset({"celery.worker.components:Timer"})

    def start(self, worker: Any) -> None:
        interval = get_settings().heartbeat_ttl_s / _PROBES_PER_TTL
        self._timer = worker.timer.call_repeatedly(interval, self._probe, (worker,), priority=10)
        self._probe(worker)

    def stop(self, worker: Any) -> None:
        self._timer.cancel()

    @staticmethod
    def _probe(worker: Any) -> None:
        worker.app.send_task(
            HEARTBEAT_TASK,
            args=(worker.hostname,),
            queue=worker_direct(worker.hostname),
            expires=get_settings().heartbeat_ttl_s,
        )

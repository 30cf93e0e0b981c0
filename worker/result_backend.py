"""Celery's Redis result backend, without a subscription for every task sent.

Outside a worker, each ``apply_async`` makes Celery's backend SUBSCRIBE the sender to
the task's result channel, ready for an ``AsyncResult.get()`` that copydesk never makes:
``copydesk submit --wait`` polls results in bulk (MGET). ``copydesk submit`` of 10,000
URLs would spend 10,000 round trips (a sixth of its CPU) on subscriptions, hold them
while it waits, and have Redis push every result to a connection nobody reads (and
replay them all on reconnecting, celery #3808, #5320). ``AsyncResult.get()`` still
works: it subscribes when it is called, after reading the stored result.
"""

from __future__ import annotations

from typing import Any

from celery.backends.redis import RedisBackend


class PollingRedisBackend(RedisBackend):  # type: ignore[misc]
    """Results stored and read as by :class:`RedisBackend`; nothing subscribed on sending."""

    def on_task_call(self, producer: Any, task_id: str) -> None:
        """Send without subscribing: a result is waited for only when asked."""

"""Celery's Redis result backend, without a subscription for every task sent.

Outside a worker, each ``apply_async`` makes Celery's backend SUBSCRIBE the sender to
the task's result channel, ready for an ``AsyncResult.get()`` that copydesk never makes:
``copydesk submit --wait`` polls results in bulk (MGET). ``copydesk submit`` of 10,000
URLs would spend 10,000 round trips (a sixth of its CPU) on subscriptions, hold them
while it waits, and have Redis push every result to a connection nobody reads (and
replay them all on reconnecting, celery #3808, #5320). ``AsyncResult.get()`` still
works: it subscribes when it is called, after reading the stored result.

A batch task stores the results of the submissions it carries, each under the task id
it was submitted with, in two round trips (:meth:`PollingRedisBackend.store_successes`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from celery import states
from celery.backends.redis import RedisBackend


class PollingRedisBackend(RedisBackend):  # type: ignore[misc]
    """Results stored and read as by :class:`RedisBackend`; nothing subscribed on sending."""

    def on_task_call(self, producer: Any, task_id: str) -> None:
        """Send without subscribing: a result is waited for only when asked."""

    def store_successes(self, results: Mapping[str, Any]) -> None:
        """Store each task id's successful result in two round trips, retried while Redis
        is unreachable as ``store_result`` is; like it, a stored success stays (a task run
        twice keeps its first result)."""
        self.ensure(self._store_successes, (results,))

    def _store_successes(self, results: Mapping[str, Any]) -> None:
        ended = self.ended_metas(list(results))
        with self.client.pipeline(transaction=False) as pipe:
            for (task_id, result), meta in zip(results.items(), ended, strict=True):
                if meta and meta["status"] == states.SUCCESS:
                    continue
                key = self.get_key_for_task(task_id)
                value = self.encode(self._success(task_id, result))
                pipe.set(key, value, ex=self.expires or None)
                pipe.publish(key, value)
            pipe.execute()

    def ended_metas(self, task_ids: Sequence[str]) -> list[dict[str, Any] | None]:
        """The stored meta of each task that has ended (None for the others), in one MGET."""
        values = self.mget([self.get_key_for_task(task_id) for task_id in task_ids])
        metas = (self.decode_result(value) if value else None for value in values)
        return [meta if meta and meta["status"] in states.READY_STATES else None for meta in metas]

    def _success(self, task_id: str, result: Any) -> dict[str, Any]:
        return {
            "status": states.SUCCESS,
            "result": result,
            "traceback": None,
            "children": [],
            "date_done": self.app.now().isoformat(),
            "task_id": task_id,
        }

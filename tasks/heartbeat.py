"""Heartbeats: written by the probe task and by finished tasks."""

from __future__ import annotations

import time
from typing import Any

from celery.signals import task_postrun

from config import get_settings
from config.celery import HEARTBEAT_TASK
from worker.app import app
from worker.connections import redis_client
from worker.heartbeat import beat

#: When this process last wrote each node's heartbeat: one write per few seconds is
#: enough, where one per task would add a Redis round trip to every page.
_last_beat: dict[str, float] = {}
_MIN_INTERVAL_PARTS = 10


def _beat(node: str) -> None:
    settings = get_settings()
    beat(redis_client(), settings.redis_prefix, node, settings.heartbeat_ttl_s)
    _last_beat[node] = time.monotonic()


@app.task(name=HEARTBEAT_TASK, ignore_result=True)
def heartbeat(node: str) -> None:
    """Reached this worker through the broker: it is consuming."""
    _beat(node)


@task_postrun.connect
def _after_task(task: Any = None, **_: Any) -> None:
    node = task.request.hostname if task is not None else None
    interval = get_settings().heartbeat_ttl_s / _MIN_INTERVAL_PARTS
    if node and time.monotonic() - _last_beat.get(node, float("-inf")) >= interval:
        _beat(node)

"""Heartbeats: written by the probe task and by every finished task."""

from __future__ import annotations

from typing import Any

from celery.signals import task_postrun

from config import get_settings
from config.celery import HEARTBEAT_TASK
from worker.app import app
from worker.connections import redis_client
from worker.heartbeat import beat


def _beat(node: str) -> None:
    settings = get_settings()
    beat(redis_client(), settings.redis_prefix, node, settings.heartbeat_ttl_s)


@app.task(name=HEARTBEAT_TASK, ignore_result=True)
def heartbeat(node: str) -> None:
    """Reached this worker through the broker: it is consuming."""
    _beat(node)


@task_postrun.connect
def _after_task(task: Any = None, **_: Any) -> None:
    if task is not None and task.request.hostname:
        _beat(task.request.hostname)

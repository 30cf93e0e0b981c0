"""Celery configuration, derived from copydesk's settings.

Delivery is at-least-once: a task is acknowledged only after it ran, and a task
whose worker process died (an OOM kill) goes back to the queue. Stages are
idempotent, so running a task twice stores its article once.
"""

from __future__ import annotations

from typing import Any

from config.settings import Settings

FETCH_TASK = "copydesk.fetch"
PROCESS_TASK = "copydesk.process"
FETCH_BATCH_TASK = "copydesk.fetch_batch"
PROCESS_BATCH_TASK = "copydesk.process_batch"
DELIVER_TASK = "copydesk.deliver"
HEARTBEAT_TASK = "copydesk.heartbeat"


def celery_config(settings: Settings, broker_url: str, result_backend: str) -> dict[str, Any]:
    """The Celery settings for brokers and workers of this deployment."""
    return _common(settings, broker_url, result_backend) | _broker_specific(broker_url, settings)


def _broker_specific(broker_url: str, settings: Settings) -> dict[str, Any]:
    if broker_url.startswith(("amqp", "pyamqp")):
        # Quorum queues are replicated and durable; publishes are confirmed by the broker.
        return {
            "task_default_queue_type": "quorum",
            "broker_transport_options": {"confirm_publish": True},
        }
    transport = {
        "visibility_timeout": settings.visibility_timeout_s,
        # kombu sweeps for messages of vanished workers every interval x throttle seconds
        # (100 s by default); a tenth of the timeout keeps recovery close to it.
        "unacked_restore_interval": max(1, min(10, settings.visibility_timeout_s // 10)),
        "unacked_restore_throttle": 1,
    }
    return {"broker_transport_options": transport, "result_backend_transport_options": transport}


def _common(settings: Settings, broker_url: str, result_backend: str) -> dict[str, Any]:
    return {
        "broker_url": broker_url,
        "result_backend": result_backend,
        "broker_connection_retry_on_startup": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_acks_on_failure_or_timeout": True,
        "worker_prefetch_multiplier": 1,
        "task_time_limit": settings.task_time_limit_s,
        "task_soft_time_limit": settings.task_soft_time_limit_s,
        "worker_max_tasks_per_child": settings.worker_max_tasks_per_child,
        "worker_max_memory_per_child": settings.worker_max_memory_per_child_kb,
        "task_default_queue": settings.process_queue,
        "task_routes": {
            FETCH_TASK: {"queue": settings.fetch_queue},
            FETCH_BATCH_TASK: {"queue": settings.fetch_queue},
            PROCESS_TASK: {"queue": settings.process_queue},
            PROCESS_BATCH_TASK: {"queue": settings.process_queue},
            DELIVER_TASK: {"queue": settings.store_queue},
        },
        # A STARTED state per task and a sent event per submission would double the
        # result writes and events; task events wait until someone watches.
        "task_track_started": False,
        "task_send_sent_event": False,
        "worker_send_task_events": settings.task_events,
        "result_extended": True,
        "result_expires": settings.result_expires_s,
        "worker_hijack_root_logger": False,
        # Each worker also consumes a queue of its own, which its heartbeat probe travels.
        "worker_direct": True,
    }
